/**
 * The internal reads and writes the refresh machinery and the call pipeline make
 * outside a refresh: a row by id, a re-plan, a refused or unreadable credential,
 * a keep-alive result. The changes themselves are convex/connections/transitions.ts's.
 */
import { v } from "convex/values";
import { replan as replanConnection } from "../connections/maintenance";
import { markBroken as markConnectionBroken, recordKeepAlive as recordKeepAliveResult } from "../connections/transitions";
import { internalMutation, internalQuery } from "../functions";
import type { Doc } from "../_generated/dataModel";
import { actorValidator } from "../shared/validators";

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

/** The stored credential is refused or unreadable: see `markBroken` in transitions.ts. True when it changed the status. */
export const markBroken = internalMutation({
  args: {
    connectionId: v.id("connections"),
    reason: v.union(v.literal("unauthorized"), v.literal("decrypt_failed")),
    failedSecrets: v.record(v.string(), v.string()),
    actor: actorValidator,
    message: v.string(),
    source: v.union(v.literal("call"), v.literal("keep_alive")),
  },
  handler: async (ctx, { connectionId, ...failure }): Promise<boolean> => {
    const row = await ctx.db.get(connectionId);
    return row ? markConnectionBroken(ctx, row, failure) : false;
  },
});

/** What a keep-alive test found, unless it was a refusal (that is `markBroken`). */
export const recordKeepAlive = internalMutation({
  args: {
    connectionId: v.id("connections"),
    result: v.union(v.literal("ok"), v.literal("unavailable")),
    message: v.optional(v.string()),
  },
  handler: async (ctx, { connectionId, result, message }) => {
    const row = await ctx.db.get(connectionId);
    if (row) {
      await recordKeepAliveResult(ctx, row, result === "ok" ? { ok: true } : { ok: false, message: message ?? "" });
    }
    return null;
  },
});
