/**
 * Connection state changes that the refresh machinery and the call pipeline make
 * outside a refresh: reading a row by id, re-planning, marking a refused or
 * unreadable credential, and recording keep-alive tests. Each change commits with its audit event.
 */
import { v } from "convex/values";
import { KEEP_ALIVE_RETRY_MS } from "../../lib/pipeline";
import { recordAudit } from "../audit/record";
import { callActorValidator } from "../calls/validators";
import { internalMutation, internalQuery } from "../functions";
import type { Doc } from "../_generated/dataModel";
import { replan as replanConnection, stopMaintenance } from "./plan";

/** The whole row by id, ciphertexts included: for actions that decrypt just in time. */
export const get = internalQuery({
  args: { connectionId: v.id("connections") },
  handler: async (ctx, { connectionId }): Promise<Doc<"connections"> | null> => ctx.db.get(connectionId),
});

/** Re-plans a connection's next refresh or keep-alive from its row. */
export const replan = internalMutation({
  args: { connectionId: v.id("connections") },
  handler: async (ctx, { connectionId }) => replanConnection(ctx, connectionId),
});

/**
 * The stored credential is refused by the provider (`unauthorized`) or cannot be
 * decrypted (`decrypt_failed`): status error, and no more automatic work until a
 * person reconnects or a test passes. Only when the row still holds the very
 * secrets that failed, so a slow call cannot undo a refresh or reconnect made meanwhile.
 */
export const markBroken = internalMutation({
  args: {
    connectionId: v.id("connections"),
    reason: v.union(v.literal("unauthorized"), v.literal("decrypt_failed")),
    failedSecrets: v.record(v.string(), v.string()),
    actor: callActorValidator,
    message: v.string(),
    source: v.union(v.literal("call"), v.literal("keep_alive")),
  },
  handler: async (ctx, args): Promise<boolean> => {
    const row = await ctx.db.get(args.connectionId);
    if (!row || row.status === "disconnected") return false;
    if (JSON.stringify(row.secrets) !== JSON.stringify(args.failedSecrets)) return false;
    // Already in error: the first reason (often the more specific one, like refresh_revoked) stays.
    if (row.status === "error") return false;
    await ctx.db.patch(row._id, { status: "error", statusReason: args.reason, lastError: args.message });
    await stopMaintenance(ctx, row);
    await recordAudit(ctx, row.orgId, args.actor, {
      action: args.reason === "unauthorized" ? "integration.unauthorized" : "integration.decrypt_failed",
      providerId: row.providerId,
      subject: row.accountName ?? row.accountId,
      details: { source: args.source, message: args.message },
    });
    return true;
  },
});

/**
 * What a keep-alive test found, unless it was a refusal (that is `markBroken`):
 * success is the credential's sign of life; an outage is tried again later and
 * changes nothing else.
 */
export const recordKeepAlive = internalMutation({
  args: {
    connectionId: v.id("connections"),
    result: v.union(v.literal("ok"), v.literal("unavailable")),
    message: v.optional(v.string()),
  },
  handler: async (ctx, { connectionId, result, message }) => {
    const now = Date.now();
    const row = await ctx.db.get(connectionId);
    if (!row || row.status === "disconnected" || row.status === "error") return null;
    if (result === "ok") {
      await ctx.db.patch(row._id, { lastCheckedAt: now, lastError: undefined, refreshRetryAt: undefined });
      await replanConnection(ctx, row._id, now);
      return null;
    }
    await ctx.db.patch(row._id, { lastError: message, refreshRetryAt: now + KEEP_ALIVE_RETRY_MS });
    await replanConnection(ctx, row._id, now);
    return null;
  },
});
