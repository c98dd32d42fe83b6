/**
 * The internal reads and writes behind the integration actions. Actions cannot
 * touch the database, so each step that does is one of these; the state changes
 * themselves are convex/connections/transitions.ts's, with their audit events.
 */
import { v } from "convex/values";
import { recordAudit } from "../audit/record";
import { adoptFlowLogs } from "../calls/logs";
import { connect, disconnect, isLive, recordTestFailed, recordTestPassed } from "../connections/transitions";
import { internalMutation, internalQuery } from "../functions";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";
import { disconnectRevocationValidator } from "../shared/validators";

/** The connection row of an org and provider, or null. */
export async function findConnection(ctx: QueryCtx, orgId: Id<"organizations">, providerId: string) {
  return await ctx.db
    .query("connections")
    .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId).eq("providerId", providerId))
    .unique();
}

/** The whole row, ciphertexts included: for actions that decrypt just in time. */
export const getConnection = internalQuery({
  args: { orgId: v.id("organizations"), providerId: v.string() },
  handler: async (ctx, { orgId, providerId }) => findConnection(ctx, orgId, providerId),
});

/** Creates or replaces (in place) a connection with freshly verified credentials. */
export const saveConnection = internalMutation({
  args: {
    orgId: v.id("organizations"),
    providerId: v.string(),
    userId: v.id("users"),
    secrets: v.record(v.string(), v.string()),
    config: v.record(v.string(), v.string()),
    scopes: v.array(v.string()),
    accountId: v.string(),
    accountName: v.optional(v.string()),
    accessTokenExpiresAt: v.optional(v.number()),
    recordConsent: v.boolean(),
    /** The connect flow's correlation id: its logged requests are attached to the connection. */
    flowCorrelationId: v.string(),
  },
  handler: async (ctx, { flowCorrelationId, ...grant }) => {
    const connectionId = await connect(ctx, await findConnection(ctx, grant.orgId, grant.providerId), grant);
    await adoptFlowLogs(ctx, (await ctx.db.get(connectionId))!, flowCorrelationId);
    return connectionId;
  },
});

/** Records what a Test click found; `testedSecrets` are the ciphertexts the test decrypted. */
export const recordTest = internalMutation({
  args: {
    orgId: v.id("organizations"),
    providerId: v.string(),
    userId: v.id("users"),
    testedSecrets: v.record(v.string(), v.string()),
    result: v.union(
      v.object({ ok: v.literal(true), accountName: v.optional(v.string()) }),
      v.object({ ok: v.literal(false), reason: v.string(), message: v.string() }),
    ),
  },
  handler: async (ctx, { orgId, providerId, userId, testedSecrets, result }) => {
    const row = await findConnection(ctx, orgId, providerId);
    if (!isLive(row)) return null;
    const actor = { kind: "user" as const, id: userId };
    if (result.ok) await recordTestPassed(ctx, row, actor, result.accountName);
    else await recordTestFailed(ctx, row, { actor, reason: result.reason, message: result.message, testedSecrets });
    return null;
  },
});

/** Ends a connection: every ciphertext is deleted; the row stays for its history. */
export const markDisconnected = internalMutation({
  args: {
    orgId: v.id("organizations"),
    providerId: v.string(),
    userId: v.id("users"),
    revocation: disconnectRevocationValidator,
    /** With `pending`: when to try the revocation again, and why it failed. */
    retryAt: v.optional(v.number()),
    revocationError: v.optional(v.string()),
  },
  handler: async (ctx, { orgId, providerId, ...by }) => {
    const row = await findConnection(ctx, orgId, providerId);
    if (row) await disconnect(ctx, row, by);
    return null;
  },
});

/** Audits a connect attempt that failed, so the activity page shows it. */
export const recordConnectFailure = internalMutation({
  args: { orgId: v.id("organizations"), userId: v.id("users"), providerId: v.string(), code: v.string() },
  handler: async (ctx, { orgId, userId, providerId, code }) => {
    await recordAudit(ctx, orgId, { kind: "user", id: userId }, {
      action: "integration.connect_failed",
      providerId,
      details: { code },
    });
  },
});
