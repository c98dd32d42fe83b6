import { v } from "convex/values";
import { internalQuery } from "../functions";

/**
 * When the password account of `email` was last sent a reset code (milliseconds since
 * the epoch), or null: no such account, or no code outstanding. Convex Auth keeps one
 * code per account and stores its expiry, so the send time is the expiry minus the
 * code's lifetime. The Password provider uses it to send at most one code a minute.
 */
export const lastResetCodeSentAt = internalQuery({
  args: { email: v.string(), lifetimeMs: v.number() },
  handler: async (ctx, { email, lifetimeMs }): Promise<number | null> => {
    const account = await ctx.db
      .query("authAccounts")
      .withIndex("providerAndAccountId", (q) => q.eq("provider", "password").eq("providerAccountId", email))
      .unique();
    if (!account) return null;
    const code = await ctx.db
      .query("authVerificationCodes")
      .withIndex("accountId", (q) => q.eq("accountId", account._id))
      .unique();
    return code && code.provider === "password-reset" ? code.expirationTime - lifetimeMs : null;
  },
});
