import { describe, expect, it } from "vitest";
import { SLUG_MAX_LENGTH, slugCandidate, slugify } from "./slug";

describe("slugify", () => {
  it.each([
    ["Acme, Inc.", "acme-inc"],
    ["Café Crème", "cafe-creme"],
    ["  --Hello   World--  ", "hello-world"],
    ["ACME 2", "acme-2"],
    ["a_b.c", "a-b-c"],
  ])("%j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('is "org" when nothing usable is left', () => {
    for (const name of ["", "!!!", "日本語", "---"]) expect(slugify(name)).toBe("org");
  });

  it("cuts to 40 characters without leaving a trailing dash", () => {
    expect(SLUG_MAX_LENGTH).toBe(40);
    expect(slugify("a".repeat(50))).toBe("a".repeat(40));
    // The cut falls right after a dash: the dash goes too.
    expect(slugify(`${"a".repeat(39)} b`)).toBe("a".repeat(39));
  });
});

describe("slugCandidate", () => {
  it("is the base first, then base-2, base-3, …", () => {
    expect([0, 1, 2, 3].map((attempt) => slugCandidate("acme", attempt))).toEqual(["acme", "acme", "acme-2", "acme-3"]);
  });
});
