/**
 * API keys of an organization: admins create, rotate and revoke them, members read the
 * list (never a key or its hash). A key is generated in an action (randomness in
 * mutations is seeded), shown once in the answer, and only its SHA-256 is stored.
 */
import { v } from "convex/values";
import { displayParts, generateApiKey, hashApiKey, ROTATION_GRACE_DEFAULT_MS } from "../../lib/api-keys";
import { orgAction, orgMutation, orgQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { recordAudit, userActor } from "../audit/record";
import { API_KEYS_PER_ORG_MAX, presentKey, requireOrgKey } from "./model";

async function newSecret() {
  const key = generateApiKey();
  return { key, keyHash: await hashApiKey(key), ...displayParts(key) };
}

/** Creates a key and answers it, the only time it is ever shown. */
export const create = orgAction({
  role: "admin",
  args: {
    name: v.string(),
    scopes: v.array(v.string()),
    /** Limit the key to these providers' connections; absent = every connection. */
    providerIds: v.optional(v.array(v.string())),
    expiresAt: v.optional(v.number()),
    rateLimitPerMinute: v.optional(v.number()),
  },
  handler: async (ctx, args): Promise<{ id: Id<"apiKeys">; key: string }> => {
    const { key, ...stored } = await newSecret();
    const { orgId: _orgId, ...settings } = args;
    const id: Id<"apiKeys"> = await ctx.runMutation(internal.apiKeys.store.insert, {
      orgId: ctx.org._id,
      userId: ctx.userId,
      settings,
      ...stored,
    });
    return { id, key };
  },
});

/**
 * A new key with the same settings; the old one keeps working for `graceMs` (24 hours
 * unless chosen, 0 to stop it now) and then answers `key_rotated`.
 */
export const rotate = orgAction({
  role: "admin",
  args: { keyId: v.string(), graceMs: v.optional(v.number()) },
  handler: async (ctx, { keyId, graceMs }): Promise<{ id: Id<"apiKeys">; key: string }> => {
    const { key, ...stored } = await newSecret();
    const id: Id<"apiKeys"> = await ctx.runMutation(internal.apiKeys.store.rotate, {
      orgId: ctx.org._id,
      userId: ctx.userId,
      keyId,
      graceMs: graceMs ?? ROTATION_GRACE_DEFAULT_MS,
      ...stored,
    });
    return { id, key };
  },
});

/** Stops a key at once. Revoking a revoked key changes nothing. */
export const revoke = orgMutation({
  role: "admin",
  args: { keyId: v.string() },
  handler: async (ctx, { keyId }) => {
    const key = await requireOrgKey(ctx, ctx.org._id, keyId);
    if (key.revokedAt !== undefined) return null;
    await ctx.db.patch(key._id, { revokedAt: Date.now() });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "api_key.revoked",
      subject: key.name,
      details: { keyId: key._id, prefix: key.prefix, lastFour: key.lastFour },
    });
    return null;
  },
});

/** The org's keys, newest first, each with when it was last used (live: it follows the usage counters). */
export const list = orgQuery({
  role: "member",
  args: {},
  handler: async (ctx) => {
    const now = Date.now();
    const keys = await ctx.db
      .query("apiKeys")
      .withIndex("by_orgId", (q) => q.eq("orgId", ctx.org._id))
      .order("desc")
      .take(API_KEYS_PER_ORG_MAX);
    return await Promise.all(
      keys.map(async (key) => {
        const latest = await ctx.db
          .query("apiKeyUsageDays")
          .withIndex("by_keyId_and_dayStart", (q) => q.eq("keyId", key._id))
          .order("desc")
          .first();
        return presentKey(key, latest?.lastUsedAt ?? null, now);
      }),
    );
  },
});
