/**
 * Authenticates one API request: one indexed read of the key by its hash, then the
 * key's rate limit (convex-helpers' limiter, one row per key: a read and a write), in
 * one transaction. Refusals come back as values with their problem code; nothing here
 * sees the key itself.
 */
import { rateLimit } from "convex-helpers/server/rateLimit";
import { v } from "convex/values";
import type { RateLimitState } from "../../lib/api-keys";
import { internalMutation } from "../functions";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { apiKeyScopeValidator } from "./validators";

export const RATE_LIMIT_NAME = "apiKey";
const WINDOW_MS = 60_000;

export type Authenticated = {
  ok: true;
  keyId: Id<"apiKeys">;
  orgId: Id<"organizations">;
  name: string;
  providerIds: string[] | null;
  rate: RateLimitState;
};
export type Refused =
  | { ok: false; code: "unknown_key" | "key_revoked" | "key_expired" | "key_rotated"; keyId?: undefined }
  | { ok: false; code: "insufficient_scope"; keyId: Id<"apiKeys">; orgId: Id<"organizations">; scope: string }
  | { ok: false; code: "rate_limited"; keyId: Id<"apiKeys">; orgId: Id<"organizations">; retryAt: number; rate: RateLimitState };

/** Why `key` cannot be used at `now`, or null. Revocation first: it is the admin's latest word. */
export function keyRefusal(key: Doc<"apiKeys"> | null, now: number): "unknown_key" | "key_revoked" | "key_rotated" | "key_expired" | null {
  if (!key) return "unknown_key";
  if (key.revokedAt !== undefined && key.revokedAt <= now) return "key_revoked";
  if (key.graceEndsAt !== undefined && key.graceEndsAt <= now) return "key_rotated";
  if (key.expiresAt !== undefined && key.expiresAt <= now) return "key_expired";
  return null;
}

async function spend(ctx: MutationCtx, key: Doc<"apiKeys">): Promise<{ ok: boolean; retryAt: number | undefined; rate: RateLimitState }> {
  // A fixed window per key that starts when the key was made: the window a burst falls in
  // does not depend on the wall clock, so "N per minute" means exactly N in a window.
  const config = { kind: "fixed window" as const, rate: key.rateLimitPerMinute, period: WINDOW_MS, start: key.createdAt };
  const { ok, retryAt } = await rateLimit(ctx, { name: RATE_LIMIT_NAME, key: key._id, config });
  const row = await ctx.db
    .query("rateLimits")
    .withIndex("name", (q) => q.eq("name", RATE_LIMIT_NAME).eq("key", key._id))
    .unique();
  const windowStart = row?.ts ?? key.createdAt;
  return {
    ok,
    retryAt,
    rate: {
      limit: key.rateLimitPerMinute,
      remaining: ok ? (row?.value ?? 0) : 0,
      resetAt: ok ? windowStart + WINDOW_MS : (retryAt ?? windowStart + WINDOW_MS),
      windowSeconds: WINDOW_MS / 1000,
    },
  };
}

export const authenticate = internalMutation({
  args: { keyHash: v.string(), scope: apiKeyScopeValidator },
  handler: async (ctx, { keyHash, scope }): Promise<Authenticated | Refused> => {
    const now = Date.now();
    const key = await ctx.db
      .query("apiKeys")
      .withIndex("by_keyHash", (q) => q.eq("keyHash", keyHash))
      .unique();
    const refusal = keyRefusal(key, now);
    if (refusal || !key) return { ok: false, code: refusal ?? "unknown_key" };
    if (!key.scopes.includes(scope)) return { ok: false, code: "insufficient_scope", keyId: key._id, orgId: key.orgId, scope };
    const spent = await spend(ctx, key);
    if (!spent.ok) {
      return { ok: false, code: "rate_limited", keyId: key._id, orgId: key.orgId, retryAt: spent.retryAt ?? now + WINDOW_MS, rate: spent.rate };
    }
    return { ok: true, keyId: key._id, orgId: key.orgId, name: key.name, providerIds: key.providerIds ?? null, rate: spent.rate };
  },
});
