import { describe, expect, test } from "vitest";
import { parseRetryAfter } from "./retry-after";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  test("delay-seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", now)).toBe(3);
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 12 ", now)).toBe(12);
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10);
    expect(parseRetryAfter(new Date(now - 10_000).toUTCString(), now)).toBe(0);
  });
  test("anything else is no advice", () => {
    for (const value of ["soon", "-5", "1.5", "", "1e3"]) expect(parseRetryAfter(value, now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
