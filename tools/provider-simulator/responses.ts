import type { ErrorStyle, Provider } from "../../lib/providers/index";
import { connectionReset, header, json, text, type SimRequest, type SimResponse } from "./http-utils";
import type { EndpointKind, Failure, SimulatorState } from "./state";

/** What every handler hands back to the server: the answer, plus what to log. */
export type RouteResult = { providerId: string | null; endpoint: EndpointKind; response: SimResponse };

export type HandlerContext = { state: SimulatorState; baseUrl: string };

/** Generic OAuth failures, mapped to each provider's own error codes below. */
export type OAuthProblem =
  | "invalid_request"
  | "invalid_client"
  | "invalid_code"
  | "invalid_refresh_token"
  | "redirect_uri_mismatch"
  | "unsupported_grant_type";

// Slack and GitHub name these failures their own way; the app has to recognise them.
const PROVIDER_CODES: Record<ErrorStyle, Record<OAuthProblem, string>> = {
  standard: {
    invalid_request: "invalid_request",
    invalid_client: "invalid_client",
    invalid_code: "invalid_grant",
    invalid_refresh_token: "invalid_grant",
    redirect_uri_mismatch: "invalid_grant",
    unsupported_grant_type: "unsupported_grant_type",
  },
  slack_ok_false: {
    invalid_request: "invalid_arguments",
    invalid_client: "invalid_client_id",
    invalid_code: "invalid_code",
    invalid_refresh_token: "invalid_refresh_token",
    redirect_uri_mismatch: "bad_redirect_uri",
    unsupported_grant_type: "invalid_grant_type",
  },
  github_200_error: {
    invalid_request: "invalid_request",
    invalid_client: "incorrect_client_credentials",
    invalid_code: "bad_verification_code",
    invalid_refresh_token: "bad_refresh_token",
    redirect_uri_mismatch: "redirect_uri_mismatch",
    unsupported_grant_type: "unsupported_grant_type",
  },
};

export function providerErrorCode(provider: Provider, problem: OAuthProblem): string {
  return PROVIDER_CODES[provider.errorStyle][problem];
}

/** GitHub answers its token endpoint form-encoded unless asked for JSON. */
export function wantsForm(provider: Provider, req: SimRequest): boolean {
  return provider.errorStyle === "github_200_error" && !(header(req, "accept") ?? "").includes("application/json");
}

/** A token-endpoint style answer (success or error) encoded the way the provider would. */
export function tokenEndpointBody(provider: Provider, req: SimRequest, status: number, body: Record<string, unknown>) {
  if (wantsForm(provider, req)) {
    const form = new URLSearchParams(
      Object.entries(body).flatMap(([k, v]) => (v === undefined || v === null ? [] : [[k, String(v)]])),
    );
    return text(status, form.toString(), { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
  }
  return json(status, body);
}

/**
 * An OAuth error the provider's way: RFC 6749 `{error}` with 400 (401 for a client
 * failure), Slack's `200 {ok:false,error}`, GitHub's `200 {error,error_description}`.
 */
export function oauthError(provider: Provider, req: SimRequest, code: string, description: string): SimResponse {
  switch (provider.errorStyle) {
    case "slack_ok_false":
      return json(200, {
        ok: false,
        error: code,
        warning: "simulated",
        response_metadata: { messages: [description] },
      });
    case "github_200_error":
      return tokenEndpointBody(provider, req, 200, {
        error: code,
        error_description: description,
        error_uri:
          "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors",
      });
    case "standard": {
      const status = code === "invalid_client" ? 401 : 400;
      return json(status, { error: code, error_description: description });
    }
    default:
      return provider.errorStyle satisfies never;
  }
}

export function oauthProblem(provider: Provider, req: SimRequest, problem: OAuthProblem, description: string) {
  return oauthError(provider, req, providerErrorCode(provider, problem), description);
}

/** The `WWW-Authenticate` value a 401 for Basic client authentication carries (RFC 7617 needs a realm). */
export function basicChallenge(provider: Provider): string {
  return `Basic realm="${provider.id} (provider simulator)"`;
}

/**
 * `invalid_client` the provider's way. RFC 6749 §5.2: when the client tried the
 * Authorization header, the 401 must challenge the scheme it used, so standard-style
 * providers add `WWW-Authenticate: Basic` (Slack and GitHub answer 200 and challenge nothing).
 */
export function invalidClient(provider: Provider, req: SimRequest, description: string, basic: boolean): SimResponse {
  const response = oauthProblem(provider, req, "invalid_client", description);
  if (!basic || response.status !== 401) return response;
  return { ...response, headers: { ...response.headers, "www-authenticate": basicChallenge(provider) } };
}

/** The answer to a queued failure on a token, refresh, revoke or API endpoint. */
export function failureResponse(
  provider: Provider,
  req: SimRequest,
  failure: Failure,
  endpoint: "token" | "refresh" | "revoke" | "api",
): SimResponse {
  switch (failure.kind) {
    case "invalid_grant":
      if (endpoint === "api") return unauthorized(provider, "revoked");
      return oauthProblem(
        provider,
        req,
        endpoint === "refresh" ? "invalid_refresh_token" : "invalid_code",
        "Simulated invalid_grant (failNext).",
      );
    case "oauth_error":
      return oauthError(provider, req, failure.error, failure.description ?? "Simulated error (failNext).");
    case "status": {
      const retryAfter = failure.retryAfterSeconds;
      const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": String(retryAfter) };
      return json(failure.status, { error: "simulated_failure", status: failure.status }, headers);
    }
    case "reset":
      return connectionReset();
    case "rate_limit": {
      const headers = { "retry-after": String(failure.retryAfterSeconds) };
      return provider.errorStyle === "slack_ok_false"
        ? json(429, { ok: false, error: "ratelimited" }, headers)
        : json(429, { error: "rate_limited", retry_after: failure.retryAfterSeconds }, headers);
    }
    default:
      return failure satisfies never;
  }
}

/**
 * A refused API call. Slack's Web API answers HTTP 200 with `ok:false` even for bad
 * tokens; everyone else answers 401.
 */
export function unauthorized(provider: Provider, problem: "missing" | "unknown" | "revoked" | "expired" | "used") {
  const description = {
    missing: "No credentials were sent.",
    unknown: "The credentials are not valid.",
    revoked: "The token has been revoked.",
    expired: "The token has expired.",
    used: "The token has been replaced.",
  }[problem];
  if (provider.errorStyle === "slack_ok_false") {
    const error = { missing: "not_authed", expired: "token_expired", revoked: "token_revoked" }[problem as string];
    return json(200, { ok: false, error: error ?? "invalid_auth" });
  }
  if (provider.id === "github") {
    return json(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
  }
  return json(
    401,
    { error: "invalid_token", error_description: description },
    { "www-authenticate": `Bearer error="invalid_token", error_description="${description}"` },
  );
}

export function notFound(req: SimRequest, providerId: string | null, hint?: string): RouteResult {
  return {
    providerId,
    endpoint: "unknown",
    response: json(404, {
      error: "not_found",
      method: req.method,
      path: req.path,
      message: `The provider simulator has no route for ${req.method} ${req.path}${hint ? ` (${hint})` : ""}.`,
    }),
  };
}

export function methodNotAllowed(providerId: string, endpoint: EndpointKind, allowed: string[]): RouteResult {
  return {
    providerId,
    endpoint,
    response: json(405, { error: "method_not_allowed", allowed }, { allow: allowed.join(", ") }),
  };
}
