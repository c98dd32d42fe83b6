/**
 * When a message is tried again, and what an attempt's ending means for the message
 * and its endpoint. Svix's schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h
 * and 10 h after the attempt before (eight attempts over about 27.6 hours), each delay
 * with up to ±10% jitter so a receiver that comes back is not hit by every retry at once.
 *
 * Only a 2xx answered within the time limit is a success. A redirect is a failure and
 * is never followed. 429, 502, 503 and 504 may ask for a later retry with
 * `Retry-After`, which is honoured up to RETRY_AFTER_CAP_MS. 410 Gone turns the
 * endpoint off. An endpoint whose every attempt has failed for AUTO_DISABLE_AFTER_MS
 * is turned off too.
 */

const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** The delay before each attempt, after the one before; the first is immediate. */
export const RETRY_SCHEDULE_MS = [0, 5 * SECOND_MS, 5 * MINUTE_MS, 30 * MINUTE_MS, 2 * HOUR_MS, 5 * HOUR_MS, 10 * HOUR_MS, 10 * HOUR_MS] as const;
/** Attempts a message gets before it is marked failed. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;
/** Jitter added to each retry delay: up to this fraction, either way. */
export const RETRY_JITTER = 0.1;
/** The longest wait a `Retry-After` can ask for. */
export const RETRY_AFTER_CAP_MS = 6 * HOUR_MS;
/** Time limit of one attempt: connecting, sending and the whole answer. */
export const ATTEMPT_TIMEOUT_MS = 15 * SECOND_MS;
/** An endpoint failing every attempt for this long is turned off. */
export const AUTO_DISABLE_AFTER_MS = 5 * 24 * HOUR_MS;

/** Statuses whose `Retry-After` is honoured. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** How one attempt ended, as the sender saw it. */
export type AttemptEnding =
  | { kind: "response"; status: number; retryAfterSeconds?: number }
  | { kind: "timeout" }
  | { kind: "network_error"; message: string }
  | { kind: "refused"; message: string };

/** The attempt's verdict: delivered, or failed with a name for the log. */
export type AttemptOutcome = "delivered" | "http_error" | "redirect" | "gone" | "timeout" | "network_error" | "refused";

/** What an ending is called in the delivery log. */
export function attemptOutcome(ending: AttemptEnding): AttemptOutcome {
  switch (ending.kind) {
    case "response":
      if (ending.status >= 200 && ending.status < 300) return "delivered";
      if (ending.status === 410) return "gone";
      if (ending.status >= 300 && ending.status < 400) return "redirect";
      return "http_error";
    case "timeout":
    case "network_error":
    case "refused":
      return ending.kind;
    default:
      return ending satisfies never;
  }
}

/**
 * The delay before the attempt after `attempt` (1-based), with jitter from `random`
 * (a number in [0, 1)), or null when that was the last one.
 * @example retryDelayMs(1, () => 0.5) // 5000
 */
export function retryDelayMs(attempt: number, random: () => number): number | null {
  const base = RETRY_SCHEDULE_MS[attempt];
  if (base === undefined) return null;
  return Math.round(base * (1 + RETRY_JITTER * (2 * random() - 1)));
}

/** What follows an attempt, for the message and for its endpoint. */
export type AttemptDecision = {
  message: { kind: "delivered" } | { kind: "retry"; delayMs: number } | { kind: "failed" };
  endpoint: { kind: "healthy" } | { kind: "failing"; since: number } | { kind: "disable"; reason: "gone" | "failing"; since: number };
};

/**
 * Decides what follows attempt number `attempt` of a message that ended with `ending`,
 * at `now`, for an endpoint that has failed every attempt since `failingSince` (or
 * has not, when undefined). See the module comment for the rules.
 */
export function decideAfterAttempt(input: {
  attempt: number;
  ending: AttemptEnding;
  now: number;
  failingSince: number | undefined;
  random: () => number;
}): AttemptDecision {
  const outcome = attemptOutcome(input.ending);
  if (outcome === "delivered") return { message: { kind: "delivered" }, endpoint: { kind: "healthy" } };
  const since = input.failingSince ?? input.now;
  if (outcome === "gone") return { message: { kind: "failed" }, endpoint: { kind: "disable", reason: "gone", since } };
  if (input.now - since >= AUTO_DISABLE_AFTER_MS) {
    return { message: { kind: "failed" }, endpoint: { kind: "disable", reason: "failing", since } };
  }
  const scheduled = retryDelayMs(input.attempt, input.random);
  const endpoint = { kind: "failing", since } as const;
  if (scheduled === null) return { message: { kind: "failed" }, endpoint };
  return { message: { kind: "retry", delayMs: Math.max(scheduled, requestedDelayMs(input.ending)) }, endpoint };
}

/** The wait a receiver asked for with `Retry-After`, capped; 0 when it did not (or may not) ask. */
function requestedDelayMs(ending: AttemptEnding): number {
  if (ending.kind !== "response" || !RETRY_AFTER_STATUSES.has(ending.status) || ending.retryAfterSeconds === undefined) return 0;
  return Math.min(ending.retryAfterSeconds * SECOND_MS, RETRY_AFTER_CAP_MS);
}
