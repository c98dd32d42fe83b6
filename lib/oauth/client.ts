/**
 * OAuth 2.0 for every catalog provider: arctic builds the authorize URL (with PKCE)
 * and wraps token answers; this module adds what arctic's generic client cannot
 * express and the catalog needs: client secrets in the body, JSON token requests
 * (Notion), comma-separated scopes (Slack) and errors sent with HTTP 200 (Slack, GitHub).
 * Token requests are built here and sent through the caller's `Transport` (lib/http),
 * so they follow no redirect, have a time limit and a size cap, and are logged.
 */
import { CodeChallengeMethod, OAuth2Client, OAuth2Tokens } from "arctic";
import { clientBasicAuthorization } from "../http/basic";
import { encodeBody, providerHeaders, type ProviderRequest } from "../http/request";
import type { SendResult, Transport } from "../http/send";
import { readPath } from "../providers/account";
import type { OAuth2Provider } from "../providers/schema";
import { classifyProviderError, OAuthError } from "./errors";

export { generateCodeVerifier, generateState } from "arctic";

export type OAuthClientCredentials = { clientId: string; clientSecret: string; redirectUri: string };

/** What a token endpoint answered, with the secrets kept apart from the metadata. */
export type TokenSet = {
  accessToken: string;
  refreshToken: string | null;
  /** Absolute expiry in ms since the epoch; null when the answer had no `expires_in`. */
  expiresAt: number | null;
  /** Granted scopes when the provider says; otherwise null (assume what was asked). */
  scopes: string[] | null;
  /** The token response's non-secret fields the catalog asks to keep (`instance_url`, `team.id`). */
  metadata: Record<string, string>;
};

/** The longest we wait for a token endpoint. */
export const TOKEN_REQUEST_TIMEOUT_MS = 15_000;
/** Most bytes of a token answer read: a few tokens and their metadata. */
export const TOKEN_RESPONSE_MAX_BYTES = 64 * 1024;

/**
 * The URL to send the person to. Scopes use the provider's separator and the
 * catalog's extra parameters are added (`duration=permanent`, `audience=…`).
 */
export function buildAuthorizeUrl(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  options: { state: string; codeVerifier: string | null; scopes: string[] },
): URL {
  const arctic = new OAuth2Client(client.clientId, client.clientSecret, client.redirectUri);
  const url =
    provider.pkce && options.codeVerifier
      ? arctic.createAuthorizationURLWithPKCE(
          provider.authorizeUrl,
          options.state,
          CodeChallengeMethod.S256,
          options.codeVerifier,
          [],
        )
      : arctic.createAuthorizationURL(provider.authorizeUrl, options.state, []);
  if (options.scopes.length > 0) url.searchParams.set("scope", options.scopes.join(provider.scopeSeparator));
  for (const [name, value] of Object.entries(provider.authorizeParams)) url.searchParams.set(name, value);
  return url;
}

/**
 * RFC 9207 §2.4: where the catalog knows the provider's issuer, an authorization
 * response's `iss` must be exactly it, and a provider that always sends one must have
 * sent it. Without a known issuer there is nothing to compare with.
 * @example issuerMatches(google, "https://evil.example") // false
 */
export function issuerMatches(provider: Pick<OAuth2Provider, "issuer">, iss: string | undefined): boolean {
  if (!provider.issuer) return true;
  if (iss === undefined) return !provider.issuer.alwaysSent;
  return iss === provider.issuer.value;
}

/** Exchanges an authorization code for tokens. */
export function exchangeCode(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  code: string,
  codeVerifier: string | null,
  send: Transport,
): Promise<TokenSet> {
  const params: Record<string, string> = {
    grant_type: "authorization_code",
    code,
    redirect_uri: client.redirectUri,
  };
  if (provider.pkce && codeVerifier) params.code_verifier = codeVerifier;
  return tokenRequest(provider, client, "token", params, send);
}

/** Trades a refresh token for new tokens. The answer's refresh token may be new (rotation). */
export function refreshTokens(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  refreshToken: string,
  send: Transport,
): Promise<TokenSet> {
  return tokenRequest(provider, client, "refresh", { grant_type: "refresh_token", refresh_token: refreshToken }, send);
}

/** The token endpoint request for `params`: client authentication and body format as the catalog says. */
export function buildTokenRequest(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  purpose: "token" | "refresh",
  params: Record<string, string>,
): ProviderRequest {
  const headers = providerHeaders(provider, provider.tokenRequestHeaders);
  const fields = { ...params };
  if (provider.tokenEndpointAuth === "basic") {
    headers.set("Authorization", clientBasicAuthorization(client.clientId, client.clientSecret));
  } else {
    fields.client_id = client.clientId;
    fields.client_secret = client.clientSecret;
  }
  const { contentType, body } = encodeBody(provider.tokenRequestFormat, fields);
  headers.set("Content-Type", contentType);
  return { purpose, method: "POST", url: new URL(provider.tokenUrl), headers, body };
}

async function tokenRequest(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  purpose: "token" | "refresh",
  params: Record<string, string>,
  send: Transport,
): Promise<TokenSet> {
  const result = await send(buildTokenRequest(provider, client, purpose, params), {
    timeoutMs: TOKEN_REQUEST_TIMEOUT_MS,
    maxResponseBytes: TOKEN_RESPONSE_MAX_BYTES,
  });
  return parseTokenAnswer(provider, result);
}

/** Reads a token endpoint's answer in the provider's error style. */
export function parseTokenAnswer(provider: OAuth2Provider, result: SendResult): TokenSet {
  if (result.kind !== "response") {
    const why = result.kind === "timeout" ? "did not answer in time" : "could not be reached";
    throw new OAuthError("network", `${provider.displayName} ${why}.`);
  }
  const { status } = result;
  if (status === 429 || status >= 500) {
    throw new OAuthError("unavailable", `${provider.displayName} is unavailable (HTTP ${status}).`, {
      status,
      retryAfterSeconds: result.retryAfterSeconds,
    });
  }
  if (status >= 300 && status < 400) {
    // Never followed: a token endpoint that redirects is misconfigured or not the provider.
    throw new OAuthError("bad_response", `${provider.displayName} answered a redirect (HTTP ${status}).`, { status });
  }
  let data: unknown;
  try {
    data = JSON.parse(result.body);
  } catch {
    throw new OAuthError("bad_response", `${provider.displayName} answered something that is not JSON.`, { status });
  }
  if (typeof data !== "object" || data === null) {
    throw new OAuthError("bad_response", `${provider.displayName} answered an unexpected body.`, { status });
  }
  const record = data as Record<string, unknown>;
  // Slack answers 200 {ok:false,error}; GitHub answers 200 {error}; others use 4xx {error}.
  const providerError =
    typeof record.error === "string" ? record.error : record.ok === false ? "unknown_error" : undefined;
  if (providerError !== undefined || status >= 400) {
    const code = providerError ?? `http_${status}`;
    throw new OAuthError(classifyProviderError(code), `${provider.displayName} refused the request: ${code}.`, {
      providerError: code,
      status,
    });
  }
  return toTokenSet(provider, new OAuth2Tokens(record));
}

/**
 * RFC 6749 §7.1: the client must understand the token type to use the token. We send
 * tokens as `Authorization: Bearer`, so only the types the catalog lists (Bearer, in
 * any case, unless it says otherwise) are accepted; anything else is refused before
 * anything is stored.
 */
function checkTokenType(provider: OAuth2Provider, tokenType: unknown): void {
  const accepted = provider.tokenTypes.map((type) => type.toLowerCase());
  if (typeof tokenType === "string" && accepted.includes(tokenType.toLowerCase())) return;
  const what = typeof tokenType === "string" ? `token type "${tokenType.slice(0, 40)}"` : "no token type";
  throw new OAuthError("unsupported_token_type", `${provider.displayName} answered ${what}; Switchboard can only use ${provider.tokenTypes.join(" or ")} tokens.`);
}

function toTokenSet(provider: OAuth2Provider, tokens: OAuth2Tokens): TokenSet {
  let accessToken: string;
  try {
    accessToken = tokens.accessToken();
  } catch {
    throw new OAuthError("bad_response", `${provider.displayName} sent no access token.`);
  }
  const data = tokens.data as Record<string, unknown>;
  checkTokenType(provider, data.token_type);
  // A number, or a string of one (some providers quote it).
  const expiresIn = Number(data.expires_in);
  const scope = typeof data.scope === "string" ? data.scope : null;
  const metadata: Record<string, string> = {};
  for (const path of provider.tokenResponseFields) {
    const value = readPath(data, path);
    if (typeof value === "string" || typeof value === "number") metadata[path] = String(value);
  }
  return {
    accessToken,
    refreshToken: tokens.hasRefreshToken() ? tokens.refreshToken() : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : null,
    // Providers disagree on the separator of the granted scopes (GitHub answers commas).
    scopes: scope === null ? null : scope.split(/[\s,]+/).filter(Boolean),
    metadata,
  };
}
