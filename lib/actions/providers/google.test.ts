import { describe, expect, it } from "vitest";
import type { ActionAnswer } from "../define";
import { googleFailure } from "./google";

function answer(status: number, json?: unknown, headers: Record<string, string> = {}): ActionAnswer {
  return { status, headers, body: json === undefined ? "" : JSON.stringify(json), json };
}

const googleError = (code: number, reason: string, message: string, extra: Record<string, unknown> = {}) => ({
  error: { code, message, errors: [{ domain: "global", reason, message }], ...extra },
});

describe("googleFailure", () => {
  it("is null for every 2xx", () => {
    for (const status of [200, 201, 204, 299]) expect(googleFailure(answer(status), "Gmail")).toBeNull();
    expect(googleFailure(answer(300), "Gmail")).toMatchObject({ code: "provider_error", status: 300 });
    expect(googleFailure(answer(199), "Gmail")).toMatchObject({ code: "provider_error", status: 199 });
  });

  it("403 rate and quota reasons, RESOURCE_EXHAUSTED and any 429 are rate_limited with Retry-After", () => {
    for (const reason of ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded", "dailyLimitExceeded"]) {
      expect(googleFailure(answer(403, googleError(403, reason, "Rate Limit Exceeded"), { "retry-after": "3" }), "Google Calendar")).toStrictEqual({
        code: "rate_limited",
        message: "Google Calendar is rate limiting these requests: Rate Limit Exceeded.",
        retryable: true,
        retryAfterMs: 3000,
        providerCode: reason,
        status: 403,
      });
    }
    expect(googleFailure(answer(403, { error: { code: 403, message: "Quota.", status: "RESOURCE_EXHAUSTED" } }), "Gmail")).toStrictEqual({
      code: "rate_limited",
      message: "Gmail is rate limiting these requests: Quota.",
      retryable: true,
      status: 403,
    });
    expect(googleFailure(answer(429), "Gmail")).toEqual({ code: "rate_limited", message: "Gmail is rate limiting these requests.", retryable: true, status: 429 });
    expect(googleFailure(answer(403, googleError(403, "forbidden", "Forbidden")), "Gmail")).toMatchObject({ code: "provider_error" });
    // Only a 403 or a 429 says so: a 400 with a quota reason is still the input's fault.
    expect(googleFailure(answer(400, googleError(400, "quotaExceeded", "odd")), "Gmail")).toMatchObject({ code: "invalid_input" });
  });

  it("an insufficient scope is missing_scope, by reason or by ErrorInfo", () => {
    const expected = {
      code: "missing_scope",
      message: "Gmail says the connection was not granted the scope this needs: reconnect Gmail and grant it.",
      retryable: false,
      status: 403,
    };
    expect(googleFailure(answer(403, googleError(403, "insufficientPermissions", "Insufficient Permission")), "Gmail")).toEqual({
      ...expected,
      providerCode: "insufficientPermissions",
    });
    const rpc = {
      error: {
        code: 403,
        message: "Request had insufficient authentication scopes.",
        status: "PERMISSION_DENIED",
        details: [{ "@type": "type.googleapis.com/google.rpc.Help" }, { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" }],
      },
    };
    expect(googleFailure(answer(403, rpc), "Gmail")).toEqual(expected);
    expect(googleFailure(answer(401, googleError(401, "insufficientPermissions", "x")), "Gmail")).toMatchObject({ code: "auth_revoked" });
    const help = { error: { code: 403, message: "Forbidden", status: "PERMISSION_DENIED", details: [{ "@type": "type.googleapis.com/google.rpc.Help" }] } };
    expect(googleFailure(answer(403, help), "Gmail")).toMatchObject({ code: "provider_error", status: 403 });
  });

  it("a 401 is a refused credential, with Google's reason, whatever field the mapping names", () => {
    expect(googleFailure(answer(401, googleError(401, "authError", "Invalid Credentials")), "Gmail", () => "to")).toMatchObject({ code: "auth_revoked" });
    expect(googleFailure(answer(401, googleError(401, "authError", "Invalid Credentials")), "Gmail")).toEqual({
      code: "auth_revoked",
      message: "Gmail refused the stored credential; reconnect it.",
      retryable: false,
      providerCode: "authError",
      status: 401,
    });
  });

  it("a 400 is invalid input, on the field the service names", () => {
    const range = googleError(400, "timeRangeEmpty", "The specified time range is empty.");
    expect(googleFailure(answer(400, range), "Google Calendar", (d) => (d.reason === "timeRangeEmpty" ? "end" : undefined))).toEqual({
      code: "invalid_input",
      message: "Google Calendar refused the input: The specified time range is empty.",
      retryable: false,
      fields: { end: "The specified time range is empty." },
      providerCode: "timeRangeEmpty",
      status: 400,
    });
    expect(googleFailure(answer(400, googleError(400, "invalidArgument", "Invalid To header")), "Gmail")).toEqual({
      code: "invalid_input",
      message: "Gmail refused the input: Invalid To header",
      retryable: false,
      providerCode: "invalidArgument",
      status: 400,
    });
    expect(googleFailure(answer(400), "Gmail")).toEqual({ code: "invalid_input", message: "Gmail refused the input: the request was refused.", retryable: false, status: 400 });
  });

  it("hands the mapping the status, reason, message (the top one first) and location", () => {
    const seen: unknown[] = [];
    const body = { error: { code: 404, errors: [{ reason: "notFound", message: "Not Found", location: "calendarId" }] } };
    const failure = googleFailure(answer(404, body), "Google Calendar", (detail) => {
      seen.push(detail);
      return "calendarId";
    });
    expect(seen).toEqual([{ status: 404, reason: "notFound", message: "Not Found", location: "calendarId" }]);
    expect(failure).toEqual({
      code: "invalid_input",
      message: "Google Calendar refused the input: Not Found",
      retryable: false,
      fields: { calendarId: "Not Found" },
      providerCode: "notFound",
      status: 404,
    });
    googleFailure(answer(400, { error: { message: "Top.", errors: [{ message: "Inner." }] } }), "Gmail", (detail) => {
      seen.push(detail);
      return undefined;
    });
    expect(seen[1]).toEqual({ status: 400, reason: "", message: "Top.", location: "" });
  });

  it("other statuses go by status with Google's message", () => {
    expect(googleFailure(answer(404, googleError(404, "notFound", "Requested entity was not found.")), "Gmail")).toEqual({
      code: "provider_error",
      message: "Gmail answered HTTP 404: Requested entity was not found.",
      retryable: false,
      providerCode: "notFound",
      status: 404,
    });
    expect(googleFailure(answer(500, googleError(500, "backendError", "Backend Error v1.2..")), "Gmail")).toMatchObject({
      code: "provider_error",
      message: "Gmail answered HTTP 500: Backend Error v1.2.",
      retryable: true,
    });
    expect(googleFailure(answer(500, { error: null }), "Gmail")).toEqual({ code: "provider_error", message: "Gmail answered HTTP 500.", retryable: true, status: 500 });
    expect(googleFailure(answer(503, { error: "nope" }), "Gmail")).toEqual({ code: "provider_error", message: "Gmail answered HTTP 503.", retryable: true, status: 503 });
    expect(googleFailure(answer(502, "<html>"), "Gmail")).toMatchObject({ message: "Gmail answered HTTP 502." });
    expect(googleFailure(answer(500, { error: { errors: "x", details: "y", message: 3 } }), "Gmail")).toEqual({
      code: "provider_error",
      message: "Gmail answered HTTP 500.",
      retryable: true,
      status: 500,
    });
    expect(googleFailure(answer(410, { error: { errors: [null], details: [null] } }), "Gmail")).toEqual({
      code: "provider_error",
      message: "Gmail answered HTTP 410.",
      retryable: false,
      status: 410,
    });
  });
});
