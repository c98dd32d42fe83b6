/**
 * The request that proves a connection's credential works (the catalog's "who am
 * I" test, or for webhooks a delivery of the sample payload), and how to read its
 * answer. Connect-time verification, the Test button and keep-alive all use it,
 * through the transport they are given (which logs the exchange).
 */
import { applyCredential, type ConnectionCredentials } from "../http/credential";
import { isCredentialRefused } from "../http/refused";
import { providerHeaders, type ProviderRequest, type RequestPurpose } from "../http/request";
import type { SendResult, Transport } from "../http/send";
import { resolveCallUrl } from "../http/url-guard";
import { readAccount as readAccountFrom } from "../providers/account";
import { connectionApiBase } from "../providers/endpoints";
import type { Provider, TestRequest } from "../providers/schema";

/** The longest a provider test request may take. */
export const PROVIDER_TEST_TIMEOUT_MS = 15_000;
/** Most bytes of a test answer read: a "who am I" answer is small. */
export const PROVIDER_TEST_MAX_RESPONSE_BYTES = 256 * 1024;

/** Methods a webhook delivery may use (the catalog's `defaultMethod` choices). */
const WEBHOOK_METHODS = ["POST", "PUT", "PATCH"] as const;

/** The purposes a test request is made for. */
export type TestPurpose = Extract<RequestPurpose, "test" | "verify" | "keep_alive">;

export type TestOutcome =
  | { ok: true; status: number; account: { id: string; name: string | null } }
  | {
      ok: false;
      /** unauthorized: the credential was refused; unavailable: try later; bad_response: not what we expect. */
      reason: "unauthorized" | "unavailable" | "bad_response" | "network" | "misconfigured" | "decrypt_failed";
      status: number | null;
      message: string;
    };

/** The test request for these credentials, or why it cannot be built (nothing is sent then). */
export function buildTestRequest(
  provider: Provider,
  credentials: ConnectionCredentials,
  purpose: TestPurpose,
): { ok: true; request: ProviderRequest; test: TestRequest | null } | { ok: false; message: string } {
  const headers = providerHeaders(provider);
  if (provider.authKind === "webhook_url") {
    const target = credentials.secrets[provider.webhook.urlField] ?? credentials.config[provider.webhook.urlField];
    if (!target || !URL.canParse(target)) return { ok: false, message: "The webhook URL is missing." };
    const url = new URL(target);
    const chosen = provider.webhook.methodField ? credentials.config[provider.webhook.methodField] : undefined;
    const method = WEBHOOK_METHODS.find((m) => m === chosen) ?? provider.webhook.defaultMethod;
    headers.set("Content-Type", "application/json");
    try {
      applyCredential(provider, credentials, url, headers);
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : "The webhook settings are incomplete." };
    }
    const body = JSON.stringify(provider.webhook.samplePayload);
    return { ok: true, request: { purpose, method, url, headers, body }, test: null };
  }

  const base = connectionApiBase(provider, credentials.config);
  if (!base) return { ok: false, message: `${provider.displayName} has no API address for this connection.` };
  const resolved = resolveCallUrl(base, provider.test.path);
  if (!resolved.ok) return { ok: false, message: resolved.message };
  const url = resolved.url;
  applyCredential(provider, credentials, url, headers);
  let body: string | undefined;
  if (provider.test.body !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(provider.test.body);
  }
  return { ok: true, request: { purpose, method: provider.test.method, url, headers, body }, test: provider.test };
}

/** What a test request's ending says about the credential. */
export function readTestAnswer(provider: Provider, test: TestRequest | null, url: URL, result: SendResult): TestOutcome {
  if (result.kind === "timeout" || result.kind === "network_error") {
    const why = result.kind === "timeout" ? "did not answer in time" : "could not be reached";
    return { ok: false, reason: "network", status: null, message: `${provider.displayName} ${why}.` };
  }
  const { status, body } = result;
  if (isCredentialRefused(provider, status, body)) {
    return { ok: false, reason: "unauthorized", status, message: `${provider.displayName} refused the credentials.` };
  }
  if (status === 429 || status >= 500) {
    return { ok: false, reason: "unavailable", status, message: `${provider.displayName} is unavailable (HTTP ${status}).` };
  }
  if (status === 403) {
    return {
      ok: false,
      reason: "bad_response",
      status,
      message: `${provider.displayName} answered HTTP 403: the credential works but is not allowed to do this.`,
    };
  }
  if (status >= 300) {
    // Redirects are never followed: a redirect here is an answer we cannot use.
    return { ok: false, reason: "bad_response", status, message: `${provider.displayName} answered HTTP ${status}.` };
  }
  if (test === null) return { ok: true, status, account: accountOfWebhook(url) };
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { ok: false, reason: "bad_response", status, message: `${provider.displayName} answered something that is not JSON.` };
  }
  const reading = readAccountFrom({ ...provider, test } as Provider & { test: TestRequest }, data);
  if (reading.ok) return { ok: true, status, account: { id: reading.accountId, name: reading.accountName } };
  if (reading.reason === "provider_error") {
    return { ok: false, reason: "bad_response", status, message: `${provider.displayName} answered ${reading.detail}.` };
  }
  return { ok: false, reason: "bad_response", status, message: `${provider.displayName} did not say which account this is.` };
}

/**
 * Runs the provider's test request through `send` and reads the account from the
 * answer. Never throws for the provider's sake, never echoes a secret.
 */
export async function runTestRequest(
  provider: Provider,
  credentials: ConnectionCredentials,
  purpose: TestPurpose,
  send: Transport,
): Promise<TestOutcome> {
  const built = buildTestRequest(provider, credentials, purpose);
  if (!built.ok) return { ok: false, reason: "misconfigured", status: null, message: built.message };
  const result = await send(built.request, {
    timeoutMs: PROVIDER_TEST_TIMEOUT_MS,
    maxResponseBytes: PROVIDER_TEST_MAX_RESPONSE_BYTES,
  });
  return readTestAnswer(provider, built.test, built.request.url, result);
}

/**
 * A webhook has no account: its host and a masked path name it (the path is the
 * secret), enough to tell two webhooks on one host apart.
 * @example accountOfWebhook(new URL("https://api.pumble.com/workspaces/w1/incomingWebhooks/postMessage/Ab12Cd34"))
 * // { id: "api.pumble.com", name: "api.pumble.com/workspaces/…Cd34" }
 */
export function accountOfWebhook(url: URL): { id: string; name: string } {
  const segments = url.pathname.split("/").filter(Boolean);
  const last = segments.at(-1) ?? "";
  const shown = segments.length > 1 ? `/${segments[0]}/…` : "/…";
  return { id: url.host, name: segments.length === 0 ? url.host : `${url.host}${shown}${last.slice(-4)}` };
}
