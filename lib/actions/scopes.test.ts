import { describe, expect, test } from "vitest";
import { missingScope, scopeNames } from "./scopes";

describe("missingScope", () => {
  test("names the first need the grant lacks, or null", () => {
    expect(missingScope([], [])).toBeNull();
    expect(missingScope(["a", "b"], ["b", "a"])).toBeNull();
    expect(missingScope(["a", "b"], ["a"])).toBe("b");
    expect(missingScope(["a", "b"], [])).toBe("a");
  });
  test("a need with alternatives is met by any one, and named by its first", () => {
    expect(missingScope([["repo", "public_repo"]], ["public_repo"])).toBeNull();
    expect(missingScope([["repo", "public_repo"]], ["repo"])).toBeNull();
    expect(missingScope([["repo", "public_repo"]], ["gist"])).toBe("repo");
    // An empty list of alternatives needs nothing, and does not hide the needs after it.
    expect(missingScope([[], "b"], [])).toBe("b");
  });
  test("scopeNames flattens every name", () => {
    expect(scopeNames(["a", ["b", "c"]])).toEqual(["a", "b", "c"]);
  });
});
