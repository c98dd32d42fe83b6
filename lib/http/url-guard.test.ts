import { describe, expect, test } from "vitest";
import { MAX_CALL_PATH_LENGTH, pathUnderBase, resolveCallUrl } from "./url-guard";

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

describe("resolveCallUrl, at the edges", () => {
  test("a path of exactly the longest length is sent; one character more is refused", () => {
    const longest = `/${"a".repeat(MAX_CALL_PATH_LENGTH - 1)}`;
    expect(resolveCallUrl(GITHUB, longest).ok).toBe(true);
    expect(resolveCallUrl(GITHUB, `${longest}a`)).toMatchObject({ ok: false, reason: "too_long" });
  });

  test.each([
    ["a query", "https://api.example.com/v1?key=1"],
    ["a fragment", "https://api.example.com/v1#top"],
    ["a user name", "https://user@api.example.com/v1"],
    ["a password", "https://:secret@api.example.com/v1"],
  ])("a base with %s is not a base", (_what, base) => {
    expect(resolveCallUrl(base, "/x")).toMatchObject({ ok: false, reason: "invalid_base" });
  });

  test("a base ending in several slashes joins the path with one", () => {
    const result = resolveCallUrl("https://x.test/api///", "/me");
    expect(result.ok && result.url.href).toBe("https://x.test/api/me");
  });

  test("a query value may contain /../ and backslash-free slashes: only the path is checked for traversal", () => {
    const result = resolveCallUrl(GITHUB, "/search?q=a/../b&path=/./x");
    expect(result.ok && result.url.pathname).toBe("/search");
    expect(result.ok && result.url.searchParams.get("q")).toBe("a/../b");
    expect(result.ok && result.url.searchParams.get("path")).toBe("/./x");
  });

  test("a path that is not valid percent-encoding is sent as typed, not refused or decoded", () => {
    const result = resolveCallUrl(GITHUB, "/100%/x%zz");
    expect(result.ok && result.url.href).toBe("https://api.github.com/100%/x%zz");
  });

  test("a blob: base, whose origin reads like the API's, never sends the call to another host", () => {
    // The joined URL would be https://api.example.comhttps//api.example.com/v1/x: another host.
    expect(resolveCallUrl("blob:https://api.example.com/v1", "/x")).toMatchObject({ ok: false, reason: "outside_base" });
  });

  test.each(["foo://host/api", "data:text/plain,hi", "file:///etc"])("a base without an origin (%s) sends nothing", (base) => {
    const result = resolveCallUrl(base, "/x");
    expect(result.ok).toBe(false);
  });

  test("every refusal says in a sentence what was wrong", () => {
    const refusals: Array<[string, string, RegExp]> = [
      [GITHUB, "https://evil.example/", /must start with a single \/ and be relative/],
      [GITHUB, "/a/../b", /may not contain \. or \.\. segments/],
      [GITHUB, "/a b", /may not contain backslashes, spaces, control characters or a #fragment/],
      ["blob:https://api.example.com/v1", "/x", /would leave the provider's API base/],
      ["not a url", "/x", /no valid API address/],
      [GITHUB, `/${"a".repeat(MAX_CALL_PATH_LENGTH)}`, new RegExp(`longer than ${MAX_CALL_PATH_LENGTH} characters`)],
      ["foo://host/api", "/x", /\S/],
    ];
    for (const [base, path, message] of refusals) {
      const result = resolveCallUrl(base, path);
      expect(result.ok ? "" : result.message).toMatch(message);
    }
  });
});

describe("pathUnderBase, with a base ending in slashes", () => {
  test("strips the base's path however many slashes it ends with", () => {
    expect(pathUnderBase(new URL("https://x.test/api/v1/me"), "https://x.test/api/")).toBe("/v1/me");
    expect(pathUnderBase(new URL("https://x.test/api/v1/me"), "https://x.test/api//")).toBe("/v1/me");
  });

  test("a URL outside the base's path is shown whole", () => {
    expect(pathUnderBase(new URL("https://x.test/other/x?a=1"), "https://x.test/api")).toBe("/other/x?a=1");
  });
});
