/**
 * When a connection's token is refreshed, and when an idle connection is checked.
 * Pure: the Convex side stores the answers (`nextRefreshAt`) and acts on them.
 *
 * One time per connection, `nextRefreshAt`, covers both jobs, so one index and one
 * sweep find everything that is due:
 * - refresh at expiry minus a margin (15 minutes, or the catalog's `refreshMarginMs`),
 *   a little earlier by a random jitter so tokens issued together are not refreshed
 *   together; never more than half the token's lifetime early, so a short-lived token
 *   is not refreshed in a loop;
 * - a token without `expires_in` that can be refreshed is assumed to live
 *   `DEFAULT_ACCESS_TOKEN_LIFETIME_MS` (refreshing early costs one request; finding
 *   out from a 401 costs a failed call);
 * - keep-alive: a connection idle for `KEEP_ALIVE_INTERVAL_MS` is refreshed (which
 *   also keeps refresh tokens that die unused alive) or, when it cannot be, tested.
 */
import { backoffDelayMs } from "../http/retry";
import { OAUTH_FAILURES, type OAuthFailure } from "../oauth/errors";

/** Why a refresh failed: the token endpoint's verdict, or a problem on our side. */
export const REFRESH_FAILURES = [...OAUTH_FAILURES, "decrypt_failed", "not_configured"] as const;
export type RefreshFailure = (typeof REFRESH_FAILURES)[number];

/** How long before expiry a token is refreshed when the catalog does not say. */
export const REFRESH_MARGIN_MS = 15 * 60_000;
/** The most a refresh is moved earlier at random. */
export const REFRESH_JITTER_MAX_MS = 2 * 60_000;
/** Assumed lifetime of a refreshable access token whose answer had no `expires_in`. */
export const DEFAULT_ACCESS_TOKEN_LIFETIME_MS = 60 * 60_000;
/** An idle connection is refreshed or tested at least this often. */
export const KEEP_ALIVE_INTERVAL_MS = 24 * 60 * 60_000;
/** A call refreshes first when its token has less than this left. */
export const CALL_REFRESH_THRESHOLD_MS = 2 * 60_000;
/** First wait after a failed refresh; doubles per failure. */
export const REFRESH_RETRY_BASE_MS = 60_000;
/** Longest wait between refresh attempts. */
export const REFRESH_RETRY_MAX_MS = 60 * 60_000;
/** A keep-alive test that could not reach the provider is tried again after this long. */
export const KEEP_ALIVE_RETRY_MS = 60 * 60_000;
/** A refresh that has kept failing this long stops: `refresh_exhausted`. */
export const REFRESH_EXHAUSTED_AFTER_MS = 3 * 24 * 60 * 60_000;
/**
 * How long a refresh lease holds. Longer than a token request may take (15 s) plus
 * encryption and the commit, so a live holder is never overtaken; a crashed one
 * blocks others for at most this long.
 */
export const REFRESH_LEASE_TTL_MS = 30_000;

/** What the plan needs to know about a connection. */
export type MaintenanceInput = {
  status: "connected" | "refreshing" | "error" | "disconnected";
  authKind: "oauth2" | "basic" | "api_key" | "webhook_url";
  /** The provider refreshes and a refresh token is stored. */
  refreshable: boolean;
  /** The provider's margin (`refreshMarginMs`), or undefined for the default. */
  marginMs: number | undefined;
  accessTokenExpiresAt: number | undefined;
  /** When the current access token was obtained. */
  accessTokenIssuedAt: number;
  /** Last sign of life: a call, a refresh, a test, the connect itself. */
  lastActivityAt: number;
  /** Set while failed refreshes (or keep-alive tests) back off: the next attempt. */
  retryAt: number | undefined;
};

/** When the access token stops working, and whether that is the provider's word or our assumption. */
export function effectiveExpiry(input: Pick<MaintenanceInput, "refreshable" | "accessTokenExpiresAt" | "accessTokenIssuedAt">):
  | { at: number; assumed: boolean }
  | null {
  if (input.accessTokenExpiresAt !== undefined) return { at: input.accessTokenExpiresAt, assumed: false };
  if (!input.refreshable) return null;
  return { at: input.accessTokenIssuedAt + DEFAULT_ACCESS_TOKEN_LIFETIME_MS, assumed: true };
}

/** The margin for this token: the provider's (or the default), at most half its lifetime. */
export function marginFor(input: Pick<MaintenanceInput, "marginMs" | "accessTokenIssuedAt">, expiresAt: number): number {
  const lifetime = Math.max(0, expiresAt - input.accessTokenIssuedAt);
  return Math.min(input.marginMs ?? REFRESH_MARGIN_MS, lifetime / 2);
}

function jitterMaxFor(marginMs: number): number {
  return Math.min(REFRESH_JITTER_MAX_MS, marginMs / 4);
}

function isLive(status: MaintenanceInput["status"]): boolean {
  return status === "connected" || status === "refreshing";
}

/**
 * When the connection next needs attention (refresh, retry or keep-alive), or null
 * when it never does on its own (not live, or a webhook with nothing to keep alive).
 * @example nextMaintenanceAt({ …, accessTokenIssuedAt: 0, accessTokenExpiresAt: 3_600_000 }, 0, () => 0) // 2_700_000
 */
export function nextMaintenanceAt(input: MaintenanceInput, now: number, random: () => number = Math.random): number | null {
  if (!isLive(input.status) || !hasMaintenance(input)) return null;
  // While failures back off, the retry time is the only plan.
  if (input.retryAt !== undefined) return Math.max(now, input.retryAt);
  const candidates: number[] = [];
  if (input.refreshable) {
    const expiry = effectiveExpiry(input);
    if (expiry) {
      const margin = marginFor(input, expiry.at);
      candidates.push(expiry.at - margin - random() * jitterMaxFor(margin));
    }
  }
  if (input.authKind !== "webhook_url") candidates.push(input.lastActivityAt + KEEP_ALIVE_INTERVAL_MS);
  return Math.max(now, Math.round(Math.min(...candidates)));
}

/** Webhooks have no API to test and nothing to refresh: a keep-alive would post a message. */
function hasMaintenance(input: MaintenanceInput): boolean {
  return input.refreshable || input.authKind !== "webhook_url";
}

export type MaintenanceDue =
  | { action: "refresh"; reason: "expiring" | "retry" | "keep_alive" }
  | { action: "test"; reason: "keep_alive" }
  | { action: "none"; reason: "not_live" | "not_due" | "backing_off" };

/**
 * What a due job should do now. A refresh is due from the earliest time the jitter
 * could have planned it, so a job that fires at its planned time always finds work.
 */
export function maintenanceDue(input: MaintenanceInput, now: number): MaintenanceDue {
  if (!isLive(input.status) || !hasMaintenance(input)) return { action: "none", reason: "not_live" };
  const work: MaintenanceDue = input.refreshable
    ? { action: "refresh", reason: "keep_alive" }
    : { action: "test", reason: "keep_alive" };
  if (input.retryAt !== undefined) {
    if (now < input.retryAt) return { action: "none", reason: "backing_off" };
    return work.action === "refresh" ? { action: "refresh", reason: "retry" } : work;
  }
  if (input.refreshable) {
    const expiry = effectiveExpiry(input);
    if (expiry) {
      const margin = marginFor(input, expiry.at);
      if (now >= expiry.at - margin - jitterMaxFor(margin)) return { action: "refresh", reason: "expiring" };
    }
  }
  if (now >= input.lastActivityAt + KEEP_ALIVE_INTERVAL_MS) return work;
  return { action: "none", reason: "not_due" };
}

export type CallRefreshDecision =
  | { should: true; reason: "expired" | "expiring"; thresholdMs: number }
  | { should: false; reason: "not_refreshable" | "no_expiry" | "fresh" };

/**
 * Whether a call refreshes before sending. Only when the token is (nearly) dead:
 * the proactive schedule handles the margin, and a call that refreshed on every
 * near-margin token would hammer a token endpoint that is already failing. "Nearly"
 * is `CALL_REFRESH_THRESHOLD_MS`, or half the token's lifetime when that is shorter,
 * so a provider's very short-lived tokens are not refreshed before every call.
 */
export function callRefreshDecision(
  input: Pick<MaintenanceInput, "refreshable" | "accessTokenExpiresAt" | "accessTokenIssuedAt">,
  now: number,
): CallRefreshDecision {
  if (!input.refreshable) return { should: false, reason: "not_refreshable" };
  const expiry = effectiveExpiry(input);
  if (!expiry) return { should: false, reason: "no_expiry" };
  const thresholdMs = Math.min(CALL_REFRESH_THRESHOLD_MS, Math.max(0, expiry.at - input.accessTokenIssuedAt) / 2);
  if (expiry.at <= now) return { should: true, reason: "expired", thresholdMs };
  if (expiry.at - now < thresholdMs) return { should: true, reason: "expiring", thresholdMs };
  return { should: false, reason: "fresh" };
}

export type RefreshFailurePlan =
  | { kind: "revoked" }
  | { kind: "exhausted"; failingSince: number }
  | { kind: "retry"; retryAt: number; failingSince: number; failures: number };

/**
 * What a failed refresh leads to. A dead grant stops at once (`refresh_revoked`);
 * anything else (outage, rate limit, a misconfigured client, a garbled answer) is
 * retried with backoff, honouring `Retry-After`, until it has failed for
 * `REFRESH_EXHAUSTED_AFTER_MS` (`refresh_exhausted`).
 */
export function refreshFailurePlan(
  input: {
    failure: OAuthFailure;
    retryAfterSeconds: number | undefined;
    failingSince: number | undefined;
    failures: number | undefined;
  },
  now: number,
  random: () => number = Math.random,
): RefreshFailurePlan {
  if (input.failure === "invalid_grant") return { kind: "revoked" };
  const failingSince = input.failingSince ?? now;
  if (now - failingSince >= REFRESH_EXHAUSTED_AFTER_MS) return { kind: "exhausted", failingSince };
  const failures = (input.failures ?? 0) + 1;
  const backoff = backoffDelayMs(failures, { baseDelayMs: REFRESH_RETRY_BASE_MS, maxDelayMs: REFRESH_RETRY_MAX_MS }, random);
  const wait = Math.max(backoff, (input.retryAfterSeconds ?? 0) * 1000);
  return { kind: "retry", retryAt: now + Math.round(Math.min(wait, REFRESH_RETRY_MAX_MS)), failingSince, failures };
}
