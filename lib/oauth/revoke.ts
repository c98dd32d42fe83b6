import { clientBasicAuthorization } from "../http/basic";
import { backoffDelayMs } from "../http/retry";
import { encodeBody, providerHeaders, type ProviderRequest } from "../http/request";
import type { Transport } from "../http/send";
import type { OAuth2Provider } from "../providers/schema";
import type { OAuthClientCredentials } from "./client";
import { TOKEN_REQUEST_TIMEOUT_MS } from "./client";

/** How a revocation at the provider ended. */
export const REVOKE_RESULTS = ["revoked", "not_supported", "no_token", "failed"] as const;
export type RevokeResult = {
  result: (typeof REVOKE_RESULTS)[number];
  status?: number;
  /**
   * A failure that says nothing about the token (no answer, 429, 5xx): RFC 7009 §2.2.1
   * says to assume the token still exists, so the revocation is tried again later.
   */
  retryable?: boolean;
  retryAfterSeconds?: number;
};

/** First wait before a failed revocation is tried again; doubles per attempt. */
export const REVOCATION_RETRY_BASE_MS = 60_000;
/** Longest wait between revocation attempts. */
export const REVOCATION_RETRY_MAX_MS = 60 * 60_000;
/** A revocation still failing this long after its first failure is given up (and audited). */
export const REVOCATION_GIVE_UP_AFTER_MS = 3 * 24 * 60 * 60_000;

/**
 * When to try a failed revocation again, or that it is time to give up.
 * @example revocationRetryPlan({ attempts: 1, firstFailedAt: now, retryAfterSeconds: undefined }, now, () => 0) // { retry: true, at: now + 30_000 }
 */
export function revocationRetryPlan(
  input: { attempts: number; firstFailedAt: number; retryAfterSeconds: number | undefined },
  now: number,
  random: () => number = Math.random,
): { retry: true; at: number } | { retry: false } {
  if (now - input.firstFailedAt >= REVOCATION_GIVE_UP_AFTER_MS) return { retry: false };
  const backoff = backoffDelayMs(input.attempts, { baseDelayMs: REVOCATION_RETRY_BASE_MS, maxDelayMs: REVOCATION_RETRY_MAX_MS }, random);
  const wait = Math.min(Math.max(backoff, (input.retryAfterSeconds ?? 0) * 1000), REVOCATION_RETRY_MAX_MS);
  return { retry: true, at: now + wait };
}

/**
 * What a disconnect did about the grant at the provider: a revocation result,
 * `pending` (it failed in a way that is tried again later), or why none was tried
 * (not an OAuth connection, no OAuth client configured, a credential that does not decrypt).
 */
export const DISCONNECT_REVOCATIONS = [
  ...REVOKE_RESULTS,
  "pending",
  "not_applicable",
  "not_configured",
  "undecryptable",
] as const;
export type DisconnectRevocation = (typeof DISCONNECT_REVOCATIONS)[number];

/**
 * The revocation request as the catalog entry describes it (RFC 7009 form,
 * Notion's JSON, GitHub's DELETE with the client id in the path, Slack's bearer
 * call), or null when there is nothing to revoke with.
 */
export function buildRevokeRequest(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  tokens: { accessToken: string | null; refreshToken: string | null },
): ProviderRequest | { skip: "not_supported" | "no_token" } {
  const spec = provider.revoke;
  if (!spec) return { skip: "not_supported" };
  const token = spec.token === "refresh_token" ? (tokens.refreshToken ?? tokens.accessToken) : tokens.accessToken;
  if (!token) return { skip: "no_token" };

  const url = new URL(spec.url.replace("{client_id}", encodeURIComponent(client.clientId)));
  const headers = providerHeaders(provider);
  const fields: Record<string, string> = { ...spec.extraParams };
  if (spec.clientAuth === "basic") {
    headers.set("Authorization", clientBasicAuthorization(client.clientId, client.clientSecret));
  } else if (spec.clientAuth === "body") {
    fields.client_id = client.clientId;
    fields.client_secret = client.clientSecret;
  }
  if (spec.tokenIn === "bearer") headers.set("Authorization", `Bearer ${token}`);
  else fields[spec.tokenField] = token;
  let body: string | undefined;
  if (spec.tokenIn === "json" || Object.keys(fields).length > 0) {
    const encoded = encodeBody(spec.tokenIn === "json" ? "json" : "form", fields);
    headers.set("Content-Type", encoded.contentType);
    body = encoded.body;
  }
  return { purpose: "revoke", method: spec.method, url, headers, body };
}

/**
 * Revokes a grant at the provider. Never throws: disconnecting must go on even when
 * the provider is down (the caller retries a failure later).
 */
export async function revokeGrant(
  provider: OAuth2Provider,
  client: OAuthClientCredentials,
  tokens: { accessToken: string | null; refreshToken: string | null },
  send: Transport,
): Promise<RevokeResult> {
  const request = buildRevokeRequest(provider, client, tokens);
  if ("skip" in request) return { result: request.skip };
  const answer = await send(request, { timeoutMs: TOKEN_REQUEST_TIMEOUT_MS, maxResponseBytes: 16 * 1024 });
  if (answer.kind !== "response") return { result: "failed", retryable: true };
  // Slack answers 200 {ok:false} when the token was already dead: nothing left to revoke.
  if (answer.status >= 200 && answer.status < 300) return { result: "revoked" };
  const retryable = answer.status === 429 || answer.status >= 500;
  return { result: "failed", status: answer.status, retryable, retryAfterSeconds: answer.retryAfterSeconds };
}
