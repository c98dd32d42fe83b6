import { describe, expect, test } from "vitest";
import { rateLimitedHeaders, rateLimitHeaders, secondsUntil } from "./rate-headers";

const NOW = 1_000_000;

describe("secondsUntil", () => {
  test("rounds up, at least 1 in the future, 0 when past", () => {
    expect(secondsUntil(NOW + 1, NOW)).toBe(1);
    expect(secondsUntil(NOW + 1000, NOW)).toBe(1);
    expect(secondsUntil(NOW + 1001, NOW)).toBe(2);
    expect(secondsUntil(NOW, NOW)).toBe(0);
    expect(secondsUntil(NOW - 5000, NOW)).toBe(0);
  });
});

describe("rateLimitHeaders", () => {
  test("the draft's policy and remaining fields, and the older triple", () => {
    expect(rateLimitHeaders({ limit: 60, remaining: 12.7, resetAt: NOW + 30_500, windowSeconds: 60 }, NOW)).toEqual({
      "RateLimit-Policy": '"per-key";q=60;w=60',
      RateLimit: '"per-key";r=12;t=31',
      "RateLimit-Limit": "60",
      "RateLimit-Remaining": "12",
      "RateLimit-Reset": "31",
    });
    expect(rateLimitHeaders({ limit: 5, remaining: -3, resetAt: NOW, windowSeconds: 60 }, NOW)["RateLimit-Remaining"]).toBe("0");
  });
});

describe("rateLimitedHeaders", () => {
  test("adds Retry-After in whole seconds (at least 1) and shows nothing remaining", () => {
    const headers = rateLimitedHeaders({ limit: 60, remaining: 7, resetAt: NOW + 10_000, windowSeconds: 60 }, NOW + 4_200, NOW);
    expect(headers["Retry-After"]).toBe("5");
    expect(headers["RateLimit-Remaining"]).toBe("0");
    expect(headers.RateLimit).toBe('"per-key";r=0;t=10');
    expect(rateLimitedHeaders({ limit: 1, remaining: 0, resetAt: NOW, windowSeconds: 60 }, NOW - 1, NOW)["Retry-After"]).toBe("1");
  });
});
