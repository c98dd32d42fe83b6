import { describe, expect, test } from "vitest";
import { MINUTE_MS, nextRunAfter } from "./schedule";

describe("nextRunAfter", () => {
  test("one interval after the time it was due, when it fired on time", () => {
    expect(nextRunAfter(0, 5, 0)).toBe(5 * MINUTE_MS);
    expect(nextRunAfter(0, 5, 1_000)).toBe(5 * MINUTE_MS);
    expect(nextRunAfter(10_000, 60, 10_500)).toBe(10_000 + 60 * MINUTE_MS);
  });

  test("fired late, it keeps the rhythm and skips the times already passed", () => {
    expect(nextRunAfter(0, 5, 5 * MINUTE_MS - 1)).toBe(5 * MINUTE_MS);
    expect(nextRunAfter(0, 5, 5 * MINUTE_MS)).toBe(10 * MINUTE_MS);
    expect(nextRunAfter(0, 5, 11 * MINUTE_MS)).toBe(15 * MINUTE_MS);
  });

  test("fired early (a clock a little behind), still the next interval", () => {
    expect(nextRunAfter(10 * MINUTE_MS, 5, 9 * MINUTE_MS)).toBe(15 * MINUTE_MS);
    expect(nextRunAfter(10 * MINUTE_MS, 5, 0)).toBe(15 * MINUTE_MS);
  });
});
