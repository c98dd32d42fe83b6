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
