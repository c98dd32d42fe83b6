import { Email } from "@convex-dev/auth/providers/Email";
import { Password } from "@convex-dev/auth/providers/Password";
import { ConvexError } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { generateResetCode, passwordResetMessage, RESET_CODE_LIFETIME_MINUTES } from "../../lib/mail/password-reset";
import { estimateStrength } from "../../lib/password-strength";
import { judgePassword, normalizeEmail, refusalMessage, type PasswordOwner } from "../../lib/passwords";
import { internal } from "../_generated/api";
import { mailConfig, siteUrl } from "../shared/env";
import { sendMail } from "../shared/mail";

/**
 * Convex Auth's Password provider with errors a person can act on, the password rule of
 * lib/passwords.ts, and password reset by a code sent by email.
 *
 * The stock provider throws plain `Error`s ("Invalid credentials", "Account … already
 * exists"), which a real deployment hides from clients as "Server Error". We validate
 * up front and translate the errors it raises into `ConvexError`s with codes.
 *
 * Reset: `flow: "reset"` with an email sends a code (lib/mail/password-reset.ts: 8 digits,
 * 15 minutes; Convex Auth keeps only its SHA-256 and one code per account, so asking
 * again replaces the last one); `flow: "reset-verification"` with the email, `code` and
 * `newPassword` sets the password, signs out every other session and signs in. Wrong
 * codes are bounded by Convex Auth itself: every failed verification for an email spends
 * one of 10 attempts an hour (`authRateLimits`, refilled one per 6 minutes), after which
 * even the right code is refused until the bucket refills. Sending is bounded here: one
 * code a minute per account; a request within the minute is answered as if sent (the
 * last code still works), so the answer never says whether the email has an account.
 */
const passwordReset = Email({
  id: "password-reset",
  maxAge: RESET_CODE_LIFETIME_MINUTES * 60,
  // Runs in the sign-in action, where crypto.getRandomValues is real randomness.
  generateVerificationToken: async () => generateResetCode(),
  async sendVerificationRequest({ identifier, token }) {
    await sendMail(passwordResetMessage({ from: mailConfig().from, to: identifier, code: token, siteUrl: siteUrl() }));
  },
});

/** Least time between two reset emails to one account. */
export const RESET_EMAIL_INTERVAL_MS = 60_000;
const RESET_CODE_LIFETIME_MS = RESET_CODE_LIFETIME_MINUTES * 60_000;

type RunQuery = { runQuery: (reference: typeof internal.users.resetThrottle.lastResetCodeSentAt, args: { email: string; lifetimeMs: number }) => Promise<number | null> };

/** True when this account was sent a code less than a minute ago. */
async function sentRecently(ctx: unknown, email: string): Promise<boolean> {
  const sentAt = await (ctx as RunQuery).runQuery(internal.users.resetThrottle.lastResetCodeSentAt, { email, lifetimeMs: RESET_CODE_LIFETIME_MS });
  return sentAt !== null && Date.now() - sentAt < RESET_EMAIL_INTERVAL_MS;
}

/** The password a flow sets (sign-up's `password`, reset's `newPassword`), else null. */
function newPasswordOf(params: Record<string, unknown>): string | null {
  const value = params.flow === "signUp" ? params.password : params.flow === "reset-verification" ? params.newPassword : null;
  return typeof value === "string" ? value : null;
}

/** Throws WEAK_PASSWORD with the rule's reason when the password may not be set. */
function requireAcceptable(password: unknown, owner: PasswordOwner): void {
  if (typeof password !== "string") throw new ConvexError({ code: ErrorCode.WEAK_PASSWORD, message: "Enter a password." });
  const verdict = judgePassword(password, estimateStrength, owner);
  if (!verdict.ok) throw new ConvexError({ code: ErrorCode.WEAK_PASSWORD, message: refusalMessage(verdict) });
}

const base = Password({
  profile(params): { email: string; name?: string } {
    const email = normalizeEmail(String(params.email ?? ""));
    if (email === null) {
      throw new ConvexError({ code: ErrorCode.INVALID_EMAIL, message: "Enter a valid email address." });
    }
    const name = typeof params.name === "string" ? params.name.trim() : "";
    // validatePasswordRequirements sees the password alone; here the owner is known too.
    const password = newPasswordOf(params);
    if (password !== null) requireAcceptable(password, { email, name });
    return name ? { email, name } : { email };
  },
  validatePasswordRequirements(password) {
    requireAcceptable(password, {});
  },
  reset: passwordReset,
});

type Authorize = (params: Record<string, unknown>, ctx: unknown) => Promise<unknown>;
const options = (base as unknown as { options: { authorize: Authorize } }).options;

export const password = {
  ...base,
  options: {
    ...options,
    async authorize(raw: Record<string, unknown>, ctx: unknown) {
      // Convex Auth matches a reset code to `params.email` as given and counts failed
      // codes per that string: normalized, "Ada@X.com" and "ada@x.com" share one budget.
      const email = typeof raw.email === "string" ? normalizeEmail(raw.email) : null;
      const params = email === null ? raw : { ...raw, email };
      if (params.flow === "reset") {
        // Misconfiguration must not depend on whether the account exists.
        mailConfig();
        if (email !== null && (await sentRecently(ctx, email))) return null;
      }
      try {
        return await options.authorize(params, ctx);
      } catch (error) {
        // An unknown email is answered as if a code went out, so the form does not
        // reveal which emails have accounts.
        if (params.flow === "reset" && isUnknownAccount(error)) return null;
        throw translate(error, params.flow);
      }
    },
  },
} as typeof base;

function isUnknownAccount(error: unknown): boolean {
  return error instanceof Error && !(error instanceof ConvexError) && /InvalidAccountId/.test(error.message);
}

function translate(error: unknown, flow: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ConvexError) return error;
  if (/already exists/.test(error.message)) {
    return new ConvexError({
      code: ErrorCode.ACCOUNT_EXISTS,
      message: "An account with this email already exists. Sign in instead.",
    });
  }
  // A reset code that is wrong, used, expired, for another email or past the attempt
  // limit: Convex Auth does not say which, and neither do we. Nor does an unknown email.
  if (flow === "reset-verification" && /Invalid code|Could not verify code|InvalidAccountId/.test(error.message)) {
    return new ConvexError({
      code: ErrorCode.INVALID_CODE,
      message: `That code is wrong or has expired (codes work for ${RESET_CODE_LIFETIME_MINUTES} minutes). Check the latest email, or ask for a new code.`,
    });
  }
  // "Invalid credentials" (wrong password) and "InvalidAccountId" (no such account)
  // get the same answer, so the form does not reveal which emails have accounts.
  if (/Invalid credentials|InvalidAccountId|InvalidSecret/.test(error.message)) {
    return new ConvexError({ code: ErrorCode.INVALID_CREDENTIALS, message: "Wrong email or password." });
  }
  if (/TooManyFailedAttempts/.test(error.message)) {
    return new ConvexError({
      code: ErrorCode.RATE_LIMITED,
      message: "Too many failed attempts. Wait a few minutes and try again.",
    });
  }
  return error;
}
