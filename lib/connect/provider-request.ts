/**
 * Talking to a provider with a connection's credentials: where its API lives, how
 * the credential rides on a request, and the test request that proves it works.
 * Pure Web APIs, so Convex actions and tests share it.
 */
import { readAccount as readAccountFrom } from "../providers/account";
import { customWebhookAuthHeaders } from "../providers/custom-webhook";
import type { Provider, TestRequest } from "../providers/schema";

/** Decrypted secrets and plain config of one connection. Lives only inside an action. */
export type ConnectionCredentials = {
  secrets: Record<string, string>;
  config: Record<string, string>;
};

/** The longest a provider test request may take. */
export const PROVIDER_TEST_TIMEOUT_MS = 15_000;

/**
 * The API base of a connection: fixed in the catalog, or found at connect time
 * (Salesforce's `instance_url`, a WordPress site) and kept in `config.apiBaseUrl`.
 */
export function apiBaseFor(provider: Provider, config: Record<string, string>): string | null {
  if ("apiBaseUrl" in provider && provider.apiBaseUrl) return provider.apiBaseUrl;
  return config.apiBaseUrl ?? null;
}

/** Puts the credential on a request the way the provider expects it. */
export function applyAuth(provider: Provider, credentials: ConnectionCredentials, url: URL, headers: Headers): void {
  const { secrets, config } = credentials;
  switch (provider.authKind) {
    case "oauth2":
      if (secrets.accessToken) headers.set("Authorization", `Bearer ${secrets.accessToken}`);
      return;
    case "basic": {
      const username = config[provider.basicAuth.usernameField] ?? secrets[provider.basicAuth.usernameField] ?? "";
      const password = secrets[provider.basicAuth.passwordField] ?? "";
      headers.set("Authorization", `Basic ${base64Utf8(`${username}:${password}`)}`);
      return;
    }
    case "api_key":
      for (const placement of provider.placement) {
        const value = secrets[placement.field] ?? config[placement.field] ?? "";
        if (placement.in === "query") url.searchParams.set(placement.name, value);
        else headers.set(placement.name, `${placement.prefix ?? ""}${value}`);
      }
      return;
    case "webhook_url":
      // Pumble's URL is itself the credential; only custom webhooks add an auth header.
      if (provider.id !== "custom-webhook") return;
      for (const [name, value] of Object.entries(customWebhookAuthHeaders({ ...config, ...secrets }))) {
        headers.set(name, value);
      }
      return;
    default:
      provider satisfies never;
  }
}

export type TestOutcome =
  | { ok: true; status: number; account: { id: string; name: string | null } }
  | {
      ok: false;
      /** unauthorized: the credential was refused; unavailable: try later; bad_response: not what we expect. */
      reason: "unauthorized" | "unavailable" | "bad_response" | "network" | "misconfigured" | "decrypt_failed";
      status: number | null;
      message: string;
    };

/**
 * Runs the provider's test request (or, for webhooks, delivers the sample payload)
 * and reads the account from the answer. Never throws, never echoes a secret.
 */
export async function runTestRequest(
  provider: Provider,
  credentials: ConnectionCredentials,
  options: { userAgent?: string } = {},
): Promise<TestOutcome> {
  const prepared = prepareTest(provider, credentials);
  if ("error" in prepared) return { ok: false, reason: "misconfigured", status: null, message: prepared.error };
  const { url, init, test } = prepared;
  const headers = new Headers(init.headers);
  if (options.userAgent && !headers.has("User-Agent")) headers.set("User-Agent", options.userAgent);
  let response: Response;
  try {
    // Never follow redirects: a checked URL could bounce the credential to another host.
    response = await fetch(url, {
      ...init,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(PROVIDER_TEST_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, reason: "network", status: null, message: `${provider.displayName} could not be reached.` };
  }
  const status = response.status;
  if (status === 401 || status === 403) {
    await response.body?.cancel();
    return { ok: false, reason: "unauthorized", status, message: `${provider.displayName} refused the credentials.` };
  }
  if (status === 429 || status >= 500) {
    await response.body?.cancel();
    return { ok: false, reason: "unavailable", status, message: `${provider.displayName} is unavailable (HTTP ${status}).` };
  }
  if (status >= 300) {
    await response.body?.cancel();
    return { ok: false, reason: "bad_response", status, message: `${provider.displayName} answered HTTP ${status}.` };
  }
  if (test === null) {
    await response.body?.cancel();
    return { ok: true, status, account: accountOfWebhook(url) };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, reason: "bad_response", status, message: `${provider.displayName} answered something that is not JSON.` };
  }
  return readAccount(provider, test, body, status);
}

function readAccount(provider: Provider, test: TestRequest, body: unknown, status: number): TestOutcome {
  const reading = readAccountFrom({ ...provider, test } as Provider & { test: TestRequest }, body);
  if (reading.ok) return { ok: true, status, account: { id: reading.accountId, name: reading.accountName } };
  if (reading.reason === "provider_error") {
    // Slack-style: HTTP 200 with ok:false; token problems are its usual cause.
    const revoked = /invalid_auth|token_revoked|account_inactive|not_authed|token_expired/.test(reading.detail);
    return {
      ok: false,
      reason: revoked ? "unauthorized" : "bad_response",
      status,
      message: `${provider.displayName} answered ${reading.detail}.`,
    };
  }
  return { ok: false, reason: "bad_response", status, message: `${provider.displayName} did not say which account this is.` };
}

type PreparedTest = { url: URL; init: RequestInit; test: TestRequest | null } | { error: string };

function prepareTest(provider: Provider, credentials: ConnectionCredentials): PreparedTest {
  const headers = new Headers({ Accept: "application/json" });
  for (const [name, value] of Object.entries(provider.defaultHeaders)) headers.set(name, value);

  if (provider.authKind === "webhook_url") {
    const target = credentials.secrets[provider.webhook.urlField] ?? credentials.config[provider.webhook.urlField];
    if (!target || !URL.canParse(target)) return { error: "The webhook URL is missing." };
    const url = new URL(target);
    const method = (provider.webhook.methodField && credentials.config[provider.webhook.methodField]) || provider.webhook.defaultMethod;
    headers.set("Content-Type", "application/json");
    try {
      applyAuth(provider, credentials, url, headers);
    } catch (error) {
      return { error: error instanceof Error ? error.message : "The webhook settings are incomplete." };
    }
    return { url, init: { method, headers, body: JSON.stringify(provider.webhook.samplePayload) }, test: null };
  }

  const base = apiBaseFor(provider, credentials.config);
  if (!base) return { error: `${provider.displayName} has no API address for this connection.` };
  const url = joinUrl(base, provider.test.path);
  applyAuth(provider, credentials, url, headers);
  const init: RequestInit = { method: provider.test.method, headers };
  if (provider.test.body !== undefined) {
    headers.set("Content-Type", "application/json");
    init.body = JSON.stringify(provider.test.body);
  }
  return { url, init, test: provider.test };
}

/** `base` + a relative path (which may carry a query), keeping the base's own path. */
export function joinUrl(base: string, path: string): URL {
  const url = new URL(base);
  const [pathname, query] = path.split("?", 2) as [string, string | undefined];
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${pathname}`;
  if (query) for (const [k, v] of new URLSearchParams(query)) url.searchParams.append(k, v);
  return url;
}

/** A webhook has no account; its host (never the secret path) names it. */
function accountOfWebhook(url: URL): { id: string; name: string } {
  return { id: url.host, name: url.host };
}

function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
