import { describe, expect, test } from "vitest";
import { safeRelativePath } from "./safe-redirect";

describe("safeRelativePath", () => {
  test.each(["/o/acme/settings", "/orgs?x=1#top", "/"])("keeps the app path %s", (path) => {
    expect(safeRelativePath(path, "/fallback")).toBe(path);
  });

  test.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "relative/path",
    "",
    null,
    undefined,
  ])("refuses %j", (candidate) => {
    expect(safeRelativePath(candidate, "/fallback")).toBe("/fallback");
  });
});
