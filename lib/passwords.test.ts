import { describe, expect, it } from "vitest";
import { checkPassword, normalizeEmail, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./passwords";

describe("normalizeEmail", () => {
  it("trims and lowercases an address", () => {
    expect(normalizeEmail("  Ann.Lee@Example.COM \n")).toBe("ann.lee@example.com");
  });

  it.each(["", "ann", "ann@", "@example.com", "ann@example", "ann@@example.com", "ann lee@example.com", "ann@exa mple.com", "ann@example.", "ann@.com", "ann@example.com x", "ann@example.com@x"])(
    "refuses %j",
    (raw) => {
      expect(normalizeEmail(raw)).toBeNull();
    },
  );

  it("accepts up to 254 characters and no more", () => {
    const local = "a".repeat(64);
    const at254 = `${local}@${"b".repeat(254 - 64 - 1 - 4)}.com`;
    expect(at254).toHaveLength(254);
    expect(normalizeEmail(at254)).toBe(at254);
    expect(normalizeEmail(`a${at254}`)).toBeNull();
  });
});

describe("checkPassword", () => {
  it("accepts 8 to 256 characters with a letter and a digit or symbol", () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH]).toEqual([8, 256]);
    for (const password of ["abcdefg1", "abcdefg!", "1234567a", `a${"1".repeat(255)}`, "pässwörd1"]) {
      expect(checkPassword(password)).toBeNull();
    }
  });

  it("says how long a password must be", () => {
    expect(checkPassword("abcdef1")).toBe("Use at least 8 characters.");
    expect(checkPassword("")).toBe("Use at least 8 characters.");
    expect(checkPassword(`a${"1".repeat(256)}`)).toBe("Use at most 256 characters.");
  });

  it("asks for a letter and a digit or symbol", () => {
    for (const password of ["abcdefgh", "ABCDEFGH", "12345678", "!!!!!!!!"]) {
      expect(checkPassword(password)).toBe("Use at least one letter and one digit or symbol.");
    }
  });
});
