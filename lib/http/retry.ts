/**
 * When the call pipeline sends a request again, and how long it waits first.
 *
 * Only requests that are safe to repeat are retried: idempotent methods (RFC 9110
 * §9.2.2) and requests carrying an `Idempotency-Key`, which providers that accept it
 * (Stripe-style APIs) deduplicate. A `Retry-After` longer than the cap is not waited
 * out inside an action: the 429/503 goes back to the caller, who can schedule.
 */

import { HTTP_METHODS, type HttpMethod } from "./request";

/** Methods a call may use: every method a provider request may use. */
export const CALL_METHODS = HTTP_METHODS;
export type CallMethod = HttpMethod;

/** RFC 9110 §9.2.2: repeating these has the same effect as sending them once. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** Statuses that say "try again": rate limited, or a gateway that could not get an answer. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Attempts per call, the first included (a 401 refresh-and-retry does not count). */
export const CALL_MAX_ATTEMPTS = 3;
/** First backoff step; each later one doubles. */
export const RETRY_BASE_DELAY_MS = 250;
/** Longest backoff step without a `Retry-After`. */
export const RETRY_MAX_DELAY_MS = 4_000;
/** Longest `Retry-After` waited out inside one call; longer ones are handed back to the caller. */
export const RETRY_AFTER_CAP_MS = 10_000;

/** True when sending the request twice is harmless. */
export function isIdempotent(method: string, headers: Record<string, string> = {}): boolean {
  if (IDEMPOTENT_METHODS.has(method.toUpperCase())) return true;
  return Object.keys(headers).some((name) => name.toLowerCase() === "idempotency-key");
}

export type AttemptResult =
  | { kind: "response"; status: number; retryAfterSeconds: number | undefined }
  | { kind: "network_error" }
  | { kind: "timeout" };

export type RetryDecision =
  | { retry: true; delayMs: number; reason: "retryable_status" | "retry_after" | "network_error" }
  | {
      retry: false;
      reason: "success_or_final" | "not_idempotent" | "attempts_exhausted" | "retry_after_too_long" | "timeout";
    };

export type RetryPolicy = { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; retryAfterCapMs: number };

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: CALL_MAX_ATTEMPTS,
  baseDelayMs: RETRY_BASE_DELAY_MS,
  maxDelayMs: RETRY_MAX_DELAY_MS,
  retryAfterCapMs: RETRY_AFTER_CAP_MS,
};

/**
 * Exponential backoff with "equal jitter": half the step fixed, half random, so
 * retries of many callers spread out but never fire immediately.
 * @example backoffDelayMs(1, DEFAULT_RETRY_POLICY, () => 0) // 125
 */
export function backoffDelayMs(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

/**
 * Whether to send again after `attempt` (1-based) ended with `result`.
 * A timeout is not retried: it already used the whole time budget of an attempt.
 * @example retryDecision({ method: "GET", headers: {}, attempt: 1, result: { kind: "response", status: 429, retryAfterSeconds: 1 } })
 * // { retry: true, delayMs: 1000, reason: "retry_after" }
 */
export function retryDecision(
  input: { method: string; headers: Record<string, string>; attempt: number; result: AttemptResult },
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): RetryDecision {
  const { result } = input;
  if (result.kind === "timeout") return { retry: false, reason: "timeout" };
  if (result.kind === "response" && !RETRYABLE_STATUSES.has(result.status)) {
    return { retry: false, reason: "success_or_final" };
  }
  if (!isIdempotent(input.method, input.headers)) return { retry: false, reason: "not_idempotent" };
  if (input.attempt >= policy.maxAttempts) return { retry: false, reason: "attempts_exhausted" };
  const backoff = backoffDelayMs(input.attempt, policy, random);
  if (result.kind === "network_error") return { retry: true, delayMs: backoff, reason: "network_error" };
  if (result.retryAfterSeconds === undefined) return { retry: true, delayMs: backoff, reason: "retryable_status" };
  const retryAfterMs = result.retryAfterSeconds * 1000;
  if (retryAfterMs > policy.retryAfterCapMs) return { retry: false, reason: "retry_after_too_long" };
  // The provider said how long; waiting less would only earn another 429.
  return { retry: true, delayMs: Math.max(retryAfterMs, 0), reason: "retry_after" };
}
