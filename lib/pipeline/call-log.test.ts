import { describe, expect, test } from "vitest";
import { CALL_LOG_EXCERPT_BYTES, logMessage, logPath, outcomeOfStatus, requestExcerpt, responseExcerpt } from "./call-log";

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
  test("a huge body is not excerpted at all", () => {
    const text = responseExcerpt({ status: 200, headers: {}, body: "x".repeat(1_000_001) }, []);
    expect(text).toContain("not logged");
  });
});

describe("logPath and logMessage", () => {
  test("redact and cut", () => {
    expect(logPath("/x?access_token=abc&page=2", [])).toBe("/x?access_token=[REDACTED]&page=2");
    expect(logPath(`/x/${"p".repeat(2000)}`, []).length).toBeLessThanOrEqual(1024);
    expect(logMessage("failed with abc", ["abc"])).toBe("failed with [REDACTED]");
  });
});
