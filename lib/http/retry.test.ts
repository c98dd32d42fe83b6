import { describe, expect, test } from "vitest";
import { backoffDelayMs, DEFAULT_RETRY_POLICY, isIdempotent, retryDecision, type AttemptResult } from "./retry";

const response = (status: number, retryAfterSeconds?: number): AttemptResult => ({ kind: "response", status, retryAfterSeconds });
const decide = (method: string, attempt: number, result: AttemptResult, headers: Record<string, string> = {}) =>
  retryDecision({ method, headers, attempt, result }, DEFAULT_RETRY_POLICY, () => 0.5);

describe("isIdempotent", () => {
  test.each(["GET", "HEAD", "PUT", "DELETE", "get"])("%s is idempotent", (method) => expect(isIdempotent(method)).toBe(true));
  test.each(["POST", "PATCH"])("%s is not, unless it carries an Idempotency-Key", (method) => {
    expect(isIdempotent(method)).toBe(false);
    expect(isIdempotent(method, { "Idempotency-Key": "k1" })).toBe(true);
  });
});

describe("retryDecision", () => {
  test.each([429, 502, 503, 504])("a GET answered %i is retried", (status) => {
    expect(decide("GET", 1, response(status))).toMatchObject({ retry: true, reason: "retryable_status" });
  });
  test.each([200, 400, 401, 404, 500, 501])("a GET answered %i is final", (status) => {
    expect(decide("GET", 1, response(status))).toEqual({ retry: false, reason: "success_or_final" });
  });
  test("a POST is never retried without an Idempotency-Key", () => {
    expect(decide("POST", 1, response(503))).toEqual({ retry: false, reason: "not_idempotent" });
    expect(decide("POST", 1, { kind: "network_error" })).toEqual({ retry: false, reason: "not_idempotent" });
    expect(decide("POST", 1, response(503), { "idempotency-key": "x" })).toMatchObject({ retry: true });
  });
  test("Retry-After is waited out exactly, up to the cap", () => {
    expect(decide("GET", 1, response(429, 1))).toEqual({ retry: true, delayMs: 1000, reason: "retry_after" });
    expect(decide("GET", 1, response(429, 10))).toMatchObject({ retry: true, delayMs: 10_000 });
    expect(decide("GET", 1, response(429, 11))).toEqual({ retry: false, reason: "retry_after_too_long" });
    expect(decide("GET", 1, response(503, 0))).toMatchObject({ retry: true, delayMs: 0 });
  });
  test("attempts run out", () => {
    expect(decide("GET", 2, response(503))).toMatchObject({ retry: true });
    expect(decide("GET", 3, response(503))).toEqual({ retry: false, reason: "attempts_exhausted" });
  });
  test("network errors are retried, timeouts are not", () => {
    expect(decide("GET", 1, { kind: "network_error" })).toMatchObject({ retry: true, reason: "network_error" });
    expect(decide("GET", 1, { kind: "timeout" })).toEqual({ retry: false, reason: "timeout" });
  });
});

describe("backoffDelayMs", () => {
  test("doubles per attempt, half fixed and half random, capped", () => {
    expect(backoffDelayMs(1, DEFAULT_RETRY_POLICY, () => 0)).toBe(125);
    expect(backoffDelayMs(1, DEFAULT_RETRY_POLICY, () => 1)).toBe(250);
    expect(backoffDelayMs(2, DEFAULT_RETRY_POLICY, () => 1)).toBe(500);
    expect(backoffDelayMs(20, DEFAULT_RETRY_POLICY, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });
});

describe("isIdempotent, the rest", () => {
  test("OPTIONS is idempotent; a POST with other headers is not", () => {
    expect(isIdempotent("OPTIONS")).toBe(true);
    expect(isIdempotent("POST", { "X-Request-Id": "r1", "Content-Type": "application/json" })).toBe(false);
    expect(isIdempotent("POST", { "idempotency-key": "k" })).toBe(true);
  });
});
