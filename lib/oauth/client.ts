/**
 * OAuth 2.0 for every catalog provider: arctic builds the authorize URL (with PKCE)
 * and wraps token answers; this module adds what arctic's generic client cannot
 * express and the catalog needs: client secrets in the body, JSON token requests
 * (Notion), comma-separated scopes (Slack) and errors sent with HTTP 200 (Slack, GitHub).
 */
import { CodeChallengeMethod, OAuth2Client, OAuth2Tokens } from "arctic";
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

/** Exchanges an authorization code for tokens. */
export function exchangeCode(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  code: string,
  codeVerifier: string | null,
): Promise<TokenSet> {
  const params: Record<string, string> = {
    grant_type: "authorization_code",
    code,
    redirect_uri: client.redirectUri,
  };
  if (provider.pkce && codeVerifier) params.code_verifier = codeVerifier;
  return tokenRequest(provider, client, params);
}

/** Trades a refresh token for new tokens. The answer's refresh token may be new (rotation). */
export function refreshTokens(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  refreshToken: string,
): Promise<TokenSet> {
  return tokenRequest(provider, client, { grant_type: "refresh_token", refresh_token: refreshToken });
}

async function tokenRequest(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  params: Record<string, string>,
): Promise<TokenSet> {
  const headers = new Headers({ Accept: "application/json", "User-Agent": "Switchboard/1.0" });
  for (const [name, value] of Object.entries(provider.defaultHeaders)) headers.set(name, value);
  for (const [name, value] of Object.entries(provider.tokenRequestHeaders)) headers.set(name, value);
  const fields = { ...params };
  if (provider.tokenEndpointAuth === "basic") {
    headers.set("Authorization", `Basic ${basicCredentials(client.clientId, client.clientSecret)}`);
  } else {
    fields.client_id = client.clientId;
    fields.client_secret = client.clientSecret;
  }
  let body: string;
  if (provider.tokenRequestFormat === "json") {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(fields);
  } else {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    body = new URLSearchParams(fields).toString();
  }

  let response: Response;
  try {
    response = await fetch(provider.tokenUrl, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new OAuthError("network", `${provider.displayName} could not be reached.`, { cause });
  }
  return parseTokenResponse(provider, response);
}

/** Reads a token endpoint's answer in the provider's error style. */
export async function parseTokenResponse(provider: OAuth2Provider, response: Response): Promise<TokenSet> {
  const status = response.status;
  if (status === 429 || status >= 500) {
    throw new OAuthError("unavailable", `${provider.displayName} is unavailable (HTTP ${status}).`, {
      status,
      retryAfterSeconds: parseRetryAfter(response.headers.get("Retry-After")),
    });
  }
  let data: unknown;
  try {
    data = await response.json();
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

function toTokenSet(provider: OAuth2Provider, tokens: OAuth2Tokens): TokenSet {
  let accessToken: string;
  try {
    accessToken = tokens.accessToken();
  } catch {
    throw new OAuthError("bad_response", `${provider.displayName} sent no access token.`);
  }
  const data = tokens.data as Record<string, unknown>;
  const expiresIn = typeof data.expires_in === "number" ? data.expires_in : Number(data.expires_in);
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

/** Seconds from a Retry-After header (delta-seconds or HTTP date), or undefined. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function basicCredentials(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
