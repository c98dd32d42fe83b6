import { describe, expect, test } from "vitest";
import { fromLookup, lookupCursor, lookupPage } from "./lookup";

describe("lookups", () => {
  test("a field names its lookup, with the other fields it takes only when there are some", () => {
    expect(fromLookup("trello.list_boards")).toEqual({ lookup: { action: "trello.list_boards" } });
    expect(fromLookup("trello.list_lists", { boardId: "board" })).toEqual({ lookup: { action: "trello.list_lists", params: { boardId: "board" } } });
  });

  test("a page is options with an optional hint, and an optional next cursor", () => {
    expect(lookupPage.parse({ options: [{ value: "1", label: "One" }, { value: "2", label: "Two", hint: "second" }] })).toEqual({
      options: [{ value: "1", label: "One" }, { value: "2", label: "Two", hint: "second" }],
    });
    expect(lookupPage.parse({ options: [], nextCursor: "n" })).toEqual({ options: [], nextCursor: "n" });
    expect(lookupPage.safeParse({ options: [{ value: 1, label: "x" }] }).success).toBe(false);
    expect(lookupPage.safeParse({}).success).toBe(false);
  });

  test("a cursor is optional text of at most 2,048 characters", () => {
    expect(lookupCursor.safeParse(undefined).success).toBe(true);
    expect(lookupCursor.safeParse("c".repeat(2048)).success).toBe(true);
    expect(lookupCursor.safeParse("c".repeat(2049)).success).toBe(false);
    expect(lookupCursor.safeParse(5).success).toBe(false);
  });
});
