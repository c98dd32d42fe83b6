import { describe, expect, it } from "vitest";
import { estimateStrength } from "./password-strength";
import {
  GUESSABLE_REASON,
  judgePassword,
  normalizeEmail,
  ownerWords,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MIN_SCORE,
  refusalMessage,
  type StrengthEstimate,
  type StrengthEstimator,
} from "./passwords";

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

/** An estimator that answers `estimate` and remembers what it was asked. */
function fixedEstimator(estimate: StrengthEstimate) {
  const asked: Array<{ password: string; userInputs: readonly string[] }> = [];
  const estimator: StrengthEstimator = (password, userInputs) => {
    asked.push({ password, userInputs });
    return estimate;
  };
  return { estimator, asked };
}

describe("judgePassword, the rule", () => {
  it("states its bounds", () => {
    expect([PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_SCORE]).toEqual([8, 256, 3]);
  });

  it("refuses fewer than 8 and more than 256 characters before estimating", () => {
    const { estimator, asked } = fixedEstimator({ score: 4, warning: null, suggestions: [] });
    expect(judgePassword("abcdef1", estimator)).toEqual({ ok: false, reason: "Use at least 8 characters.", suggestions: [], score: null });
    expect(judgePassword("", estimator)).toMatchObject({ ok: false, reason: "Use at least 8 characters." });
    expect(judgePassword("x".repeat(257), estimator)).toEqual({ ok: false, reason: "Use at most 256 characters.", suggestions: [], score: null });
    expect(asked).toEqual([]);
    expect(judgePassword("x".repeat(8), estimator).ok).toBe(true);
    expect(judgePassword("x".repeat(256), estimator).ok).toBe(true);
  });

  it("accepts score 3 and 4, refuses 0 to 2", () => {
    for (const score of [3, 4] as const) {
      expect(judgePassword("whatever-it-is", fixedEstimator({ score, warning: null, suggestions: [] }).estimator)).toEqual({ ok: true, score });
    }
    for (const score of [0, 1, 2] as const) {
      expect(judgePassword("whatever-it-is", fixedEstimator({ score, warning: null, suggestions: [] }).estimator)).toEqual({
        ok: false,
        reason: GUESSABLE_REASON,
        suggestions: [],
        score,
      });
    }
  });

  it("words zxcvbn's warning and suggestions plainly and drops keys it does not know", () => {
    const { estimator } = fixedEstimator({ score: 1, warning: "common", suggestions: ["anotherWord", "l33t", "mystery"] });
    const verdict = judgePassword("whatever-it-is", estimator);
    expect(verdict).toEqual({
      ok: false,
      reason: "This is a commonly used password.",
      suggestions: ["Add another word or two that are less common.", "Swapping letters for look-alikes (@ for a, 0 for o) does not help much."],
      score: 1,
    });
    expect(judgePassword("whatever-it-is", fixedEstimator({ score: 1, warning: "mystery", suggestions: [] }).estimator)).toMatchObject({
      reason: GUESSABLE_REASON,
    });
  });

  it("ignores suggestions for a password it accepts", () => {
    expect(judgePassword("whatever-it-is", fixedEstimator({ score: 3, warning: "dates", suggestions: ["dates"] }).estimator)).toEqual({ ok: true, score: 3 });
  });

  it("hands the estimator the owner's words", () => {
    const { estimator, asked } = fixedEstimator({ score: 4, warning: null, suggestions: [] });
    judgePassword("violet-kettle-51", estimator, { email: "Ada.Lovelace@Example.com", name: "Ada King" });
    expect(asked).toEqual([{ password: "violet-kettle-51", userInputs: ["ada.lovelace@example.com", "ada.lovelace", "ada", "lovelace", "king"] }]);
  });

  it("refuses the owner's email address, in any case, alone or inside", () => {
    const { estimator, asked } = fixedEstimator({ score: 4, warning: null, suggestions: [] });
    const owner = { email: "ada.lovelace@example.com" };
    for (const password of ["ada.lovelace@example.com", "ADA.LOVELACE@EXAMPLE.COM", "my-ada.lovelace@example.com!", "adalovelace", "Ada-Lovelace"]) {
      expect(judgePassword(password, estimator, owner)).toEqual({
        ok: false,
        reason: "Don't use your email address as your password.",
        suggestions: [],
        score: 0,
      });
    }
    expect(asked).toEqual([]);
    // Something more than the local part is judged by the estimator like any password.
    expect(judgePassword("adalovelace-violet-kettle", estimator, owner).ok).toBe(true);
  });

  it("compares the local part from 4 characters on, and leaves a shorter one to the estimator", () => {
    const { estimator, asked } = fixedEstimator({ score: 4, warning: null, suggestions: [] });
    expect(judgePassword("a.l.a.l.", estimator, { email: "alal@example.com" })).toMatchObject({ ok: false, reason: "Don't use your email address as your password." });
    expect(judgePassword("a.l.a...", estimator, { email: "ala@example.com" }).ok).toBe(true);
    expect(judgePassword("a--l----", estimator, { email: "al@example.com" }).ok).toBe(true);
    expect(judgePassword("alal-kettle", estimator, { email: "alal@example.com" }).ok).toBe(true);
    expect(asked.map((a) => a.password)).toEqual(["a.l.a...", "a--l----", "alal-kettle"]);
  });

  it("without an estimator judges only length and email", () => {
    expect(judgePassword("password1", null)).toEqual({ ok: true, score: null });
    expect(judgePassword("short", null).ok).toBe(false);
    expect(judgePassword("ann@example.com", null, { email: "ann@example.com" }).ok).toBe(false);
  });
});

describe("judgePassword with the real estimator", () => {
  // The first estimate builds the estimator, so this table also checks its options (with
  // Levenshtein matching on, password1 would be "too close to" a common one, not one).
  it.each([
    ["password1", "This is a commonly used password.", 0],
    ["qwerty123", "This is a commonly used password.", 0],
    ["Password123!", "This is too close to a commonly used password.", 1],
    ["iloveyou2", "This is a commonly used password.", 1],
    ["abcdefg1", "This is a commonly used password.", 1],
    ["11111111", "This is one of the most used passwords.", 0],
    ["letmein!", "This is too close to a commonly used password.", 1],
  ] as const)("refuses the common %j, saying why", (password, reason, score) => {
    expect(judgePassword(password, estimateStrength)).toMatchObject({ ok: false, reason, score });
  });

  it("explains password1 plainly", () => {
    const verdict = judgePassword("password1", estimateStrength);
    expect(verdict.ok === false && refusalMessage(verdict)).toBe("This is a commonly used password. Add another word or two that are less common.");
  });

  it("refuses a password built from the owner's name and email", () => {
    const owner = { email: "grace.hopper@example.com", name: "Grace Hopper" };
    expect(judgePassword("grace.hopper@example.com", estimateStrength, owner).ok).toBe(false);
    // Without knowing the owner the same password would pass: the owner's words are what refuse it.
    expect(judgePassword("grace.hopper1", estimateStrength, owner)).toMatchObject({ ok: false, reason: "It contains your name or email address." });
    expect(judgePassword("grace.hopper1", estimateStrength).ok).toBe(true);
    expect(judgePassword("gracehopper1", estimateStrength, owner).ok).toBe(false);
    expect(judgePassword("gracehopper1", estimateStrength).ok).toBe(true);
  });

  it.each(["violet-kettle-51", "amber lantern harbor", "correct-horse-1", "Tr0ub4dour&3x"])("accepts %j", (password) => {
    expect(judgePassword(password, estimateStrength)).toMatchObject({ ok: true });
  });
});

describe("ownerWords", () => {
  it("is empty for nobody, and skips a malformed email and one-letter words", () => {
    expect(ownerWords({})).toEqual([]);
    expect(ownerWords({ email: "not-an-email", name: "J R Tolkien" })).toEqual(["tolkien"]);
    expect(ownerWords({ email: null, name: null })).toEqual([]);
  });

  it("splits the local part and the name on anything that is not a letter or digit", () => {
    expect(ownerWords({ email: "Jo_Ann-Lee+x@Example.com", name: "Jo-Ann  Lee" })).toEqual(["jo_ann-lee+x@example.com", "jo_ann-lee+x", "jo", "ann", "lee"]);
  });
});

describe("refusalMessage", () => {
  it("joins the reason and the suggestions", () => {
    expect(refusalMessage({ ok: false, reason: "A.", suggestions: ["B.", "C."], score: 1 })).toBe("A. B. C.");
    expect(refusalMessage({ ok: false, reason: "A.", suggestions: [], score: null })).toBe("A.");
  });
});
