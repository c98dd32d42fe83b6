import { describe, expect, it } from "vitest";
import { SLUG_MAX_LENGTH, checkSlug, slugCandidate, slugify } from "./slug";

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

describe("checkSlug", () => {
  it.each([
    [" Acme-Labs ", "acme-labs"],
    ["ab", "ab"],
    ["a1-b2-c3", "a1-b2-c3"],
    ["x".repeat(40), "x".repeat(40)],
    ["9lives", "9lives"],
  ])("accepts %j as %j", (input, slug) => {
    expect(checkSlug(input)).toEqual({ ok: true, slug });
  });

  it.each(["", " ", "a", "x".repeat(41)])("refuses %j for its length", (input) => {
    expect(checkSlug(input)).toEqual({ ok: false, message: "Use 2 to 40 characters." });
  });

  it.each(["acme labs", "acme_labs", "café", "acme/labs", "ac.me"])("refuses %j for its characters", (input) => {
    expect(checkSlug(input)).toEqual({ ok: false, message: "Use only letters a–z, digits and dashes." });
  });

  it.each(["-acme", "acme-", "ac--me", "--", "a-"])("refuses %j for its dashes", (input) => {
    expect(checkSlug(input)).toEqual({
      ok: false,
      message: "Start and end with a letter or digit, with single dashes between.",
    });
  });

  it("accepts every slug slugify makes from a name of two or more characters", () => {
    for (const name of ["Acme, Inc.", "Café Crème", "a".repeat(60), "ACME 2"]) {
      expect(checkSlug(slugify(name))).toEqual({ ok: true, slug: slugify(name) });
    }
  });
});
