import { createHash } from "node:crypto";
import { knownScopes, resolveEndpoints, type OAuth2Provider } from "../../lib/providers/index";
import { consentPage, errorPage } from "./consent-page";
import {
  basicClientCredentials,
  bearerToken,
  connectionReset,
  empty,
  header,
  html,
  json,
  redirect,
  withQuery,
} from "./http-utils";
import type { SimRequest, SimResponse } from "./http-utils";
import {
  basicChallenge,
  failureResponse,
  invalidClient,
  oauthProblem,
  tokenEndpointBody,
  unauthorized,
  type HandlerContext,
  type RouteResult,
} from "./responses";
import type { ProviderRoutes } from "./routes";
import {
  CODE_LIFETIME_SECONDS,
  CONSENT_LIFETIME_SECONDS,
  randomToken,
  type ClientConfig,
  type Failure,
  type Grant,
  type IssuedToken,
  type PendingConsent,
} from "./state";

const PKCE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

// ─── authorize ────────────────────────────────────────────────────────────────

/** Why an authorize request is refused before any redirect (shown as a page, like real providers). */
function pageError(provider: OAuth2Provider, client: ClientConfig, q: URLSearchParams): string | null {
  if (q.get("client_id") !== client.clientId) return `Unknown client_id "${q.get("client_id") ?? ""}".`;
  const redirectUri = q.get("redirect_uri");
  if (!redirectUri) return "redirect_uri is required.";
  if (!URL.canParse(redirectUri) || !/^https?:$/.test(new URL(redirectUri).protocol)) {
    return "redirect_uri must be an absolute http(s) URL.";
  }
  if (client.redirectUris && !client.redirectUris.includes(redirectUri)) {
    return `redirect_uri "${redirectUri}" is not registered for this client.`;
  }
  if (!q.get("state"))
    return `state is required (the simulator insists, so ${provider.displayName} callbacks can be matched).`;
  return null;
}

/** Why an authorize request is refused with a redirect carrying `error`, or null. */
function redirectError(provider: OAuth2Provider, q: URLSearchParams): { error: string; description: string } | null {
  if (q.get("response_type") !== "code") {
    return { error: "unsupported_response_type", description: "response_type must be code." };
  }
  for (const [name, value] of Object.entries(provider.authorizeParams)) {
    if (q.get(name) !== value) {
      return {
        error: "invalid_request",
        description: `${name}=${value} is required (catalog authorizeParams for ${provider.id}).`,
      };
    }
  }
  const scopeProblem = checkScopes(provider, q.get("scope"));
  if (scopeProblem) return { error: "invalid_scope", description: scopeProblem };
  const challenge = q.get("code_challenge");
  if (provider.pkce) {
    if (!challenge) return { error: "invalid_request", description: "code_challenge is required (catalog: pkce)." };
    if (q.get("code_challenge_method") !== "S256") {
      return { error: "invalid_request", description: "code_challenge_method must be S256." };
    }
    if (!PKCE_CHALLENGE.test(challenge)) {
      return { error: "invalid_request", description: "code_challenge must be 43 base64url characters." };
    }
  } else if (challenge) {
    return {
      error: "invalid_request",
      description: `${provider.id} is configured without PKCE (catalog: pkce false).`,
    };
  }
  return null;
}

/** Parses `scope` with the provider's separator and checks every scope is one the catalog knows. */
function checkScopes(provider: OAuth2Provider, raw: string | null): string | null {
  if (provider.defaultScopes.length === 0) return null;
  if (!raw) return "scope is required.";
  const known = new Set(knownScopes(provider));
  for (const scope of requestedScopes(provider, raw)) {
    if (!known.has(scope)) {
      return `Unknown scope "${scope}" (${provider.id} joins scopes with "${provider.scopeSeparator}").`;
    }
  }
  return null;
}

function requestedScopes(provider: OAuth2Provider, raw: string | null): string[] {
  if (!raw) return [];
  return raw.split(provider.scopeSeparator).filter((scope) => scope !== "");
}

/**
 * The `iss` an authorization response carries (RFC 9207): the issuer the catalog documents,
 * resolved onto this simulator like every endpoint, or none; `issuerNext` overrides it.
 */
function responseIssuer(ctx: HandlerContext, provider: OAuth2Provider): string | null {
  const documented = resolveEndpoints(provider, { simulatorBaseUrl: ctx.baseUrl }).issuer?.value ?? null;
  const queued = ctx.state.issuers.take(provider.id);
  if (!queued) return documented;
  switch (queued.value) {
    case "right":
      return documented ?? `${ctx.baseUrl}/${provider.id}`;
    case "wrong":
      // Same origin, another path: only a whole-string comparison (RFC 9207 §2.4) catches it.
      return `${ctx.baseUrl}/_wrong-issuer/${provider.id}`;
    case "none":
      return null;
    default:
      return queued.value satisfies never;
  }
}

/** The redirect back to the client with a code or an error: the authorization response. */
function authorizationResponse(
  ctx: HandlerContext,
  provider: OAuth2Provider,
  redirectUri: string,
  params: Record<string, string>,
): SimResponse {
  const iss = responseIssuer(ctx, provider);
  return redirect(withQuery(redirectUri, iss === null ? params : { ...params, iss }));
}

function approve(
  ctx: HandlerContext,
  provider: OAuth2Provider,
  consent: Omit<PendingConsent, "id" | "expiresAt">,
): SimResponse {
  const { state } = ctx;
  const grant: Grant = {
    grantId: randomToken(9),
    providerId: consent.providerId,
    clientId: consent.clientId,
    scopes: consent.scopes,
    account: { ...state.accounts.get(consent.providerId)! },
  };
  state.grants.set(grant.grantId, grant);
  const code = `sim_code_${randomToken()}`;
  state.codes.set(code, {
    code,
    providerId: consent.providerId,
    clientId: consent.clientId,
    redirectUri: consent.redirectUri,
    codeChallenge: consent.codeChallenge,
    expiresAt: state.now() + CODE_LIFETIME_SECONDS * 1000,
    usedAt: null,
    grantId: grant.grantId,
  });
  return authorizationResponse(ctx, provider, consent.redirectUri, { code, state: consent.state });
}

/** A queued authorize failure: an error page, a 429, or a redirect carrying the error. */
function authorizeFailure(
  ctx: HandlerContext,
  provider: OAuth2Provider,
  failure: Failure,
  redirectUri: string,
  state: string,
): SimResponse {
  switch (failure.kind) {
    case "status": {
      const page = html(failure.status, errorPage(provider.displayName, "Simulated failure."));
      if (failure.retryAfterSeconds === undefined) return page;
      return { ...page, headers: { ...page.headers, "retry-after": String(failure.retryAfterSeconds) } };
    }
    case "reset":
      return connectionReset();
    case "rate_limit": {
      const page = html(429, errorPage(provider.displayName, "Too many requests."));
      return { ...page, headers: { ...page.headers, "retry-after": String(failure.retryAfterSeconds) } };
    }
    case "invalid_grant":
    case "oauth_error": {
      const error = failure.kind === "oauth_error" ? failure.error : "invalid_grant";
      return authorizationResponse(ctx, provider, redirectUri, {
        error,
        error_description: "Simulated failure.",
        state,
      });
    }
    default:
      return failure satisfies never;
  }
}

export function handleAuthorize(ctx: HandlerContext, routes: ProviderRoutes, req: SimRequest): RouteResult {
  const provider = routes.provider as OAuth2Provider;
  const done = (response: SimResponse): RouteResult => ({ providerId: provider.id, endpoint: "authorize", response });
  if (req.method !== "GET") return done(json(405, { error: "method_not_allowed", allowed: ["GET"] }));
  const q = req.query;
  const client = ctx.state.clients.get(provider.id)!;
  const problem = pageError(provider, client, q);
  if (problem) return done(html(400, errorPage(provider.displayName, problem)));
  const redirectUri = q.get("redirect_uri")!;
  const state = q.get("state")!;
  const failure = ctx.state.takeFailure(provider.id, "authorize");
  if (failure) return done(authorizeFailure(ctx, provider, failure, redirectUri, state));
  const refused = redirectError(provider, q);
  if (refused) {
    return done(
      authorizationResponse(ctx, provider, redirectUri, {
        error: refused.error,
        error_description: refused.description,
        state,
      }),
    );
  }
  const request = {
    providerId: provider.id,
    clientId: client.clientId,
    redirectUri,
    state,
    scopes: requestedScopes(provider, q.get("scope")),
    codeChallenge: q.get("code_challenge"),
  };
  if (ctx.state.autoApprove) return done(approve(ctx, provider, request));
  const consent: PendingConsent = {
    ...request,
    id: randomToken(12),
    expiresAt: ctx.state.now() + CONSENT_LIFETIME_SECONDS * 1000,
  };
  ctx.state.consents.set(consent.id, consent);
  return done(html(200, consentPage(provider, consent)));
}

/** POST /_consent from the consent page's Approve / Deny buttons. */
export function handleConsent(
  ctx: HandlerContext,
  req: SimRequest,
  providerOf: (id: string) => OAuth2Provider,
): RouteResult {
  const consent = ctx.state.consents.get(req.params.id ?? "");
  if (req.method !== "POST" || !consent || consent.expiresAt <= ctx.state.now()) {
    return {
      providerId: consent?.providerId ?? null,
      endpoint: "consent",
      response: html(
        400,
        errorPage("Provider simulator", "This authorization request has expired or was already answered."),
      ),
    };
  }
  ctx.state.consents.delete(consent.id);
  const provider = providerOf(consent.providerId);
  const response =
    req.params.decision === "approve"
      ? approve(ctx, provider, consent)
      : authorizationResponse(ctx, provider, consent.redirectUri, {
          error: "access_denied",
          error_description: `The user denied access to ${provider.displayName}.`,
          state: consent.state,
        });
  return { providerId: provider.id, endpoint: "consent", response };
}

// ─── token ────────────────────────────────────────────────────────────────────

/** Why client authentication failed, and whether the client tried HTTP Basic (the 401 then challenges it). */
type ClientAuthProblem = { description: string; basic: boolean };

/**
 * The Basic client credentials of a request checked against the configured client, or
 * why they are refused. `basicClientCredentials` is the one decoder for both the token
 * and the revocation endpoint, so both read RFC 6749 §2.3.1 encoding the same way.
 */
function basicClientProblem(req: SimRequest, client: ClientConfig, missing: string): string | null {
  const basic = basicClientCredentials(req);
  if (basic.kind === "absent") return missing;
  if (basic.kind === "malformed") return basic.reason;
  if (basic.username !== client.clientId || basic.password !== client.clientSecret) return "Wrong client credentials.";
  return null;
}

/** Whether the request carries an Authorization header of the Basic scheme (well-formed or not). */
function triedBasic(req: SimRequest): boolean {
  return /^Basic(\s|$)/i.test(header(req, "authorization") ?? "");
}

/** Refuses client authentication that is not exactly what the catalog says. */
function clientAuthProblem(provider: OAuth2Provider, req: SimRequest, client: ClientConfig): ClientAuthProblem | null {
  const refuse = (description: string): ClientAuthProblem => ({ description, basic: triedBasic(req) });
  if (provider.tokenEndpointAuth === "basic") {
    const problem = basicClientProblem(
      req,
      client,
      `${provider.id} expects HTTP Basic client authentication (catalog: tokenEndpointAuth basic).`,
    );
    // Challenge Basic even when it was not tried: it is the method this provider wants.
    if (problem) return { description: problem, basic: true };
    if (req.params.client_secret !== undefined) return refuse("client_secret must not also be sent in the body.");
    if (req.params.client_id !== undefined && req.params.client_id !== client.clientId) {
      return refuse("client_id mismatch.");
    }
    return null;
  }
  if (header(req, "authorization") !== undefined) {
    return refuse(
      `${provider.id} expects client_id and client_secret in the body (catalog: tokenEndpointAuth body), not an Authorization header.`,
    );
  }
  if (!req.params.client_id || !req.params.client_secret)
    return refuse("client_id and client_secret are required in the body.");
  if (req.params.client_id !== client.clientId || req.params.client_secret !== client.clientSecret) {
    return refuse("Wrong client credentials.");
  }
  return null;
}

// Reddit throttles requests whose User-Agent is a runtime default rather than one the app chose.
const GENERIC_USER_AGENT = /^(node|undici|python-requests|python-urllib|go-http-client|curl|okhttp)\b/i;

/**
 * Token-request headers the catalog lists must be sent: a User-Agent of the app's own
 * choosing (any, e.g. arctic's), other headers exactly. GitHub's Accept only changes the encoding.
 */
function missingTokenHeader(provider: OAuth2Provider, req: SimRequest): string | null {
  for (const [name, value] of Object.entries(provider.tokenRequestHeaders)) {
    const received = header(req, name);
    const lower = name.toLowerCase();
    if (lower === "accept") continue;
    if (lower === "user-agent" ? !received || GENERIC_USER_AGENT.test(received) : received !== value) {
      return `${name} is required (catalog tokenRequestHeaders: "${value}"); received ${received === undefined ? "nothing" : `"${received}"`}.`;
    }
  }
  return null;
}

const TOKEN_PREFIXES: Record<string, { access: string; refresh: string }> = {
  slack: { access: "xoxb-sim-", refresh: "xoxe-1-sim-" },
  github: { access: "gho_sim", refresh: "ghr_sim" },
  gmail: { access: "ya29.sim-", refresh: "1//sim-" },
  "google-calendar": { access: "ya29.sim-", refresh: "1//sim-" },
};

function newToken(providerId: string, kind: IssuedToken["kind"]): string {
  const prefix = TOKEN_PREFIXES[providerId] ?? { access: `sim_${providerId}_at_`, refresh: `sim_${providerId}_rt_` };
  return `${kind === "access_token" ? prefix.access : prefix.refresh}${randomToken()}`;
}

/**
 * A successful token answer: the provider's shape, with the `token_type` queued by
 * `tokenTypeNext` when there is one (null leaves the field out).
 */
function tokenBody(
  ctx: HandlerContext,
  provider: OAuth2Provider,
  grant: Grant,
  access: IssuedToken,
  refresh: IssuedToken | null,
): Record<string, unknown> {
  const body = providerTokenBody(ctx, provider, grant, access, refresh);
  const queued = ctx.state.tokenTypes.take(provider.id);
  if (!queued) return body;
  const { token_type: _own, ...rest } = body;
  return queued.value === null ? rest : { ...rest, token_type: queued.value };
}

/** The token answer, shaped like the provider's own where it matters. */
function providerTokenBody(
  ctx: HandlerContext,
  provider: OAuth2Provider,
  grant: Grant,
  access: IssuedToken,
  refresh: IssuedToken | null,
): Record<string, unknown> {
  const lifetime = ctx.state.tokenSettings.get(provider.id)!.lifetimeSeconds;
  const common = {
    access_token: access.token,
    ...(lifetime !== null ? { expires_in: lifetime } : {}),
    ...(refresh ? { refresh_token: refresh.token } : {}),
  };
  const scope = grant.scopes.join(provider.scopeSeparator);
  switch (provider.id) {
    case "slack":
      return {
        ok: true,
        app_id: "A0SIMAPP",
        authed_user: { id: "U0SIMUSER" },
        scope,
        token_type: "bot",
        bot_user_id: "U0SIMBOT",
        team: { id: grant.account.id, name: grant.account.name },
        enterprise: null,
        is_enterprise_install: false,
        ...common,
      };
    case "github":
      // Requested with spaces, reported with commas.
      return {
        token_type: "bearer",
        scope: grant.scopes.join(","),
        ...common,
        ...(refresh ? { refresh_token_expires_in: 15_897_600 } : {}),
      };
    case "notion":
      return {
        token_type: "bearer",
        bot_id: "sim-notion-bot",
        workspace_id: grant.account.id,
        workspace_name: grant.account.name,
        workspace_icon: null,
        owner: {
          type: "user",
          user: { object: "user", id: "sim-notion-user", name: "Sim User", person: { email: grant.account.email } },
        },
        duplicated_template_id: null,
        ...common,
      };
    case "salesforce": {
      // No expires_in, ever: the session lasts until the org's timeout (played by the lifetime setting).
      const { expires_in: _hidden, ...rest } = common as typeof common & { expires_in?: number };
      return {
        ...rest,
        token_type: "Bearer",
        scope,
        instance_url: `${ctx.baseUrl}/salesforce`,
        id: `${ctx.baseUrl}/salesforce/id/00DSIM000000001AAA/${grant.account.id}`,
        issued_at: String(access.issuedAt),
        signature: randomToken(32),
      };
    }
    default:
      return { token_type: "Bearer", scope, ...common };
  }
}

function issueTokens(ctx: HandlerContext, provider: OAuth2Provider, grant: Grant, withRefresh: boolean) {
  const settings = ctx.state.tokenSettings.get(provider.id)!;
  const access = ctx.state.issue(
    "access_token",
    grant,
    newToken(provider.id, "access_token"),
    settings.lifetimeSeconds,
  );
  const refresh = withRefresh
    ? ctx.state.issue("refresh_token", grant, newToken(provider.id, "refresh_token"), null)
    : null;
  return { access, refresh };
}

/**
 * Why a token request's `code_verifier` does not go with the authorize request's
 * challenge, or null. RFC 7636 §4.6: once a challenge was sent, the verifier must come
 * and hash to it. RFC 9700 §2.1.1: a verifier for a code issued without a challenge is
 * refused too, or an attacker could inject a code it obtained without PKCE (a downgrade).
 */
function codeVerifierProblem(challenge: string | null, verifier: string | undefined): string | null {
  if (challenge === null) {
    return verifier === undefined
      ? null
      : "code_verifier was sent, but the authorize request had no code_challenge (PKCE downgrade).";
  }
  if (!verifier) return "code_verifier is required (PKCE): the authorize request had a code_challenge.";
  if (!PKCE_VERIFIER.test(verifier) || s256(verifier) !== challenge) {
    return "code_verifier does not match the code_challenge.";
  }
  return null;
}

function exchangeCode(
  ctx: HandlerContext,
  provider: OAuth2Provider,
  req: SimRequest,
  client: ClientConfig,
): SimResponse {
  const { state } = ctx;
  const record = state.codes.get(req.params.code ?? "");
  if (!record || record.providerId !== provider.id)
    return oauthProblem(provider, req, "invalid_code", "Unknown authorization code.");
  if (record.usedAt !== null) {
    // RFC 6749 §4.1.2: a reused code should take the tokens issued from it down too.
    state.revokeGrant(record.grantId);
    return oauthProblem(provider, req, "invalid_code", "The authorization code was already used.");
  }
  record.usedAt = state.now();
  if (record.expiresAt <= state.now())
    return oauthProblem(provider, req, "invalid_code", "The authorization code has expired.");
  if (record.clientId !== client.clientId)
    return oauthProblem(provider, req, "invalid_code", "The code was issued to another client.");
  if (req.params.redirect_uri !== record.redirectUri) {
    return oauthProblem(provider, req, "redirect_uri_mismatch", "redirect_uri does not match the authorize request.");
  }
  const pkceProblem = codeVerifierProblem(record.codeChallenge, req.params.code_verifier);
  if (pkceProblem) return oauthProblem(provider, req, "invalid_code", pkceProblem);
  const grant = state.grants.get(record.grantId)!;
  const settings = state.tokenSettings.get(provider.id)!;
  const { access, refresh } = issueTokens(ctx, provider, grant, settings.issueRefreshTokens);
  return tokenEndpointBody(provider, req, 200, tokenBody(ctx, provider, grant, access, refresh));
}

function refreshTokens(
  ctx: HandlerContext,
  provider: OAuth2Provider,
  req: SimRequest,
  client: ClientConfig,
): SimResponse {
  const { state } = ctx;
  if (!provider.refresh.supported) {
    return oauthProblem(provider, req, "unsupported_grant_type", `${provider.id} does not issue refresh tokens.`);
  }
  const record = state.tokens.get(req.params.refresh_token ?? "");
  const valid =
    record &&
    record.kind === "refresh_token" &&
    record.providerId === provider.id &&
    record.clientId === client.clientId;
  const problem = valid ? state.tokenProblem(record) : "unknown";
  if (problem) {
    const reason = problem === "used" ? "was already used (single-use rotation)" : `is ${problem}`;
    return oauthProblem(provider, req, "invalid_refresh_token", `The refresh token ${reason}.`);
  }
  const grant = state.grants.get(record!.grantId)!;
  const { rotation } = state.tokenSettings.get(provider.id)!;
  if (rotation === "single_use") record!.usedAt = state.now();
  const { access, refresh } = issueTokens(ctx, provider, grant, rotation !== "none");
  return tokenEndpointBody(provider, req, 200, tokenBody(ctx, provider, grant, access, refresh));
}

export function handleToken(ctx: HandlerContext, routes: ProviderRoutes, req: SimRequest): RouteResult {
  const provider = routes.provider as OAuth2Provider;
  const grantType = req.params.grant_type;
  const endpoint = grantType === "refresh_token" ? "refresh" : "token";
  const done = (response: SimResponse): RouteResult => ({ providerId: provider.id, endpoint, response });
  if (req.method !== "POST") return done(json(405, { error: "method_not_allowed", allowed: ["POST"] }));
  const failure = ctx.state.takeFailure(provider.id, endpoint);
  if (failure) return done(failureResponse(provider, req, failure, endpoint));
  if (req.bodyFormat !== "form" && req.bodyFormat !== "json") {
    return done(oauthProblem(provider, req, "invalid_request", "Send the token request as a form (or JSON) body."));
  }
  const missing = missingTokenHeader(provider, req);
  if (missing) return done(oauthProblem(provider, req, "invalid_request", missing));
  const client = ctx.state.clients.get(provider.id)!;
  const authProblem = clientAuthProblem(provider, req, client);
  if (authProblem) return done(invalidClient(provider, req, authProblem.description, authProblem.basic));
  switch (grantType) {
    case "authorization_code":
      return done(exchangeCode(ctx, provider, req, client));
    case "refresh_token":
      return done(refreshTokens(ctx, provider, req, client));
    default:
      return done(
        oauthProblem(provider, req, "unsupported_grant_type", `grant_type "${grantType ?? ""}" is not supported.`),
      );
  }
}

// ─── revoke ───────────────────────────────────────────────────────────────────

/**
 * Providers whose revocation endpoint ends the whole authorization when given an access
 * token, refresh token included. Zoom documents revoking the access token, and that
 * revocation uninstalls the app (its deauthorization flow runs): see the Zoom entry in
 * lib/providers/entries.ts for the sources.
 */
const ACCESS_REVOKE_ENDS_GRANT: ReadonlySet<string> = new Set(["zoom"]);

function revokeClientProblem(provider: OAuth2Provider, req: SimRequest, client: ClientConfig, pathClientId?: string) {
  const spec = provider.revoke!;
  if (pathClientId !== undefined && pathClientId !== client.clientId)
    return "The client id in the path is not this client.";
  if (spec.clientAuth === "basic") {
    return basicClientProblem(
      req,
      client,
      "HTTP Basic client authentication is required (catalog revoke.clientAuth basic).",
    );
  }
  if (spec.clientAuth === "body") {
    if (req.params.client_id !== client.clientId || req.params.client_secret !== client.clientSecret) {
      return "client_id and client_secret are required in the body (catalog revoke.clientAuth body).";
    }
  }
  return null;
}

export function handleRevoke(
  ctx: HandlerContext,
  routes: ProviderRoutes,
  req: SimRequest,
  pathClientId?: string,
): RouteResult {
  const provider = routes.provider as OAuth2Provider;
  const spec = provider.revoke!;
  const done = (response: SimResponse): RouteResult => ({ providerId: provider.id, endpoint: "revoke", response });
  if (req.method !== spec.method) return done(json(405, { error: "method_not_allowed", allowed: [spec.method] }));
  const failure = ctx.state.takeFailure(provider.id, "revoke");
  if (failure) return done(failureResponse(provider, req, failure, "revoke"));
  const client = ctx.state.clients.get(provider.id)!;
  const clientProblem = revokeClientProblem(provider, req, client, pathClientId);
  if (clientProblem) {
    if (provider.errorStyle === "slack_ok_false") return done(json(200, { ok: false, error: "invalid_auth" }));
    const challenge = spec.clientAuth === "basic" ? { "www-authenticate": basicChallenge(provider) } : undefined;
    return done(json(401, { error: "invalid_client", error_description: clientProblem }, challenge));
  }
  const expectedFormat = spec.tokenIn === "bearer" ? null : spec.tokenIn;
  const token =
    spec.tokenIn === "bearer"
      ? bearerToken(req)
      : req.bodyFormat === expectedFormat
        ? req.params[spec.tokenField]
        : undefined;
  if (!token) {
    return done(
      provider.errorStyle === "slack_ok_false"
        ? json(200, { ok: false, error: "not_authed" })
        : json(400, {
            error: "invalid_request",
            error_description:
              spec.tokenIn === "bearer"
                ? "Send the token as Authorization: Bearer."
                : `Send the token as "${spec.tokenField}" in a ${spec.tokenIn} body.`,
          }),
    );
  }
  const record = ctx.state.tokens.get(token);
  const ours = record?.providerId === provider.id ? record : undefined;
  // Bearer-style revocation authenticates with the token itself, so it must still be valid.
  if (spec.tokenIn === "bearer") {
    const problem = ctx.state.tokenProblem(ours);
    if (problem) return done(unauthorized(provider, problem));
  }
  if (ours) {
    ctx.state.revoke(token, "endpoint");
    // A refresh token takes its grant along (state.revoke); here an access token does too.
    if (ACCESS_REVOKE_ENDS_GRANT.has(provider.id)) ctx.state.revokeGrant(ours.grantId);
  } else
    ctx.state.revocationLog.push({
      providerId: provider.id,
      token,
      kind: "unknown",
      at: ctx.state.now(),
      via: "endpoint",
    });
  switch (provider.errorStyle) {
    case "slack_ok_false":
      return done(json(200, { ok: true, revoked: true }));
    case "github_200_error":
      return done(empty(204));
    case "standard":
      return done(json(200, {}));
    default:
      return provider.errorStyle satisfies never;
  }
}
