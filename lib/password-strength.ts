/**
 * The password strength estimator: zxcvbn-ts with its common and English dictionaries.
 * About 1.6 MB of word lists, which is why it is its own module: the server imports it
 * where passwords are set (the Password provider), the browser loads it with `import()`
 * once someone starts choosing a password, and everything else that needs the rule
 * (`lib/passwords.ts`) stays small.
 *
 * Levenshtein matching is off: it multiplies the time of one estimate by about 40
 * (250 ms instead of 6 ms here) for a few more near-misses of common passwords.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonDictionary } from "@zxcvbn-ts/language-common";
import { dictionary as englishDictionary } from "@zxcvbn-ts/language-en";
import { PASSWORD_MAX_LENGTH, type StrengthEstimate, type StrengthEstimator } from "./passwords";

let factory: ZxcvbnFactory | undefined;

/**
 * The estimator; the dictionaries are ranked once, on first use (about 200 ms).
 * Feedback comes back as zxcvbn's keys (no translations loaded): `lib/passwords.ts` words them.
 */
export const estimateStrength: StrengthEstimator = (password, userInputs): StrengthEstimate => {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    useLevenshteinDistance: false,
    maxLength: PASSWORD_MAX_LENGTH,
  });
  const { score, feedback } = factory.check(password, [...userInputs]);
  return { score, warning: feedback.warning, suggestions: feedback.suggestions };
};
