import { describe, expect, test } from "vitest";
import { requestHeaderProblem, safeResponseHeaders } from "./headers";

describe("requestHeaderProblem", () => {
  test("ordinary headers pass", () => {
    expect(requestHeaderProblem({ Accept: "application/json", "X-GitHub-Api-Version": "2022-11-28", "Idempotency-Key": "k" })).toBeNull();
  });
  test.each(["Authorization", "authorization", "Cookie", "Host", "Content-Length", "Proxy-Authorization", "X-Api-Key", "X-Auth-Token", "Sec-Fetch-Mode"])(
    "%s is reserved",
    (name) => expect(requestHeaderProblem({ [name]: "x" })).toEqual({ name, reason: "reserved" }),
  );
  test("bad names and values with line breaks are refused", () => {
    expect(requestHeaderProblem({ "Bad Name": "x" })).toMatchObject({ reason: "invalid_name" });
    expect(requestHeaderProblem({ "X-Ok": "a\r\nInjected: 1" })).toMatchObject({ reason: "invalid_value" });
  });
});

describe("safeResponseHeaders", () => {
  test("keeps content, paging, rate-limit and request-id headers; drops cookies and the rest", () => {
    const headers = new Headers({
      "Content-Type": "application/json",
      "Set-Cookie": "session=abc",
      "X-RateLimit-Remaining": "4999",
      "X-GitHub-Request-Id": "AB:CD",
      "X-Internal-Token": "secret",
      Server: "nginx",
      Link: '<https://api.test/items?page=2&access_token=tok>; rel="next"',
      Location: "https://api.test/x?token=tok&a=1",
    });
    expect(safeResponseHeaders(headers)).toEqual({
      "content-type": "application/json",
      "x-ratelimit-remaining": "4999",
      "x-github-request-id": "AB:CD",
      link: '<https://api.test/items?page=2&access_token=[REDACTED]>; rel="next"',
      location: "https://api.test/x?token=[REDACTED]&a=1",
    });
  });
});

describe("requestHeaderProblem, every reserved name", () => {
  test.each([
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Host",
    "Content-Length",
    "Connection",
    "Keep-Alive",
    "Transfer-Encoding",
    "Upgrade",
    "TE",
    "Trailer",
    "Expect",
    "Forwarded",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Proto",
    "X-Real-IP",
    "Proxy-Connection",
    "Sec-WebSocket-Key",
  ])("a caller may not set %s", (name) => {
    expect(requestHeaderProblem({ Accept: "application/json", [name]: "x" })).toEqual({ name, reason: "reserved" });
  });

  test("names that merely contain a reserved word pass", () => {
    expect(requestHeaderProblem({ "X-Via-Proxy": "1", "X-Host-Name": "a", "Content-Type": "application/json" })).toBeNull();
  });
});

describe("safeResponseHeaders, every allowed name", () => {
  test("content, caching, auth challenge, paging, rate limits, request and resource ids pass", () => {
    const allowed = {
      "content-type": "application/json",
      "content-length": "12",
      "content-language": "en",
      "content-encoding": "gzip",
      "cache-control": "no-store",
      date: "Tue, 01 Dec 2026 10:00:00 GMT",
      etag: '"abc"',
      expires: "0",
      "last-modified": "Tue, 01 Dec 2026 09:00:00 GMT",
      "retry-after": "30",
      vary: "Accept",
      "www-authenticate": 'Bearer realm="api", error="invalid_token"',
      "request-id": "r1",
      "x-request-id": "r2",
      "x-correlation-id": "r3",
      "x-restli-id": "urn:li:share:6844785523593134080",
      "x-wp-totalpages": "2",
      "x-ratelimit-limit": "5000",
      "ratelimit-remaining": "9",
      "x-rate-limit-reset": "60",
      "x-amzn-trace-request-id": "r4",
    };
    expect(safeResponseHeaders(new Headers(allowed))).toEqual(allowed);
  });

  test("names that only resemble a request id, and secret-looking rate-limit names, are dropped", () => {
    const headers = new Headers({ "ax-request-id": "1", "x-request-idx": "2", "x-request-id-token": "3", "x-ratelimit-token": "4" });
    expect(safeResponseHeaders(headers)).toEqual({});
  });

  test("only Location and Link values are rewritten; other values pass as they are", () => {
    const value = "<https://api.test/docs?token=abc>";
    expect(safeResponseHeaders(new Headers({ "x-ratelimit-policy": value }))).toEqual({ "x-ratelimit-policy": value });
  });
});
