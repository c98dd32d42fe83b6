/**
 * Rate-limit answer headers: `Retry-After` (RFC 9110 §10.2.3) on a 429, and the IETF
 * draft's RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) on every
 * authenticated answer: the policy (`q` requests per `w` seconds) and what is left of
 * it (`r` remaining, `t` seconds until the window resets), plus the older, widely read
 * `RateLimit-Limit`/`-Remaining`/`-Reset` triple.
 */

export type RateLimitState = {
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in this window (never negative). */
  remaining: number;
  /** When the window resets, ms since the epoch. */
  resetAt: number;
  windowSeconds: number;
};

/** Whole seconds from `now` until `at`, at least 1 when in the future, 0 when past. */
export function secondsUntil(at: number, now: number): number {
  return at <= now ? 0 : Math.max(1, Math.ceil((at - now) / 1000));
}

export function rateLimitHeaders(state: RateLimitState, now: number): Record<string, string> {
  const remaining = Math.max(0, Math.floor(state.remaining));
  const reset = secondsUntil(state.resetAt, now);
  return {
    "RateLimit-Policy": `"per-key";q=${state.limit};w=${state.windowSeconds}`,
    RateLimit: `"per-key";r=${remaining};t=${reset}`,
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(remaining),
    "RateLimit-Reset": String(reset),
  };
}

/** The headers of a 429: the RateLimit fields and `Retry-After` in seconds. */
export function rateLimitedHeaders(state: RateLimitState, retryAt: number, now: number): Record<string, string> {
  return { ...rateLimitHeaders({ ...state, remaining: 0 }, now), "Retry-After": String(Math.max(1, secondsUntil(retryAt, now))) };
}
