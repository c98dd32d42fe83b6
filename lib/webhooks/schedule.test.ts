import { describe, expect, it } from "vitest";
import {
  attemptOutcome,
  AUTO_DISABLE_AFTER_MS,
  decideAfterAttempt,
  MAX_ATTEMPTS,
  RETRY_AFTER_CAP_MS,
  RETRY_SCHEDULE_MS,
  retryDelayMs,
  type AttemptEnding,
} from "./schedule";

const middle = () => 0.5;
const HOUR = 3_600_000;

describe("RETRY_SCHEDULE_MS", () => {
  it("is Svix's schedule", () => {
    expect(RETRY_SCHEDULE_MS).toEqual([0, 5_000, 300_000, 1_800_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR]);
    expect(MAX_ATTEMPTS).toBe(8);
  });
});

describe("retryDelayMs", () => {
  it("follows the schedule after each attempt, then stops", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, middle))).toEqual(RETRY_SCHEDULE_MS.slice(1));
    expect(retryDelayMs(8, middle)).toBeNull();
  });

  it("jitters by up to 10% either way", () => {
    expect(retryDelayMs(1, () => 0)).toBe(4_500);
    expect(retryDelayMs(1, () => 0.999999)).toBe(5_500);
    expect(retryDelayMs(3, () => 0.75)).toBe(1_890_000);
  });
});

describe("attemptOutcome", () => {
  it.each<[AttemptEnding, string]>([
    [{ kind: "response", status: 200 }, "delivered"],
    [{ kind: "response", status: 204 }, "delivered"],
    [{ kind: "response", status: 299 }, "delivered"],
    [{ kind: "response", status: 199 }, "http_error"],
    [{ kind: "response", status: 300 }, "redirect"],
    [{ kind: "response", status: 302 }, "redirect"],
    [{ kind: "response", status: 399 }, "redirect"],
    [{ kind: "response", status: 400 }, "http_error"],
    [{ kind: "response", status: 410 }, "gone"],
    [{ kind: "response", status: 500 }, "http_error"],
    [{ kind: "timeout" }, "timeout"],
    [{ kind: "network_error", message: "refused" }, "network_error"],
    [{ kind: "refused", message: "private" }, "refused"],
  ])("names %j %s", (ending, outcome) => {
    expect(attemptOutcome(ending)).toBe(outcome);
  });
});

describe("decideAfterAttempt", () => {
  const now = 1_000_000_000;
  const decide = (ending: AttemptEnding, attempt = 1, failingSince?: number) =>
    decideAfterAttempt({ attempt, ending, now, failingSince, random: middle });

  it("delivers on a 2xx and makes the endpoint healthy", () => {
    expect(decide({ kind: "response", status: 200 }, 3, now - HOUR)).toEqual({
      message: { kind: "delivered" },
      endpoint: { kind: "healthy" },
    });
  });

  it("retries a failure on the schedule; the endpoint starts failing now", () => {
    expect(decide({ kind: "response", status: 500 })).toEqual({
      message: { kind: "retry", delayMs: 5_000 },
      endpoint: { kind: "failing", since: now },
    });
  });

  it("keeps the first failure's time", () => {
    expect(decide({ kind: "timeout" }, 2, now - HOUR).endpoint).toEqual({ kind: "failing", since: now - HOUR });
  });

  it("marks the message failed after the last attempt", () => {
    expect(decide({ kind: "response", status: 500 }, 8)).toEqual({ message: { kind: "failed" }, endpoint: { kind: "failing", since: now } });
  });

  it.each([429, 502, 503, 504])("honours Retry-After on %i, capped", (status) => {
    expect(decide({ kind: "response", status, retryAfterSeconds: 120 }).message).toEqual({ kind: "retry", delayMs: 120_000 });
    expect(decide({ kind: "response", status, retryAfterSeconds: 10 ** 9 }).message).toEqual({ kind: "retry", delayMs: RETRY_AFTER_CAP_MS });
  });

  it("keeps the schedule on a 503 without Retry-After", () => {
    expect(decide({ kind: "response", status: 503 }).message).toEqual({ kind: "retry", delayMs: 5_000 });
  });

  it("never retries sooner than the schedule, whatever Retry-After says", () => {
    expect(decide({ kind: "response", status: 503, retryAfterSeconds: 1 }, 2).message).toEqual({ kind: "retry", delayMs: 300_000 });
  });

  it.each([500, 400, 301])("ignores Retry-After on %i", (status) => {
    expect(decide({ kind: "response", status, retryAfterSeconds: 120 }).message).toEqual({ kind: "retry", delayMs: 5_000 });
  });

  it("disables the endpoint on 410 Gone", () => {
    expect(decide({ kind: "response", status: 410 }, 1, now - 5)).toEqual({
      message: { kind: "failed" },
      endpoint: { kind: "disable", reason: "gone", since: now - 5 },
    });
  });

  it("disables an endpoint that has failed every attempt for 5 days, not before", () => {
    expect(decide({ kind: "timeout" }, 2, now - AUTO_DISABLE_AFTER_MS)).toEqual({
      message: { kind: "failed" },
      endpoint: { kind: "disable", reason: "failing", since: now - AUTO_DISABLE_AFTER_MS },
    });
    expect(decide({ kind: "timeout" }, 2, now - AUTO_DISABLE_AFTER_MS + 1).endpoint.kind).toBe("failing");
  });
});
