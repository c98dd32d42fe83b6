import { describe, expect, test } from "vitest";
import { nextRetry, RETRY_BACKOFF_CAP_MS, retryDelayMs } from "./retry";

const policy = { maxAttempts: 5, initialDelayMs: 5_000 };

describe("retryDelayMs", () => {
  test("doubles from the initial delay after each failed attempt", () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(attempts, policy))).toEqual([5_000, 10_000, 20_000, 40_000]);
    // No attempt yet counts as the first.
    expect(retryDelayMs(0, policy)).toBe(5_000);
  });

  test("stops doubling at an hour", () => {
    expect(RETRY_BACKOFF_CAP_MS).toBe(3_600_000);
    expect(retryDelayMs(2, { maxAttempts: 10, initialDelayMs: 2_000_000 })).toBe(3_600_000);
    expect(retryDelayMs(10, { maxAttempts: 10, initialDelayMs: 5_000 })).toBe(2_560_000);
    expect(retryDelayMs(11, { maxAttempts: 12, initialDelayMs: 5_000 })).toBe(3_600_000);
    expect(retryDelayMs(1, { maxAttempts: 10, initialDelayMs: 3_600_000 })).toBe(3_600_000);
  });

  test("waits as long as the provider asked when that is longer, even past the hour", () => {
    expect(retryDelayMs(1, policy, 30_000)).toBe(30_000);
    expect(retryDelayMs(3, policy, 2_000)).toBe(20_000);
    expect(retryDelayMs(12, policy, 7_200_000)).toBe(7_200_000);
    expect(retryDelayMs(1, policy, 0)).toBe(5_000);
    expect(retryDelayMs(1, policy, undefined)).toBe(5_000);
  });
});

describe("nextRetry", () => {
  test("a retryable failure is tried again until the attempts are used up", () => {
    expect(nextRetry({ retryable: true }, 1, policy)).toEqual({ retry: true, delayMs: 5_000 });
    expect(nextRetry({ retryable: true, retryAfterMs: 2_000 }, 4, policy)).toEqual({ retry: true, delayMs: 40_000 });
    expect(nextRetry({ retryable: true }, 5, policy)).toEqual({ retry: false });
    expect(nextRetry({ retryable: true }, 6, policy)).toEqual({ retry: false });
    expect(nextRetry({ retryable: true }, 1, { ...policy, maxAttempts: 1 })).toEqual({ retry: false });
  });

  test("a failure that is not retryable is never tried again", () => {
    expect(nextRetry({ retryable: false, retryAfterMs: 1_000 }, 1, policy)).toEqual({ retry: false });
  });
});
