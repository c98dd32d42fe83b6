/**
 * The internal reads and writes behind the integration actions. Actions cannot
 * touch the database, so each step that does is one of these, and every change
 * commits together with its audit event.
 */
import { v } from "convex/values";
import { recordAudit } from "../audit/record";
import { internalMutation, internalQuery } from "../functions";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { replan, stopMaintenance } from "../refresh/plan";

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

const actorArg = v.id("users");

/** Creates or replaces (in place) a connection with freshly verified credentials. */
export const saveConnection = internalMutation({
  args: {
    orgId: v.id("organizations"),
    providerId: v.string(),
    userId: actorArg,
    secrets: v.record(v.string(), v.string()),
    config: v.record(v.string(), v.string()),
    scopes: v.array(v.string()),
    accountId: v.string(),
    accountName: v.optional(v.string()),
    accessTokenExpiresAt: v.optional(v.number()),
    recordConsent: v.boolean(),
  },
  handler: async (ctx, args) => {
    const now = Date.now();
    const existing = await findConnection(ctx, args.orgId, args.providerId);
    const fields = {
      status: "connected" as const,
      statusReason: undefined,
      lastError: undefined,
      accountId: args.accountId,
      accountName: args.accountName,
      scopes: args.scopes,
      secrets: args.secrets,
      config: args.config,
      accessTokenExpiresAt: args.accessTokenExpiresAt,
      connectedAt: now,
      connectedBy: args.userId,
      lastCheckedAt: now,
      // A new grant starts a new refresh history; the plan below replaces any old job.
      accessTokenIssuedAt: now,
      refreshLease: undefined,
      refreshFailures: undefined,
      refreshFailingSince: undefined,
      refreshRetryAt: undefined,
    };
    let connectionId: Id<"connections">;
    if (existing) {
      await ctx.db.patch(existing._id, fields);
      connectionId = existing._id;
    } else {
      connectionId = await ctx.db.insert("connections", { orgId: args.orgId, providerId: args.providerId, ...fields });
    }
    await replan(ctx, connectionId, now);
    if (args.recordConsent) {
      await ctx.db.insert("consents", {
        orgId: args.orgId,
        providerId: args.providerId,
        connectionId,
        userId: args.userId,
        scopes: args.scopes,
        grantedAt: now,
      });
    }
    const wasLive = existing && existing.status !== "disconnected";
    await recordAudit(ctx, args.orgId, { kind: "user", id: args.userId }, {
      action: wasLive ? "integration.reconnected" : "integration.connected",
      providerId: args.providerId,
      subject: args.accountName ?? args.accountId,
      details: { scopes: args.scopes.join(" ") || null },
    });
    return connectionId;
  },
});

/** Records what a connection test found. A refused credential turns the connection to error. */
export const recordTest = internalMutation({
  args: {
    orgId: v.id("organizations"),
    providerId: v.string(),
    userId: actorArg,
    ok: v.boolean(),
    reason: v.optional(v.string()),
    message: v.optional(v.string()),
    accountName: v.optional(v.string()),
  },
  handler: async (ctx, args) => {
    const connection = await findConnection(ctx, args.orgId, args.providerId);
    if (!connection || connection.status === "disconnected") return null;
    const now = Date.now();
    if (args.ok) {
      await ctx.db.patch(connection._id, {
        status: "connected",
        statusReason: undefined,
        lastError: undefined,
        lastCheckedAt: now,
        ...(args.accountName ? { accountName: args.accountName } : {}),
      });
      // A connection back from error gets its refresh and keep-alive plan again.
      if (connection.status === "error") await replan(ctx, connection._id, now);
    } else {
      // A refused or unreadable credential is the connection's fault; an outage is not.
      const broken = args.reason === "unauthorized" || args.reason === "decrypt_failed";
      await ctx.db.patch(connection._id, {
        lastCheckedAt: now,
        lastError: args.message,
        ...(broken ? { status: "error" as const, statusReason: args.reason } : {}),
      });
      if (broken) await stopMaintenance(ctx, connection);
    }
    await recordAudit(ctx, args.orgId, { kind: "user", id: args.userId }, {
      action: args.ok ? "integration.tested" : "integration.test_failed",
      providerId: args.providerId,
      details: args.ok ? undefined : { reason: args.reason ?? null, message: args.message ?? null },
    });
    return null;
  },
});

/** Ends a connection: every ciphertext is deleted; the row stays for its history. */
export const markDisconnected = internalMutation({
  args: {
    orgId: v.id("organizations"),
    providerId: v.string(),
    userId: actorArg,
    revoked: v.string(),
  },
  handler: async (ctx, args) => {
    const connection = await findConnection(ctx, args.orgId, args.providerId);
    if (!connection) return null;
    await ctx.db.patch(connection._id, {
      status: "disconnected",
      statusReason: undefined,
      lastError: undefined,
      secrets: {},
      accessTokenExpiresAt: undefined,
      refreshFailures: undefined,
      refreshFailingSince: undefined,
      refreshRetryAt: undefined,
    });
    await stopMaintenance(ctx, connection);
    await recordAudit(ctx, args.orgId, { kind: "user", id: args.userId }, {
      action: "integration.disconnected",
      providerId: args.providerId,
      subject: connection.accountName ?? connection.accountId,
      details: { revokedAtProvider: args.revoked },
    });
    return null;
  },
});

/** Audits a connect attempt that failed, so the activity page shows it. */
export async function auditConnectFailure(
  ctx: MutationCtx,
  orgId: Id<"organizations">,
  userId: Id<"users">,
  providerId: string,
  code: string,
) {
  await recordAudit(ctx, orgId, { kind: "user", id: userId }, {
    action: "integration.connect_failed",
    providerId,
    details: { code },
  });
}

export const recordConnectFailure = internalMutation({
  args: { orgId: v.id("organizations"), userId: actorArg, providerId: v.string(), code: v.string() },
  handler: async (ctx, { orgId, userId, providerId, code }) =>
    auditConnectFailure(ctx, orgId, userId, providerId, code),
});
