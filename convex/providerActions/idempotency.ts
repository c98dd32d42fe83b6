/**
 * Idempotency keys for action runs, as Stripe's work: the first run with a key claims it,
 * its result is kept for 24 hours, and any later run with the same key and input gets
 * that result without calling the provider. The same key with other input is refused.
 */
import { v } from "convex/values";
import { internalMutation, internalQuery } from "../functions";
import { internal } from "../_generated/api";
import { actionResultValidator } from "./validators";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60_000;
/** A claim older than this is from a run that died: the next run with the key takes it over. */
export const STALE_CLAIM_MS = 10 * 60_000;
/** Idempotency keys are the caller's: printable ASCII, bounded. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** Rows deleted per purge transaction. */
const PURGE_BATCH = 500;

export const claim = internalMutation({
  args: {
    orgId: v.id("organizations"),
    idempotencyKey: v.string(),
    actionId: v.string(),
    inputHash: v.string(),
    correlationId: v.string(),
  },
  handler: async (ctx, args) => {
    const now = Date.now();
    const existing = await ctx.db
      .query("actionResults")
      .withIndex("by_orgId_and_idempotencyKey", (q) => q.eq("orgId", args.orgId).eq("idempotencyKey", args.idempotencyKey))
      .unique();
    const live = existing && existing.expiresAt > now;
    if (existing && live) {
      if (existing.actionId !== args.actionId || existing.inputHash !== args.inputHash) return { kind: "mismatch" as const };
      if (existing.state === "done" && existing.result) return { kind: "done" as const, result: existing.result };
      if (now - existing.claimedAt < STALE_CLAIM_MS) return { kind: "running" as const };
    }
    const row = {
      ...args,
      state: "running" as const,
      result: undefined,
      claimedAt: now,
      expiresAt: now + IDEMPOTENCY_WINDOW_MS,
    };
    if (existing) await ctx.db.replace(existing._id, row);
    else await ctx.db.insert("actionResults", row);
    return { kind: "claimed" as const };
  },
});

/** Keeps the result of the run that holds the claim (by its correlation id). */
export const complete = internalMutation({
  args: {
    orgId: v.id("organizations"),
    idempotencyKey: v.string(),
    correlationId: v.string(),
    result: actionResultValidator,
  },
  handler: async (ctx, args) => {
    const row = await ctx.db
      .query("actionResults")
      .withIndex("by_orgId_and_idempotencyKey", (q) => q.eq("orgId", args.orgId).eq("idempotencyKey", args.idempotencyKey))
      .unique();
    if (!row || row.correlationId !== args.correlationId) return;
    await ctx.db.patch(row._id, { state: "done", result: args.result });
  },
});

/** Gives the key back when the run ended before it could send anything worth keeping. */
export const release = internalMutation({
  args: { orgId: v.id("organizations"), idempotencyKey: v.string(), correlationId: v.string() },
  handler: async (ctx, args) => {
    const row = await ctx.db
      .query("actionResults")
      .withIndex("by_orgId_and_idempotencyKey", (q) => q.eq("orgId", args.orgId).eq("idempotencyKey", args.idempotencyKey))
      .unique();
    if (row && row.correlationId === args.correlationId && row.state === "running") await ctx.db.delete(row._id);
  },
});

export const peek = internalQuery({
  args: { orgId: v.id("organizations"), idempotencyKey: v.string() },
  handler: async (ctx, args) => {
    const row = await ctx.db
      .query("actionResults")
      .withIndex("by_orgId_and_idempotencyKey", (q) => q.eq("orgId", args.orgId).eq("idempotencyKey", args.idempotencyKey))
      .unique();
    return row?.state === "done" ? (row.result ?? null) : null;
  },
});

/** Deletes expired keys, a batch per transaction (hourly cron). */
export const purge = internalMutation({
  args: {},
  handler: async (ctx) => {
    const expired = await ctx.db
      .query("actionResults")
      .withIndex("by_expiresAt", (q) => q.lt("expiresAt", Date.now()))
      .take(PURGE_BATCH);
    for (const row of expired) await ctx.db.delete(row._id);
    if (expired.length === PURGE_BATCH) await ctx.scheduler.runAfter(0, internal.providerActions.idempotency.purge, {});
    return { deleted: expired.length };
  },
});
