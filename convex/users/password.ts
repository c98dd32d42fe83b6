import { Password } from "@convex-dev/auth/providers/Password";
import { ConvexError } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { checkPassword, normalizeEmail } from "../../lib/passwords";

/**
 * Convex Auth's Password provider with errors a person can act on.
 *
 * The stock provider throws plain `Error`s ("Invalid credentials", "Account … already
 * exists"), which a real deployment hides from clients as "Server Error". We validate
 * up front and translate the two errors it raises into `ConvexError`s with codes.
 */
const base = Password({
  profile(params): { email: string; name?: string } {
    const email = normalizeEmail(String(params.email ?? ""));
    if (email === null) {
      throw new ConvexError({ code: ErrorCode.INVALID_EMAIL, message: "Enter a valid email address." });
    }
    const name = typeof params.name === "string" ? params.name.trim() : "";
    return name ? { email, name } : { email };
  },
  validatePasswordRequirements(password) {
    const problem = checkPassword(password);
    if (problem) throw new ConvexError({ code: ErrorCode.WEAK_PASSWORD, message: problem });
  },
});

type Authorize = (params: Record<string, unknown>, ctx: unknown) => Promise<unknown>;
const options = (base as unknown as { options: { authorize: Authorize } }).options;

export const password = {
  ...base,
  options: {
    ...options,
    async authorize(params: Record<string, unknown>, ctx: unknown) {
      try {
        return await options.authorize(params, ctx);
      } catch (error) {
        throw translate(error);
      }
    },
  },
} as typeof base;

function translate(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof ConvexError) return error;
  if (/already exists/.test(error.message)) {
    return new ConvexError({
      code: ErrorCode.ACCOUNT_EXISTS,
      message: "An account with this email already exists. Sign in instead.",
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
