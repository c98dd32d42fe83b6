import { describe, expect, test } from "vitest";
import { z } from "zod";
import { failureOfStatus, fieldMessages, invalidInput, issuePath, providerValidationFailure, retryAfterMs } from "./errors";
import { actionAnswer } from "./prepare";

describe("retryAfterMs", () => {
  const now = Date.parse("2026-12-01T00:00:00Z");
  test("seconds, HTTP dates, and nonsense", () => {
    expect(retryAfterMs({ "retry-after": "30" })).toBe(30_000);
    expect(retryAfterMs({ "retry-after": " 0 " })).toBe(0);
    expect(retryAfterMs({ "retry-after": "Tue, 01 Dec 2026 00:00:10 GMT" }, now)).toBe(10_000);
    expect(retryAfterMs({ "retry-after": "Mon, 30 Nov 2026 23:00:00 GMT" }, now)).toBe(0);
    expect(retryAfterMs({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "-5" }, now)).toBeUndefined();
    expect(retryAfterMs({ "retry-after": "" })).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
  });
  test("is capped at a day", () => {
    expect(retryAfterMs({ "retry-after": "999999" })).toBe(86_400_000);
    expect(retryAfterMs({ "retry-after": "Fri, 01 Jan 2027 00:00:00 GMT" }, now)).toBe(86_400_000);
  });
});

describe("failureOfStatus", () => {
  const at = (status: number, headers: Record<string, string> = {}) => failureOfStatus(actionAnswer(status, headers, ""), "Acme");
  test("401 is a revoked credential", () => {
    expect(at(401)).toEqual({ code: "auth_revoked", message: "Acme refused the stored credential; reconnect it.", retryable: false, status: 401 });
  });
  test("429 is rate limited, with Retry-After when given", () => {
    expect(at(429, { "retry-after": "7" })).toEqual({ code: "rate_limited", message: "Acme is rate limiting these requests.", retryable: true, retryAfterMs: 7000, status: 429 });
    expect(at(429)).toEqual({ code: "rate_limited", message: "Acme is rate limiting these requests.", retryable: true, status: 429 });
    expect(failureOfStatus(actionAnswer(429, {}, ""), "Acme", "slow down")).toMatchObject({ message: "Acme is rate limiting these requests: slow down." });
  });
  test("408 and 504 are timeouts", () => {
    expect(at(408)).toEqual({ code: "timeout", message: "Acme timed out (HTTP 408).", retryable: true, status: 408 });
    expect(at(504)).toMatchObject({ code: "timeout", retryable: true });
  });
  test("5xx is a retryable provider error (with Retry-After), 4xx is not", () => {
    expect(at(503, { "retry-after": "2" })).toEqual({ code: "provider_error", message: "Acme answered HTTP 503.", retryable: true, retryAfterMs: 2000, status: 503 });
    expect(at(500)).toEqual({ code: "provider_error", message: "Acme answered HTTP 500.", retryable: true, status: 500 });
    expect(at(404, { "retry-after": "2" })).toEqual({ code: "provider_error", message: "Acme answered HTTP 404.", retryable: false, status: 404 });
    expect(failureOfStatus(actionAnswer(499, {}, ""), "Acme", "odd")).toMatchObject({ message: "Acme answered HTTP 499: odd.", retryable: false });
  });
});

describe("validation failures", () => {
  test("providerValidationFailure keeps fields only when there are some", () => {
    expect(providerValidationFailure("Acme", "title is missing", { title: "missing" }, { status: 422, providerCode: "missing_field" })).toEqual({
      code: "invalid_input",
      message: "Acme refused the input: title is missing",
      retryable: false,
      fields: { title: "missing" },
      status: 422,
      providerCode: "missing_field",
    });
    expect(providerValidationFailure("Acme", "bad", {})).toEqual({ code: "invalid_input", message: "Acme refused the input: bad", retryable: false });
    expect(providerValidationFailure("Acme", "bad")).not.toHaveProperty("fields");
  });
  test("zod issues become dot paths, first message per field", () => {
    expect(issuePath(["blocks", 0, "text"])).toBe("blocks.0.text");
    expect(issuePath([])).toBe("");
    const schema = z.object({ a: z.string().min(2, "short").regex(/x/, "no x"), b: z.array(z.number()) });
    const error = schema.safeParse({ a: "y", b: ["1"] }).error!;
    expect(fieldMessages(error)).toEqual({ a: "short", "b.0": expect.any(String) });
    expect(invalidInput(error)).toEqual({ code: "invalid_input", message: "The input is not valid: check a, b.0.", retryable: false, fields: fieldMessages(error) });
  });
});
