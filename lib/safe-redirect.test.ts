import { afterEach, describe, expect, test, vi } from "vitest";
import { safeRelativePath } from "./safe-redirect";

const FALLBACK = "/fallback";
const APP = "https://app.example";

/** What "safe" means for a result, checked the way a browser and a decoding proxy would read it. */
function expectStaysInApp(result: string) {
  expect(result.startsWith("/")).toBe(true);
  expect(result[1]).not.toBe("/");
  expect(result[1]).not.toBe("\\");
  const url = new URL(result, `${APP}/o/acme/settings/`);
  expect(url.origin).toBe(APP);
  expect(url.pathname.startsWith("//")).toBe(false);
  const decoded = decodeURIComponent(url.pathname);
  expect(new URL(decoded, APP).origin).toBe(APP);
  expect(decoded.startsWith("//") || decoded.startsWith("/\\")).toBe(false);
  // Idempotent: passing the result through again changes nothing.
  expect(safeRelativePath(result, FALLBACK)).toBe(result);
}

describe("safeRelativePath keeps app paths", () => {
  test.each([
    "/",
    "/orgs",
    "/orgs?x=1#top",
    "/o/acme/settings/integrations?connected=github",
    "/o/acme/settings/integrations/github?error=access_denied&provider=github#calls",
    "/o/acme-2/settings/members/",
    "/o/acme/settings?q=a%20b&next=%2F%2Fevil.example",
    "/orgs#//not-a-host",
    "/orgs?next=//evil.example",
    "/o/acme%2Dinc/settings",
  ])("%s", (path) => {
    expect(safeRelativePath(path, FALLBACK)).toBe(path);
    expectStaysInApp(path);
  });

  test.each([
    ["/o/acme/../acme/settings", "/o/acme/settings"],
    ["/o/./acme/settings", "/o/acme/settings"],
    ["/o/acme/%2e%2e/acme/settings?x=1#h", "/o/acme/settings?x=1#h"],
    ["/o/acme settings", "/o/acme%20settings"],
    ["/orgs ", "/orgs"],
  ])("normalizes %j to %j, as a browser would", (candidate, expected) => {
    expect(safeRelativePath(candidate, FALLBACK)).toBe(expected);
    expectStaysInApp(expected);
  });
});

describe("safeRelativePath refuses what can leave the site", () => {
  const hostile: Array<[string, string | null | undefined]> = [
    // Dot segments that collapse into "//host"
    ["parent then slash", "/..//evil.example"],
    ["dot then slash", "/.//evil.example"],
    ["deeper parents", "/a/b/../..//evil.example"],
    ["mixed dot segments", "/.%2e//evil.example"],
    // Percent-encoded dots, slashes and backslashes
    ["encoded parent", "/%2e%2e//evil.example"],
    ["encoded parent, upper case", "/%2E%2E//evil.example"],
    ["encoded slash", "/%2f/evil.example"],
    ["encoded slashes", "/%2F%2Fevil.example"],
    ["encoded backslash", "/%5c/evil.example"],
    ["encoded backslash, upper case", "/%5Cevil.example"],
    ["double-encoded parent", "/%252e%252e//evil.example"],
    ["double-encoded slashes", "/%252f%252fevil.example"],
    ["triple-encoded slashes", "/%25252f%25252fevil.example"],
    ["encoded deeper than anyone decodes", "/%2525252e"],
    ["malformed encoding", "/%E0%A4%A"],
    // Doubled slashes
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with path", "//evil.example/path"],
    ["three slashes", "///evil.example"],
    ["four slashes", "////evil.example"],
    // Backslashes, which browsers read as slashes
    ["slash backslash", "/\\evil.example"],
    ["backslash slash", "\\/evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["dot backslash", "/.\\/evil.example"],
    ["parent backslash", "/a/..\\/evil.example"],
    // Tabs, newlines and other controls, which the URL parser drops
    ["tab inside", "/\t/evil.example"],
    ["newline inside", "/\n/evil.example"],
    ["CRLF inside", "/\r\n/evil.example"],
    ["leading tab", "\t//evil.example"],
    ["NUL inside", "/\u0000/evil.example"],
    ["C1 control inside", "/\u0085/evil.example"],
    ["encoded tab", "/%09/evil.example"],
    ["encoded newline", "/%0a/evil.example"],
    // Other schemes and absolute URLs
    ["javascript:", "javascript:alert(1)"],
    ["javascript:, mixed case", "JaVaScRiPt:alert(1)"],
    ["javascript: behind a tab", "java\tscript:alert(1)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["vbscript:", "vbscript:msgbox(1)"],
    ["absolute https", "https://evil.example/"],
    ["absolute http", "http://evil.example"],
    ["absolute, upper case", "HTTPS://EVIL.EXAMPLE"],
    ["scheme without slashes", "https:evil.example"],
    ["scheme with one slash", "http:/evil.example"],
    ["userinfo trick", "https://placeholder.invalid@evil.example/"],
    // Unicode slashes, backslashes and dots
    ["full-width slashes", "／／evil.example"],
    ["full-width slashes after a slash", "/／／evil.example"],
    ["one full-width slash after a slash", "/／evil.example"],
    ["full-width backslash", "/＼evil.example"],
    ["small reverse solidus", "/\ufe68evil.example"],
    ["division slashes", "/\u2215\u2215evil.example"],
    ["fraction slash", "/\u2044evil.example"],
    ["big solidus", "/\u29f8evil.example"],
    ["full-width dots", "/．．/．．//evil.example"],
    ["two-dot leader", "/\u2025//evil.example"],
    ["encoded full-width slashes", "/%EF%BC%8F%EF%BC%8Fevil.example"],
    ["encoded division slash", "/%E2%88%95evil.example"],
    // Characters that compatibility folding (NFKC) turns into dots or a percent sign
    ["vertical two-dot leader, which folds to ..", "/\ufe30//evil.example"],
    ["encoded vertical two-dot leader", "/%EF%B8%B0//evil.example"],
    ["small percent signs, which fold to %", "/\ufe6a2e\ufe6a2e//evil.example"],
    // Not paths at all
    ["empty", ""],
    ["null", null],
    ["undefined", undefined],
    ["space", " "],
    ["leading space", " /orgs"],
    ["relative", "relative/path"],
    ["bare host", "evil.example"],
    ["query only", "?next=/orgs"],
    ["hash only", "#top"],
    ["dot relative", "./orgs"],
    ["parent relative", "../orgs"],
    // Too long, before or after encoding
    ["very long", `/${"a".repeat(2048)}`],
    ["very long after encoding", `/${"é".repeat(1000)}`],
    ["very long, though it resolves to a short path", `/${"./".repeat(1100)}orgs`],
  ];

  test.each(hostile)("%s", (_name, candidate) => {
    expect(safeRelativePath(candidate, FALLBACK)).toBe(FALLBACK);
  });

  test("a fallback of the empty string stays empty (how oauth start detects a refusal)", () => {
    expect(safeRelativePath("/..//evil.example", "")).toBe("");
  });
});

describe("safeRelativePath lets odd paths through only as harmless app paths", () => {
  test.each([
    ["/..", "/"],
    ["/../../etc/passwd", "/etc/passwd"],
    ["/%2e%2e", "/"],
    ["/javascript:alert(1)", "/javascript:alert(1)"],
    ["/a\\b", "/a/b"],
    [`/${"a".repeat(2047)}`, `/${"a".repeat(2047)}`],
  ])("%j becomes %j", (candidate, expected) => {
    expect(safeRelativePath(candidate, FALLBACK)).toBe(expected);
    expectStaysInApp(expected);
  });

  test("any mix of slashes, dots, encodings and whitespace either falls back or stays in the app", () => {
    const pieces = ["/", "\\", ".", "..", "%2e", "%2f", "%5c", "%252e", "%252f", "\t", "\n", "／", "∕", "evil.example", "a", "?", "#", ":", "@"];
    // A fixed linear congruential generator, so a failure reproduces.
    let seed = 1;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const length = 1 + Math.floor(next() * 7);
      let candidate = "";
      for (let j = 0; j < length; j++) candidate += pieces[Math.floor(next() * pieces.length)];
      const result = safeRelativePath(candidate, FALLBACK);
      if (result !== FALLBACK) expectStaysInApp(result);
    }
  });
});

describe("safeRelativePath where the runtime has no compatibility folding (NFKC)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  test("still refuses full-width and look-alike slashes and dots, and keeps app paths", () => {
    vi.spyOn(String.prototype, "normalize").mockImplementation(() => {
      throw new RangeError("The normalization form should be one of NFC, NFD, NFKC, NFKD.");
    });
    for (const candidate of ["/%EF%BC%8F%EF%BC%8Fevil.example", "/\uff0e\uff0e/\uff0e\uff0e//evil.example", "/\u2215\u2215evil.example"]) {
      expect(safeRelativePath(candidate, FALLBACK)).toBe(FALLBACK);
    }
    expect(safeRelativePath("/o/acme/settings?tab=1", FALLBACK)).toBe("/o/acme/settings?tab=1");
    expect(safeRelativePath("/o/caf%C3%A9", FALLBACK)).toBe("/o/caf%C3%A9");
  });
});
