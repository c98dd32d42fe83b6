import { describe, expect, test } from "vitest";
import { pathUnderBase, resolveCallUrl } from "./url-guard";

const GITHUB = "https://api.github.com";
const JIRA = "https://api.atlassian.com/ex/jira/abc/rest/api/3";

describe("resolveCallUrl", () => {
  test.each([
    [GITHUB, "/user", "https://api.github.com/user"],
    [GITHUB, "/repos/a/b/issues?state=open", "https://api.github.com/repos/a/b/issues?state=open"],
    [JIRA, "/myself", "https://api.atlassian.com/ex/jira/abc/rest/api/3/myself"],
    [`${JIRA}/`, "/myself", "https://api.atlassian.com/ex/jira/abc/rest/api/3/myself"],
    [GITHUB, "/users/@me", "https://api.github.com/users/@me"],
    [GITHUB, "/a/b%2Fc", "https://api.github.com/a/b%2Fc"],
    ["http://127.0.0.1:3400/github", "/user", "http://127.0.0.1:3400/github/user"],
  ])("%s + %s → %s", (base, path, expected) => {
    const result = resolveCallUrl(base, path);
    expect(result.ok && result.url.href).toBe(expected);
  });

  test("query parameters are appended to those of the path", () => {
    const result = resolveCallUrl(GITHUB, "/search?q=a", { page: "2", q: "b" });
    expect(result.ok && result.url.search).toBe("?q=a&page=2&q=b");
  });

  test.each([
    ["https://evil.example/steal", "not_relative"],
    ["http://api.github.com/user", "not_relative"],
    ["//evil.example/steal", "not_relative"],
    ["user", "not_relative"],
    ["@evil.example/x", "not_relative"],
    ["", "not_relative"],
    ["/../../other", "traversal"],
    ["/repos/../../x", "traversal"],
    ["/%2e%2e/x", "traversal"],
    ["/%2E%2e/x", "traversal"],
    ["/a/..%2f..%2fx", "traversal"],
    ["/a/.", "traversal"],
    ["/\\evil.example", "invalid_characters"],
    ["/a%5c..", "invalid_characters"],
    ["/a b", "invalid_characters"],
    ["/a\nb", "invalid_characters"],
    ["/a#frag", "invalid_characters"],
    [`/${"a".repeat(3000)}`, "too_long"],
  ])("%j is refused as %s", (path, reason) => {
    const result = resolveCallUrl(GITHUB, path);
    expect(result).toMatchObject({ ok: false, reason });
  });

  test("a Jira path cannot climb to another site's cloud id", () => {
    expect(resolveCallUrl(JIRA, "/../../../other-cloud/rest/api/3/myself")).toMatchObject({ ok: false });
  });

  test("@ or a port in the path never changes the host", () => {
    for (const path of ["/@evil.example", "/:443@evil.example/x", "/x@evil.example:80"]) {
      const result = resolveCallUrl(GITHUB, path);
      if (result.ok) expect(result.url.host).toBe("api.github.com");
    }
  });

  test("a base with user info or a query is not a base", () => {
    expect(resolveCallUrl("https://u:p@api.example.com", "/x")).toMatchObject({ ok: false, reason: "invalid_base" });
    expect(resolveCallUrl("not a url", "/x")).toMatchObject({ ok: false, reason: "invalid_base" });
  });
});

describe("pathUnderBase", () => {
  test("strips the base's path and keeps the query", () => {
    expect(pathUnderBase(new URL("https://x.test/api/v1/me?a=1"), "https://x.test/api")).toBe("/v1/me?a=1");
    expect(pathUnderBase(new URL("https://x.test/api"), "https://x.test/api")).toBe("/");
  });
});
