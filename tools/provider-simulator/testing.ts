import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import {
  getProviderOrThrow,
  resolveApiBaseUrl,
  resolveEndpoints,
  scopesParam,
  type OAuth2Provider,
  type Provider,
} from "../../lib/providers/index";
import type { ClientConfig } from "./state";

/*
 * Helpers for tests that drive the simulator over real HTTP the way the app would:
 * every request is built from the catalog entry (resolved onto the simulator), so a
 * test fails when the catalog and the simulator disagree.
 */

export const TEST_REDIRECT_URI = "http://127.0.0.1:9/callback";

export function oauthProvider(id: string, simulatorUrl: string): OAuth2Provider {
  const provider = getProviderOrThrow(id);
  if (provider.authKind !== "oauth2") throw new Error(`${id} is not an OAuth provider`);
  return resolveEndpoints(provider, { simulatorBaseUrl: simulatorUrl });
}

export function defaultClient(providerId: string): ClientConfig {
  return { clientId: `sim-${providerId}-client`, clientSecret: `sim-${providerId}-secret` };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export type AuthorizeOptions = {
  client?: ClientConfig;
  redirectUri?: string;
  state?: string;
  scopes?: string[];
  /** The S256 challenge; defaults to a fresh one when the catalog says pkce. */
  codeChallenge?: string | null;
  /** Parameters to add, override (string) or drop (null). */
  params?: Record<string, string | null>;
};

/** The authorize URL the OAuth layer would build from the catalog. */
export function authorizeUrl(provider: OAuth2Provider, options: AuthorizeOptions = {}): URL {
  const client = options.client ?? defaultClient(provider.id);
  const url = new URL(provider.authorizeUrl);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", client.clientId);
  url.searchParams.set("redirect_uri", options.redirectUri ?? TEST_REDIRECT_URI);
  url.searchParams.set("state", options.state ?? "state-123");
  const scope = scopesParam(provider, options.scopes ?? provider.defaultScopes);
  if (scope) url.searchParams.set("scope", scope);
  for (const [name, value] of Object.entries(provider.authorizeParams)) url.searchParams.set(name, value);
  if (options.codeChallenge) {
    url.searchParams.set("code_challenge", options.codeChallenge);
    url.searchParams.set("code_challenge_method", "S256");
  }
  for (const [name, value] of Object.entries(options.params ?? {})) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return url;
}

/** GET without following redirects. */
export function getManual(url: URL | string): Promise<Response> {
  return fetch(url, { redirect: "manual" });
}

/** The query of a redirect's Location header. */
export function redirectParams(response: Response): URLSearchParams {
  const location = response.headers.get("location");
  if (!location) throw new Error(`Expected a redirect, got ${response.status}`);
  return new URL(location).searchParams;
}

export type TokenRequestOptions = {
  client?: ClientConfig;
  /** Defaults to the catalog's tokenEndpointAuth. */
  auth?: "basic" | "body" | "none";
  /** Defaults to the catalog's tokenRequestFormat. */
  format?: "form" | "json";
  /** Defaults to the catalog's tokenRequestHeaders plus `Accept: application/json`. */
  headers?: Record<string, string>;
  /** fetch's redirect mode (default "follow"). */
  redirect?: RequestRedirect;
};

/** One value the application/x-www-form-urlencoded way (the WHATWG serializer: space is "+"). */
export function formUrlEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

/**
 * `Authorization` for HTTP Basic client authentication as RFC 6749 §2.3.1 has it: id and
 * secret each form-urlencoded, then joined with ":" and base64-encoded.
 */
export function clientBasicAuthorization(client: ClientConfig): string {
  const pair = `${formUrlEncode(client.clientId)}:${formUrlEncode(client.clientSecret)}`;
  return `Basic ${Buffer.from(pair, "utf8").toString("base64")}`;
}

/** `Authorization` for a user's Basic credentials (RFC 7617, WordPress): plain UTF-8, no form encoding. */
export function userBasicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

/** A raw token-endpoint call, authenticated the way the catalog says unless told otherwise. */
export async function tokenRequest(
  provider: OAuth2Provider,
  params: Record<string, string>,
  options: TokenRequestOptions = {},
): Promise<Response> {
  const client = options.client ?? defaultClient(provider.id);
  const auth = options.auth ?? provider.tokenEndpointAuth;
  const format = options.format ?? provider.tokenRequestFormat;
  const headers: Record<string, string> = options.headers ?? {
    accept: "application/json",
    ...provider.tokenRequestHeaders,
  };
  const fields = {
    ...params,
    ...(auth === "body" ? { client_id: client.clientId, client_secret: client.clientSecret } : {}),
  };
  if (auth === "basic") headers.authorization = clientBasicAuthorization(client);
  const body = format === "json" ? JSON.stringify(fields) : new URLSearchParams(fields).toString();
  headers["content-type"] = format === "json" ? "application/json" : "application/x-www-form-urlencoded";
  return fetch(provider.tokenUrl, { method: "POST", headers, body, redirect: options.redirect ?? "follow" });
}

export type Connection = {
  provider: OAuth2Provider;
  tokens: Record<string, unknown>;
  accessToken: string;
  refreshToken: string | null;
};

/**
 * Authorize (the simulator must auto-approve) → exchange the code → tokens.
 * Throws with the simulator's answer when a step fails.
 */
export async function connect(
  simulatorUrl: string,
  providerId: string,
  options: AuthorizeOptions = {},
): Promise<Connection> {
  const provider = oauthProvider(providerId, simulatorUrl);
  const pkce = pkcePair();
  const codeChallenge =
    options.codeChallenge === undefined ? (provider.pkce ? pkce.challenge : null) : options.codeChallenge;
  const authorize = await getManual(authorizeUrl(provider, { ...options, codeChallenge }));
  if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}: ${await authorize.text()}`);
  const query = redirectParams(authorize);
  const code = query.get("code");
  if (!code) throw new Error(`authorize redirected with ${query.toString()}`);
  const response = await tokenRequest(
    provider,
    {
      grant_type: "authorization_code",
      code,
      redirect_uri: options.redirectUri ?? TEST_REDIRECT_URI,
      ...(codeChallenge ? { code_verifier: pkce.verifier } : {}),
    },
    { client: options.client },
  );
  const tokens = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200 || typeof tokens.access_token !== "string") {
    throw new Error(`token exchange answered ${response.status}: ${JSON.stringify(tokens)}`);
  }
  return {
    provider,
    tokens,
    accessToken: tokens.access_token,
    refreshToken: typeof tokens.refresh_token === "string" ? tokens.refresh_token : null,
  };
}

/** Refreshes with the catalog's client authentication; returns status and body. */
export async function refresh(provider: OAuth2Provider, refreshToken: string, options: TokenRequestOptions = {}) {
  const response = await tokenRequest(provider, { grant_type: "refresh_token", refresh_token: refreshToken }, options);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * Calls a provider's test request with the catalog's headers and the given credential.
 * `credential` is an access token (oauth2), `{ username, password }` (basic) or field values (api_key).
 */
export async function callTest(
  provider: Provider,
  credential: string | Record<string, string>,
  context: { tokenResponse?: unknown; credentials?: Record<string, string>; redirect?: RequestRedirect } = {},
): Promise<Response> {
  if (!("test" in provider)) throw new Error(`${provider.id} has no test request`);
  return callApi(provider, provider.test.method, provider.test.path, credential, {
    ...context,
    body: provider.test.body,
  });
}

/** Any API call the way the call pipeline would make it: base from the catalog, headers, auth. */
export async function callApi(
  provider: Provider,
  method: string,
  path: string,
  credential: string | Record<string, string>,
  context: {
    tokenResponse?: unknown;
    credentials?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
    /** fetch's redirect mode; "manual" or "error" to check a client that must not follow. */
    redirect?: RequestRedirect;
  } = {},
): Promise<Response> {
  const base = resolveApiBaseUrl(provider, context);
  if (!base) throw new Error(`${provider.id} has no API base`);
  const url = new URL(`${base}${path}`);
  const headers: Record<string, string> = { ...provider.defaultHeaders, ...context.headers };
  switch (provider.authKind) {
    case "oauth2":
      headers.authorization = `Bearer ${credential as string}`;
      break;
    case "basic": {
      const values = credential as Record<string, string>;
      const user = values[provider.basicAuth.usernameField];
      const password = values[provider.basicAuth.passwordField];
      headers.authorization = userBasicAuthorization(user ?? "", password ?? "");
      break;
    }
    case "api_key":
      for (const placement of provider.placement) {
        const value = (credential as Record<string, string>)[placement.field] ?? "";
        if (placement.in === "query") url.searchParams.set(placement.name, value);
        else headers[placement.name] = `${placement.prefix ?? ""}${value}`;
      }
      break;
    case "webhook_url":
      throw new Error("webhook providers have no API");
    default:
      return provider satisfies never;
  }
  const init: RequestInit = { method, headers, ...(context.redirect ? { redirect: context.redirect } : {}) };
  if (context.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(context.body);
  }
  return fetch(url, init);
}

/** A request that reached a trap server. */
export type TrapRequest = {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** With values: what leaked (an Authorization header, a cookie) is the point. */
  headers: IncomingHttpHeaders;
  /** The body as text, cut at 1 MB; filled in as it arrives. */
  body: string;
};

export type TrapServer = {
  /** `http://127.0.0.1:<port>`: another origin than the simulator's. */
  url: string;
  /** Every request received, in order; a test that expects none asserts this is empty. */
  requests: TrapRequest[];
  close(): Promise<void>;
};

const TRAP_BODY_LIMIT = 1_000_000;

/**
 * A second origin on 127.0.0.1 that records whatever reaches it and answers 200. Point a
 * redirect at it (`redirectNext`) and assert `requests` stays empty to prove a client
 * never follows redirects, and so never carries a secret to another host. It works in the
 * Convex test project too: vitest's edge-runtime environment can still open node:http servers.
 * @example const trap = await startTrapServer(); … expect(trap.requests).toEqual([]); await trap.close();
 */
export async function startTrapServer(): Promise<TrapServer> {
  const requests: TrapRequest[] = [];
  const server = createServer((req, res) => {
    // Recorded on arrival, so a test sees it even if the client never waits for the answer.
    const entry: TrapRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: "" };
    requests.push(entry);
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      if (entry.body.length < TRAP_BODY_LIMIT) entry.body += chunk.slice(0, TRAP_BODY_LIMIT - entry.body.length);
    });
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ trapped: true }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
