import { describe, expect, it } from "vitest";
import { ORG_NAME_MAX_LENGTH, checkOrgName, deletionConfirmed, foldOrgName, sameOrgName } from "./org-name";

describe("checkOrgName", () => {
  it("trims the name", () => {
    expect(checkOrgName("  Acme Labs ")).toEqual({ ok: true, name: "Acme Labs" });
  });

  it.each(["", "   ", "\n\t"])("refuses the empty name %j", (input) => {
    expect(checkOrgName(input)).toEqual({ ok: false, message: "Give the organization a name." });
  });

  it("accepts 80 characters and refuses 81, saying how many there are", () => {
    expect(ORG_NAME_MAX_LENGTH).toBe(80);
    expect(checkOrgName("x".repeat(80))).toEqual({ ok: true, name: "x".repeat(80) });
    expect(checkOrgName(` ${"x".repeat(81)} `)).toEqual({
      ok: false,
      message: "Use at most 80 characters (this is 81).",
    });
  });
});

describe("foldOrgName", () => {
  it("trims, folds compatibility forms and lowercases", () => {
    expect(foldOrgName("  Ａｃｍｅ LABS ")).toBe("acme labs");
  });
});

describe("sameOrgName", () => {
  it.each([
    ["Acme", "acme"],
    [" Acme ", "ACME"],
    ["Ａｃｍｅ", "acme"],
  ])("%j and %j are the same", (a, b) => {
    expect(sameOrgName(a, b)).toBe(true);
  });

  it.each([
    ["Acme", "Acme Labs"],
    ["Acme", "Acmé"],
    ["", "a"],
  ])("%j and %j differ", (a, b) => {
    expect(sameOrgName(a, b)).toBe(false);
  });
});

describe("deletionConfirmed", () => {
  it("is true for the exact name, surrounding spaces aside", () => {
    expect(deletionConfirmed("Acme Labs", "Acme Labs")).toBe(true);
    expect(deletionConfirmed("  Acme Labs ", "Acme Labs")).toBe(true);
  });

  it.each(["acme labs", "Acme", "Acme  Labs", ""])("is false for %j", (typed) => {
    expect(deletionConfirmed(typed, "Acme Labs")).toBe(false);
  });
});
