/**
 * When a failed step is tried again, and after how long. Only errors the step contract
 * calls retryable (rate limits, time-outs, a provider's 5xx) are retried, up to the
 * step's `maxAttempts`; the wait doubles from `initialDelayMs`, capped at an hour, and
 * is longer when the provider said how long to wait (Retry-After) and that is longer.
 */
import type { RetryPolicy } from "./definition";

/** The longest wait the doubling reaches; a provider's own Retry-After may be longer. */
export const RETRY_BACKOFF_CAP_MS = 60 * 60 * 1000;

/** What the retry decision needs of a failure (the step contract's error). */
export type RetryableError = { retryable: boolean; retryAfterMs?: number };

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

/**
 * The wait before attempt `attempts + 1`, after `attempts` failed ones:
 * initialDelayMs × 2^(attempts − 1), at most an hour, or the provider's Retry-After when longer.
 * @example retryDelayMs(3, { maxAttempts: 5, initialDelayMs: 5000 }) // 20000
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy, retryAfterMs?: number): number {
  const doublings = Math.max(0, attempts - 1);
  const backoff = Math.min(policy.initialDelayMs * 2 ** doublings, RETRY_BACKOFF_CAP_MS);
  return Math.max(backoff, retryAfterMs ?? 0);
}

/**
 * Whether a step that failed with `error` on its attempt number `attempts` is tried
 * again, and when.
 * @example nextRetry({ retryable: true }, 1, { maxAttempts: 3, initialDelayMs: 5000 }) // { retry: true, delayMs: 5000 }
 */
export function nextRetry(error: RetryableError, attempts: number, policy: RetryPolicy): RetryDecision {
  if (!error.retryable || attempts >= policy.maxAttempts) return { retry: false };
  return { retry: true, delayMs: retryDelayMs(attempts, policy, error.retryAfterMs) };
}
