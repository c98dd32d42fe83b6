/** The custom webhook action as pure mappings: template rendering, the exact request, and how answers read. */
import { describe, expect, test } from "vitest";
import type { ActionAnswer, ActionContext } from "../define";
import { parseInput } from "../prepare";
import { customWebhookSendRequest as action, isSuccessStatus, MAX_BODY_BYTES, MAX_TEXT_ANSWER, webhookFailure } from "./custom-webhook";

const context = (config: Record<string, string> = { method: "PUT", authMode: "none" }): ActionContext => ({ config, scopes: [], correlationId: "run-42.step-1" });

function parsed(raw: unknown) {
  const result = parseInput(action, raw);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.input as never;
}

function refused(raw: unknown) {
  const result = parseInput(action, raw);
  if (result.ok) throw new Error("expected the input to be refused");
  return result.error.fields;
}

const answer = (status: number, body: string, headers: Record<string, string> = {}): ActionAnswer => {
  let json: unknown;
  try {
    json = body === "" ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, headers, body, json };
};

describe("the request", () => {
  test("renders the body against the variables and sends it with the connection's method, once, in 10 s", () => {
    const input = parsed({
      body: { event: "deploy", version: "{{version}}", text: "Deployed {{version}} by {{who}}", count: "{{count}}", list: ["{{flag}}", null, 3] },
      variables: { version: "1.4.2", who: "Ada", count: 3, flag: false },
    });
    expect(action.request(input, context())).toEqual({
      method: "PUT",
      path: "",
      body: { json: { event: "deploy", version: "1.4.2", text: "Deployed 1.4.2 by Ada", count: 3, list: [false, null, 3] } },
      maxAttempts: 1,
      timeoutMs: 10_000,
    });
  });

  test("an explicit method wins; without one or with an odd configured one it is POST", () => {
    expect(action.request(parsed({ body: {}, method: "PATCH" }), context()).method).toBe("PATCH");
    expect(action.request(parsed({ body: {} }), context({ method: "patch" })).method).toBe("PATCH");
    expect(action.request(parsed({ body: {} }), context({})).method).toBe("POST");
    expect(action.request(parsed({ body: {} }), context({ method: "DELETE" })).method).toBe("POST");
    expect(refused({ body: {}, method: "GET" })).toHaveProperty("method");
  });

  test("more than one attempt carries the run's correlation id as Idempotency-Key, with the caller's headers", () => {
    const input = parsed({ body: "ping", headers: { "X-Source": "switchboard" }, retry: { maxAttempts: 3 }, timeoutMs: 2_500 });
    expect(action.request(input, context())).toEqual({
      method: "PUT",
      path: "",
      headers: { "X-Source": "switchboard", "Idempotency-Key": "run-42.step-1" },
      body: { json: "ping" },
      maxAttempts: 3,
      timeoutMs: 2_500,
    });
    expect(action.request(parsed({ body: 1, retry: { maxAttempts: 1 } }), context())).not.toHaveProperty("headers");
  });

  test("headers that carry credentials, transport details or what the action sets are field errors", () => {
    expect(refused({ body: {}, headers: { Authorization: "Bearer x" } })).toEqual({
      "headers.Authorization": "Authorization carries credentials or transport details: set authentication on the connection instead.",
    });
    expect(refused({ body: {}, headers: { "X-Api-Key": "k" } })).toHaveProperty(["headers.X-Api-Key"]);
    expect(refused({ body: {}, headers: { Host: "evil" } })).toHaveProperty(["headers.Host"]);
    expect(refused({ body: {}, headers: { "content-type": "text/plain" } })).toEqual({
      "headers.content-type": "content-type is set by Switchboard (the body is JSON; the idempotency key is the run's).",
    });
    expect(refused({ body: {}, headers: { "Idempotency-Key": "mine" } })).toHaveProperty(["headers.Idempotency-Key"]);
    expect(refused({ body: {}, headers: { "Bad Name": "x" } })).toEqual({ "headers.Bad Name": '"Bad Name" is not a valid header name.' });
    expect(refused({ body: {}, headers: { "X-Ok": "a\r\nInjected: 1" } })).toEqual({ "headers.X-Ok": "The value of X-Ok cannot hold line breaks." });
    expect(refused({ body: {}, headers: { "X-Long": "x".repeat(8_193) } })).toHaveProperty(["headers.X-Long"]);
  });

  test("the connection's own auth header cannot be set per request", () => {
    const config = { method: "POST", authMode: "header", headerName: "X-Tenant" };
    expect(() => action.request(parsed({ body: {}, headers: { "x-tenant": "other" } }), context(config))).toThrow(/connection's authentication header/);
    expect(action.request(parsed({ body: {}, headers: { "X-Other": "1" } }), context(config)).headers).toEqual({ "X-Other": "1" });
    expect(action.request(parsed({ body: {}, headers: { "X-Tenant": "1" } }), context({ authMode: "bearer", headerName: "X-Tenant" })).headers).toEqual({ "X-Tenant": "1" });
  });

  test("without variables the body is sent as given, braces and all (a workflow rendered it already)", () => {
    expect(parseInput(action, { body: { text: "Use {{name}} literally" } })).toMatchObject({ ok: true, input: { rendered: { text: "Use {{name}} literally" } } });
  });

  test("template errors name where in the body they are", () => {
    expect(refused({ body: { text: "Hi {{name}}" }, variables: {} })).toEqual({ "body.text": "Nothing is called name." });
    expect(refused({ body: { items: [{ v: "{{ a + b }}" }] }, variables: { a: 1 } })).toEqual({ "body.items.0.v": "A reference looks like {{trigger.title}}: names and dots only." });
    expect(refused({ body: "{{missing}}", variables: { other: 1 } })).toEqual({ body: "Nothing is called missing." });
    expect(refused({ body: undefined })).toHaveProperty("body");
    expect(refused({ body: {}, variables: { "bad name": 1 } })).toHaveProperty(["variables.bad name"]);
    expect(refused({ body: {}, variables: { a: { nested: true } } })).toHaveProperty(["variables.a"]);
  });

  test("a rendered body over 512 KiB is refused", () => {
    const big = "x".repeat(MAX_BODY_BYTES);
    expect(refused({ body: "{{big}}", variables: { big } })).toEqual({ body: "The rendered body is over 512 KiB." });
    expect(parseInput(action, { body: "{{big}}", variables: { big: big.slice(2) } }).ok).toBe(true);
  });

  test("retry, time limit and success statuses stay within bounds", () => {
    expect(refused({ body: {}, retry: { maxAttempts: 6 } })).toEqual({ "retry.maxAttempts": "At most 5 attempts." });
    expect(refused({ body: {}, retry: { maxAttempts: 0 } })).toEqual({ "retry.maxAttempts": "At least 1 attempt." });
    expect(refused({ body: {}, retry: { maxAttempts: 1.5 } })).toEqual({ "retry.maxAttempts": "A whole number of attempts." });
    expect(refused({ body: {}, timeoutMs: 999 })).toEqual({ timeoutMs: "At least 1,000 ms." });
    expect(refused({ body: {}, timeoutMs: 30_001 })).toEqual({ timeoutMs: "At most 30,000 ms." });
    expect(refused({ body: {}, timeoutMs: 1_000.5 })).toEqual({ timeoutMs: "A whole number of milliseconds." });
    expect(parsed({ body: {}, timeoutMs: 1_000 })).toMatchObject({ timeoutMs: 1_000, successStatuses: ["2xx"] });
    expect(parsed({ body: {}, timeoutMs: 30_000 })).toMatchObject({ timeoutMs: 30_000 });
    expect(refused({ body: {}, successStatuses: [] })).toEqual({ successStatuses: "List at least one status or class." });
    expect(refused({ body: {}, successStatuses: [99] })).toHaveProperty(["successStatuses.0"]);
    expect(refused({ body: {}, successStatuses: [600] })).toHaveProperty(["successStatuses.0"]);
    expect(refused({ body: {}, successStatuses: ["5xx"] })).toHaveProperty(["successStatuses.0"]);
    expect(parsed({ body: {}, successStatuses: [100, 599, "3xx"] })).toMatchObject({ successStatuses: [100, 599, "3xx"] });
  });
});

describe("the answer", () => {
  const input = (successStatuses?: unknown[]) => parsed({ body: {}, ...(successStatuses ? { successStatuses } : {}) });

  test("a JSON answer is parsed into the output, a text one kept as text (cut to 64 KiB)", () => {
    expect(action.response(answer(200, '{"received":true}', { "content-type": "application/json; charset=utf-8" }), input())).toEqual({
      ok: true,
      output: { status: 200, headers: { "content-type": "application/json; charset=utf-8" }, body: { received: true }, json: true },
    });
    expect(action.response(answer(201, '{"a":1}', { "content-type": "application/problem+json" }), input())).toMatchObject({ ok: true, output: { body: { a: 1 }, json: true } });
    expect(action.response(answer(200, "42", { "content-type": "text/plain" }), input())).toEqual({
      ok: true,
      output: { status: 200, headers: { "content-type": "text/plain" }, body: "42", json: false },
    });
    expect(action.response(answer(200, "not json", { "content-type": "application/json" }), input())).toMatchObject({ ok: true, output: { body: "not json", json: false } });
    expect(action.response(answer(200, '{"a":1}'), input())).toMatchObject({ ok: true, output: { body: '{"a":1}', json: false } });
    expect(action.response(answer(200, '{"a":1}', { "content-type": "application/jsonp" }), input())).toMatchObject({ ok: true, output: { json: false } });
    expect(action.response(answer(200, '{"a":1}', { "content-type": " APPLICATION/JSON" }), input())).toMatchObject({ ok: true, output: { json: true } });
    expect(action.response(answer(204, ""), input())).toEqual({ ok: true, output: { status: 204, headers: {}, body: "", json: false } });
    const long = "y".repeat(MAX_TEXT_ANSWER + 10);
    const mapped = action.response(answer(200, long, { "content-type": "text/plain" }), input());
    expect(mapped.ok && mapped.output.body).toBe("y".repeat(MAX_TEXT_ANSWER));
  });

  test("successStatuses decide: a listed 404 is a success, an unlisted 201 is not", () => {
    expect(action.response(answer(404, '{"error":"gone"}', { "content-type": "application/json" }), input([404]))).toMatchObject({ ok: true, output: { status: 404, body: { error: "gone" } } });
    expect(action.response(answer(201, ""), input([200]))).toMatchObject({ ok: false, error: { code: "provider_error", status: 201 } });
    expect(action.response(answer(302, "", { location: "https://elsewhere.example/" }), input(["3xx"]))).toMatchObject({ ok: true, output: { status: 302 } });
  });

  test("isSuccessStatus matches numbers and classes", () => {
    expect(isSuccessStatus(200, ["2xx"])).toBe(true);
    expect(isSuccessStatus(299, ["2xx"])).toBe(true);
    expect(isSuccessStatus(300, ["2xx"])).toBe(false);
    expect(isSuccessStatus(199, ["2xx"])).toBe(false);
    expect(isSuccessStatus(404, ["2xx", 404])).toBe(true);
    expect(isSuccessStatus(405, ["2xx", 404])).toBe(false);
    expect(isSuccessStatus(418, ["4xx"])).toBe(true);
  });

  test("failures: 401 is reconnect, 403 names the credentials, 3xx is not followed, 429/5xx are retryable", () => {
    expect(webhookFailure(answer(401, ""))).toEqual({
      code: "auth_revoked",
      message: "The endpoint refused our credentials (HTTP 401): check the connection's authentication and reconnect it.",
      retryable: false,
      status: 401,
    });
    expect(webhookFailure(answer(403, ""))).toEqual({
      code: "provider_error",
      message: "The endpoint refused our credentials (HTTP 403): check the connection's authentication settings.",
      retryable: false,
      status: 403,
    });
    expect(webhookFailure(answer(307, "", { location: "https://elsewhere.example/x" }))).toEqual({
      code: "provider_error",
      message: "The endpoint redirected to https://elsewhere.example/x (HTTP 307); redirects are not followed.",
      retryable: false,
      status: 307,
    });
    expect(webhookFailure(answer(301, ""))).toMatchObject({ message: "The endpoint redirected (HTTP 301); redirects are not followed." });
    expect(webhookFailure(answer(399, ""))).toMatchObject({ message: expect.stringMatching(/redirected/) });
    expect(webhookFailure(answer(400, ""))).toEqual({ code: "provider_error", message: "The endpoint answered HTTP 400.", retryable: false, status: 400 });
    expect(webhookFailure(answer(429, "", { "retry-after": "7" }))).toEqual({
      code: "rate_limited",
      message: "The endpoint is rate limiting these requests.",
      retryable: true,
      retryAfterMs: 7_000,
      status: 429,
    });
    expect(webhookFailure(answer(503, "", { "retry-after": "2" }))).toEqual({
      code: "provider_error",
      message: "The endpoint answered HTTP 503.",
      retryable: true,
      retryAfterMs: 2_000,
      status: 503,
    });
    expect(webhookFailure(answer(504, ""))).toMatchObject({ code: "timeout", retryable: true });
    expect(webhookFailure(answer(200, ""))).toMatchObject({ code: "provider_error", retryable: false, status: 200 });
  });
});
