/** The writes behind ./keys.ts's actions: each checks the caller's role again, in its own transaction. */
import { ConvexError, v } from "convex/values";
import { RATE_LIMIT_DEFAULT_PER_MINUTE, rotationGraceProblem } from "../../lib/api-keys";
import { ErrorCode } from "../../lib/errors";
import { getMembershipOrThrow, internalMutation } from "../functions";
import { recordAudit, userActor } from "../audit/record";
import { API_KEYS_PER_ORG_MAX, checkedSettings, requireOrgKey } from "./model";

const secretArgs = { keyHash: v.string(), prefix: v.string(), lastFour: v.string() };

export const insert = internalMutation({
  args: {
    orgId: v.id("organizations"),
    userId: v.id("users"),
    settings: v.object({
      name: v.string(),
      scopes: v.array(v.string()),
      providerIds: v.optional(v.array(v.string())),
      expiresAt: v.optional(v.number()),
      rateLimitPerMinute: v.optional(v.number()),
    }),
    ...secretArgs,
  },
  handler: async (ctx, { orgId, userId, settings, ...secret }) => {
    const { membership } = await getMembershipOrThrow(ctx, orgId, userId, "admin");
    const now = Date.now();
    const checked = checkedSettings(settings, membership.role, now);
    const held = await ctx.db
      .query("apiKeys")
      .withIndex("by_orgId", (q) => q.eq("orgId", orgId))
      .take(API_KEYS_PER_ORG_MAX);
    if (held.length >= API_KEYS_PER_ORG_MAX) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: `An organization has at most ${API_KEYS_PER_ORG_MAX} API keys.` });
    }
    const keyId = await ctx.db.insert("apiKeys", {
      orgId,
      ...secret,
      name: checked.name,
      scopes: checked.scopes,
      ...(checked.providerIds ? { providerIds: checked.providerIds } : {}),
      ...(checked.expiresAt !== undefined ? { expiresAt: checked.expiresAt } : {}),
      rateLimitPerMinute: checked.rateLimitPerMinute ?? RATE_LIMIT_DEFAULT_PER_MINUTE,
      createdBy: userId,
      createdAt: now,
    });
    await recordAudit(ctx, orgId, userActor(userId), {
      action: "api_key.created",
      subject: checked.name,
      details: { keyId, prefix: secret.prefix, lastFour: secret.lastFour, scopes: checked.scopes.join(" ") },
    });
    return keyId;
  },
});

export const rotate = internalMutation({
  args: { orgId: v.id("organizations"), userId: v.id("users"), keyId: v.string(), graceMs: v.number(), ...secretArgs },
  handler: async (ctx, { orgId, userId, keyId, graceMs, ...secret }) => {
    await getMembershipOrThrow(ctx, orgId, userId, "admin");
    const problem = rotationGraceProblem(graceMs);
    if (problem) throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: problem, field: "graceMs" });
    const old = await requireOrgKey(ctx, orgId, keyId);
    if (old.revokedAt !== undefined) throw new ConvexError({ code: ErrorCode.CONFLICT, message: "A revoked key cannot be rotated; create a new one." });
    if (old.replacedBy !== undefined) throw new ConvexError({ code: ErrorCode.CONFLICT, message: "This key was already rotated; rotate its replacement." });
    const now = Date.now();
    if (old.expiresAt !== undefined && old.expiresAt <= now) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "An expired key cannot be rotated (its replacement would be expired too); create a new one." });
    }
    const {
      _id: oldId,
      _creationTime: _created,
      keyHash: _hash,
      prefix: _prefix,
      lastFour: _lastFour,
      createdBy: _by,
      createdAt: _at,
      ...kept
    } = old;
    const newId = await ctx.db.insert("apiKeys", { ...kept, ...secret, rotatedFrom: oldId, createdBy: userId, createdAt: now });
    await ctx.db.patch(oldId, { replacedBy: newId, graceEndsAt: now + graceMs });
    await recordAudit(ctx, orgId, userActor(userId), {
      action: "api_key.rotated",
      subject: old.name,
      details: { keyId: oldId, replacementId: newId, prefix: secret.prefix, lastFour: secret.lastFour, graceMs },
    });
    return newId;
  },
});
