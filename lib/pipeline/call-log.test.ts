import { describe, expect, test } from "vitest";
import {
  CALL_LOG_EXCERPT_BYTES,
  exchangeLogEntry,
  logMessage,
  logPath,
  outcomeOfStatus,
  requestExcerpt,
  responseExcerpt,
} from "./call-log";

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("outcomeOfStatus", () => {
  test.each([
    [200, "ok"],
    [302, "ok"],
    [400, "client_error"],
    [401, "unauthorized"],
    [404, "client_error"],
    [429, "rate_limited"],
    [503, "server_error"],
  ])("%i is %s", (status, outcome) => expect(outcomeOfStatus(status)).toBe(outcome));
});

describe("requestExcerpt", () => {
  test("redacts the credential header, secret query values, secret JSON keys and known secrets anywhere", () => {
    const text = requestExcerpt(
      {
        method: "POST",
        path: "/1/cards?key=k-123&token=t-456&name=x",
        headers: { authorization: "Bearer at-789", "content-type": "application/json" },
        body: JSON.stringify({ password: "hunter2", note: "my token is at-789" }),
      },
      ["at-789", "k-123", "t-456", "hunter2"],
    );
    for (const secret of ["at-789", "k-123", "t-456", "hunter2"]) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).toEqual({
      method: "POST",
      path: "/1/cards?key=[REDACTED]&token=[REDACTED]&name=x",
      headers: { authorization: "Bearer [REDACTED]", "content-type": "application/json" },
      body: { password: "[REDACTED]", note: "my token is [REDACTED]" },
    });
  });

  test("is cut to 2 KB, after redaction", () => {
    const secret = "s".repeat(40);
    const text = requestExcerpt(
      { method: "POST", path: "/x", headers: {}, body: `${"a".repeat(CALL_LOG_EXCERPT_BYTES - 20)}${secret}${"b".repeat(5000)}` },
      [secret],
    );
    expect(bytes(text)).toBeLessThanOrEqual(CALL_LOG_EXCERPT_BYTES);
    expect(text).toMatch(/…\[truncated \d+ bytes\]$/);
    expect(text).not.toContain("ssssssssss");
  });
});

describe("responseExcerpt", () => {
  test("redacts tokens an answer echoes, by key and by value", () => {
    const text = responseExcerpt(
      {
        status: 200,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ access_token: "new-token", query: { token: "t-1" }, echo: "t-1" }),
      },
      ["t-1"],
    );
    expect(text).not.toContain("new-token");
    expect(text).not.toContain("t-1");
  });
  test("a huge body is excerpted as far as the budget goes, and marked as cut", () => {
    const text = responseExcerpt({ status: 200, headers: {}, body: "x".repeat(1_000_001) }, []);
    expect(bytes(text)).toBeLessThanOrEqual(CALL_LOG_EXCERPT_BYTES);
    expect(text).toMatch(/^\{"status":200,"headers":\{\},"body":"x+…\[truncated \d+ bytes\]$/);
  });
});

describe("logPath and logMessage", () => {
  test("redact and cut", () => {
    expect(logPath("/x?access_token=abc&page=2", [])).toBe("/x?access_token=[REDACTED]&page=2");
    expect(logPath(`/x/${"p".repeat(2000)}`, []).length).toBeLessThanOrEqual(1024);
    expect(logMessage("failed with abc", ["abc"])).toBe("failed with [REDACTED]");
  });
});

describe("exchangeLogEntry", () => {
  const answer = { kind: "response" as const, status: 200, headers: { "content-type": "application/json" }, body: '{"access_token":"tok_1"}', bodyTruncated: false };
  const request = (url: string, extra: Partial<Parameters<typeof exchangeLogEntry>[0]> = {}) => ({
    method: "POST",
    url: new URL(url),
    headers: new Headers({ Authorization: "Basic c2VjcmV0", "Content-Type": "application/x-www-form-urlencoded" }),
    body: "grant_type=authorization_code&code=abc&client_secret=shh",
    logBodies: true,
    urlIsSecret: false,
    ...extra,
  });

  test("token endpoint traffic keeps method, path and status only", () => {
    const entry = exchangeLogEntry(request("https://auth.example.com/oauth/token?x=1", { logBodies: false }), answer, ["tok_1"]);
    expect(JSON.parse(entry.request)).toEqual({ method: "POST", path: "auth.example.com/oauth/token?x=1" });
    expect(JSON.parse(entry.response!)).toEqual({ status: 200 });
    expect(JSON.stringify(entry)).not.toMatch(/tok_1|shh|abc|c2VjcmV0/);
  });

  test("a request under the API base reads relative to it, bodies redacted; others show their host", () => {
    const entry = exchangeLogEntry(request("https://api.example.com/v2/user?token=t0k", { apiBase: "https://api.example.com/v2" }), answer, ["tok_1"]);
    expect(entry.path).toBe("/user?token=[REDACTED]");
    expect(entry.request).not.toMatch(/shh|c2VjcmV0/);
    expect(entry.response).not.toContain("tok_1");
    expect(exchangeLogEntry(request("https://api.example.com/v20/user", { apiBase: "https://api.example.com/v2" }), answer, []).path).toBe(
      "api.example.com/v20/user",
    );
  });

  test("a webhook's URL is its credential: only the host is shown", () => {
    const entry = exchangeLogEntry(request("https://hooks.example.com/T000/B000/XXXX", { urlIsSecret: true }), answer, []);
    expect(entry.path).toBe("hooks.example.com (webhook URL)");
    expect(JSON.stringify(entry)).not.toContain("XXXX");
  });

  test("no answer: status null, the ending as outcome", () => {
    expect(exchangeLogEntry(request("https://a.example.com/x"), { kind: "timeout" }, [])).toMatchObject({ status: null, outcome: "timeout" });
    expect(exchangeLogEntry(request("https://a.example.com/x"), { kind: "network_error" }, [])).toMatchObject({ outcome: "network_error" });
  });
});

describe("call log rows, at the edges", () => {
  const answer = (bodyTruncated: boolean) => ({ kind: "response" as const, status: 200, headers: {}, body: "ok", bodyTruncated });
  const exchange = (url: string, extra: Partial<Parameters<typeof exchangeLogEntry>[0]> = {}) => ({
    method: "POST",
    url: new URL(url),
    headers: new Headers({ "Content-Type": "application/x-www-form-urlencoded" }),
    body: "grant_type=refresh_token&refresh_token=rt_1&scope=repo",
    logBodies: true,
    urlIsSecret: false,
    ...extra,
  });

  test("500 is a server error", () => {
    expect(outcomeOfStatus(500)).toBe("server_error");
    expect(outcomeOfStatus(499)).toBe("client_error");
  });

  test("a request body is kept, redacted by name; none is null", () => {
    const withBody = exchangeLogEntry(exchange("https://api.example.com/x"), answer(false), []);
    expect(JSON.parse(withBody.request).body).toBe("grant_type=refresh_token&refresh_token=[REDACTED]&scope=repo");
    const without = exchangeLogEntry(exchange("https://api.example.com/x", { body: undefined }), answer(false), []);
    expect(JSON.parse(without.request).body).toBeNull();
  });

  test("a form body is redacted as a form whichever way Content-Type is spelled", () => {
    for (const name of ["content-type", "Content-Type"]) {
      const text = requestExcerpt({ method: "POST", path: "/x", headers: { [name]: "application/x-www-form-urlencoded" }, body: "code=abc&x=1" }, []);
      expect(JSON.parse(text).body).toBe("code=[REDACTED]&x=1");
    }
  });

  test("no answer says whether it timed out or could not connect", () => {
    expect(exchangeLogEntry(exchange("https://a.example.com/x"), { kind: "timeout" }, []).errorMessage).toBe("No answer in time.");
    expect(exchangeLogEntry(exchange("https://a.example.com/x"), { kind: "network_error" }, []).errorMessage).toBe(
      "The provider could not be reached.",
    );
  });

  test("a cut answer is marked, an uncut one is not", () => {
    expect(exchangeLogEntry(exchange("https://a.example.com/x"), answer(true), []).responseTruncated).toBe(true);
    expect(exchangeLogEntry(exchange("https://a.example.com/x"), answer(false), []).responseTruncated).toBeUndefined();
  });

  test("the path is relative only under the API base itself: same origin, the base or below it", () => {
    const path = (url: string, apiBase: string | null) => exchangeLogEntry(exchange(url, { apiBase }), answer(false), []).path;
    expect(path("https://api.example.com/v2/user", "https://api.example.com/v2/")).toBe("/user");
    expect(path("https://api.example.com/v2/user", "https://api.example.com/v2//")).toBe("/user");
    expect(path("https://api.example.com/v2", "https://api.example.com/v2")).toBe("/");
    expect(path("https://evil.example/v2/user", "https://api.example.com/v2")).toBe("evil.example/v2/user");
    expect(path("https://api.example.com/v2/user", "not a url")).toBe("api.example.com/v2/user");
    expect(path("https://api.example.com/v2/user", null)).toBe("api.example.com/v2/user");
  });
});
