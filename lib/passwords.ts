/**
 * The password rule, in one place: the sign-up and reset forms show it as you type, and
 * the Password provider enforces it on the server (convex/users/password.ts).
 *
 * A password is refused when it is shorter than 8 or longer than 256 characters, when it
 * is (or contains) the person's email address, or when zxcvbn estimates it would fall to
 * fewer than 10^8 guesses (a score below 3; zxcvbn calls 3 "safely unguessable").
 * No composition rules (a digit, a symbol): like NIST SP 800-63B we judge how guessable a
 * password is, not which kinds of characters it has. The estimate itself comes from
 * `lib/password-strength.ts`, which holds the big dictionaries and is loaded lazily in the
 * browser; this module only states the rule and words its reasons.
 */

/** Shortest password we accept. */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest password we accept (scrypt cost grows with input; nobody types more). */
export const PASSWORD_MAX_LENGTH = 256;
/** Lowest zxcvbn score accepted: 3 means at least 10^8 guesses by zxcvbn's estimate. */
export const PASSWORD_MIN_SCORE = 3;

/** Lowercased, trimmed email, or null when it is not an email address. */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) && email.length <= 254 ? email : null;
}

/** zxcvbn's score: 0 (too guessable) to 4 (very unguessable). */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

/** What a strength estimator says about a password, with zxcvbn's feedback keys (untranslated). */
export type StrengthEstimate = { score: StrengthScore; warning: string | null; suggestions: readonly string[] };

/** Estimates how guessable a password is, knowing words about its owner (`lib/password-strength.ts`). */
export type StrengthEstimator = (password: string, userInputs: readonly string[]) => StrengthEstimate;

/** Who the password is for: their own email and name must not make it easy to guess. */
export type PasswordOwner = { email?: string | null; name?: string | null };

/**
 * The verdict on a password. `score` is null when no estimate was made (a length problem,
 * or no estimator loaded yet); `suggestions` are plain sentences on how to do better.
 */
export type PasswordVerdict =
  | { ok: true; score: StrengthScore | null }
  | { ok: false; reason: string; suggestions: readonly string[]; score: StrengthScore | null };

// zxcvbn's feedback keys in plain words (its own English texts, reworded where they were vague).
const WARNINGS: Readonly<Record<string, string>> = {
  straightRow: "Straight rows of keys on a keyboard are easy to guess.",
  keyPattern: "Short keyboard patterns are easy to guess.",
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: 'Repeated patterns like "abcabcabc" are easy to guess.',
  sequences: 'Sequences like "abc" or "123" are easy to guess.',
  recentYears: "Recent years are easy to guess.",
  dates: "Dates are easy to guess.",
  topTen: "This is one of the ten most used passwords.",
  topHundred: "This is one of the most used passwords.",
  common: "This is a commonly used password.",
  similarToCommon: "This is too close to a commonly used password.",
  wordByItself: "A single word is easy to guess.",
  namesByThemselves: "Names on their own are easy to guess.",
  commonNames: "Common names are easy to guess.",
  userInputs: "It contains your name or email address.",
  pwned: "This password appeared in a data breach.",
};

const SUGGESTIONS: Readonly<Record<string, string>> = {
  l33t: "Swapping letters for look-alikes (@ for a, 0 for o) does not help much.",
  reverseWords: "Spelling a common word backwards does not help much.",
  allUppercase: "Capitalize some letters, not all of them.",
  capitalization: "Capitalize more than the first letter.",
  dates: "Leave out dates and years that mean something to you.",
  recentYears: "Leave out recent years.",
  associatedYears: "Leave out years that mean something to you.",
  sequences: "Leave out sequences like abc or 123.",
  repeated: "Leave out repeated words and characters.",
  longerKeyboardPattern: "Use longer keyboard patterns that change direction.",
  anotherWord: "Add another word or two that are less common.",
  useWords: "Use several words, but not a well-known phrase.",
  noNeed: "A few uncommon words make a strong password; symbols and digits are optional.",
  pwned: "If you use this password anywhere else, change it there too.",
};

/** What is said when zxcvbn gives no warning of its own. */
export const GUESSABLE_REASON = "It would be too easy to guess.";

/**
 * The words about the owner a password should not be built from: the email, its local
 * part split at dots, dashes and the like, and each word of the name (two letters or more).
 */
export function ownerWords(owner: PasswordOwner): string[] {
  const words = new Set<string>();
  const email = owner.email ? normalizeEmail(owner.email) : null;
  if (email) {
    const local = email.slice(0, email.indexOf("@"));
    words.add(email);
    words.add(local);
    for (const part of local.split(/[^\p{L}\p{N}]/u)) if (part.length > 1) words.add(part);
  }
  for (const part of (owner.name ?? "").toLowerCase().split(/[^\p{L}\p{N}]/u)) if (part.length > 1) words.add(part);
  return [...words];
}

/** True when the password is the owner's email address, or has it (or its local part) inside. */
function containsEmail(password: string, owner: PasswordOwner): boolean {
  const email = owner.email ? normalizeEmail(owner.email) : null;
  if (!email) return false;
  const lowered = password.toLowerCase();
  const local = email.slice(0, email.indexOf("@"));
  // A short local part ("al") is part of too many good passwords to refuse them all; the
  // estimator still counts it as a word of the owner's.
  return lowered.includes(email) || (local.length >= 4 && lowered.replace(/[^\p{L}\p{N}]/gu, "") === local.replace(/[^\p{L}\p{N}]/gu, ""));
}

/**
 * Judges a password against the rule (see the module comment). Without an estimator
 * (the browser before the dictionaries have loaded) only length and email are judged.
 * @example judgePassword("password1", estimator).ok // false: "This is a commonly used password."
 */
export function judgePassword(password: string, estimate: StrengthEstimator | null, owner: PasswordOwner = {}): PasswordVerdict {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { ok: false, reason: `Use at least ${PASSWORD_MIN_LENGTH} characters.`, suggestions: [], score: null };
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return { ok: false, reason: `Use at most ${PASSWORD_MAX_LENGTH} characters.`, suggestions: [], score: null };
  }
  if (containsEmail(password, owner)) {
    return { ok: false, reason: "Don't use your email address as your password.", suggestions: [], score: 0 };
  }
  if (!estimate) return { ok: true, score: null };
  const { score, warning, suggestions } = estimate(password, ownerWords(owner));
  const plainSuggestions = suggestions.flatMap((key) => (SUGGESTIONS[key] ? [SUGGESTIONS[key]] : []));
  if (score >= PASSWORD_MIN_SCORE) return { ok: true, score };
  const reason = (warning && WARNINGS[warning]) || GUESSABLE_REASON;
  return { ok: false, reason, suggestions: plainSuggestions, score };
}

/**
 * The one sentence a refused password is explained with: the reason, then what to do.
 * @example refusalMessage(verdict) // "This is a commonly used password. Add another word or two that are less common."
 */
export function refusalMessage(verdict: Extract<PasswordVerdict, { ok: false }>): string {
  return [verdict.reason, ...verdict.suggestions].join(" ");
}
