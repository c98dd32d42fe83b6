/**
 * A connection's call counters, kept off its row. Every logged request adds to one
 * of the connection's `callCounters` shards; the connection row (which the dashboard
 * subscribes to, and which refreshes and status changes write) only gets a summary,
 * merged from the shards by a job at the end of the minute the first uncounted call
 * fell in. So the dashboard's numbers are at most a minute behind, its queries re-run
 * at most once a minute however busy the connection, and concurrent calls contend
 * for one of CALL_COUNTER_SHARDS small rows instead of the connection.
 *
 * How a summary is never missed: a shard's `summaryDueAt` is set by the first call
 * that finds it unset, which schedules the job; the job clears it for every shard it
 * counted. A call either lands before the job reads its shard (and is counted) or
 * after (and finds `summaryDueAt` unset, so it schedules the next one); a call that
 * commits in between conflicts with the job, and one of them is retried.
 */
import { v } from "convex/values";
import { addCall, mergeBuckets, type CallBucket } from "../../lib/pipeline";
import { internalMutation } from "../functions";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

/** Counter rows per connection: concurrent calls pick one by their log row's id. */
export const CALL_COUNTER_SHARDS = 4;
/** Summaries run at the end of the minute: the dashboard is at most this far behind. */
export const CALL_SUMMARY_INTERVAL_MS = 60_000;
/**
 * A shard still marked this long after its summary was due lost its job (one that
 * failed, say): the next call schedules another, so the counters cannot stall.
 */
const SUMMARY_OVERDUE_MS = 5 * CALL_SUMMARY_INTERVAL_MS;

/** One logged request, as the counters see it. */
export type CountedCall = {
  orgId: Id<"organizations">;
  connectionId: Id<"connections">;
  /** When the request started (the log row's `at`). */
  at: number;
  isError: boolean;
  /** A call that was sent: it moves "last used". Switchboard's own checks and refused calls do not. */
  used: boolean;
  /** Any text that differs between calls (the log row's id): picks the shard. */
  spreadBy: string;
};

/** The end of the minute `now` is in: when a summary of a call made now runs. */
export function summaryDueAfter(now: number): number {
  return (Math.floor(now / CALL_SUMMARY_INTERVAL_MS) + 1) * CALL_SUMMARY_INTERVAL_MS;
}

function shardOf(text: string): number {
  // FNV-1a: cheap, and spreads consecutive ids.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % CALL_COUNTER_SHARDS;
}

async function shardRow(ctx: MutationCtx, connectionId: Id<"connections">, shard: number) {
  return await ctx.db
    .query("callCounters")
    .withIndex("by_connectionId_and_shard", (q) => q.eq("connectionId", connectionId).eq("shard", shard))
    .unique();
}

/**
 * Adds a request to its shard and, unless a summary that will count it is already
 * pending (or `scheduleSummary` is false because the caller summarises itself),
 * schedules one. Reads and writes one counter row; never the connection.
 */
export async function countCall(ctx: MutationCtx, call: CountedCall, options: { scheduleSummary: boolean }) {
  const shard = shardOf(call.spreadBy);
  const row = await shardRow(ctx, call.connectionId, shard);
  const now = Date.now();
  const pending = row?.summaryDueAt !== undefined && row.summaryDueAt + SUMMARY_OVERDUE_MS > now;
  const dueAt = options.scheduleSummary && !pending ? summaryDueAfter(now) : undefined;
  const lastUsedAt = call.used ? Math.max(row?.lastUsedAt ?? 0, call.at) : row?.lastUsedAt;
  const counted = {
    buckets: addCall(row?.buckets ?? [], call.at, call.isError),
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
    ...(dueAt === undefined ? {} : { summaryDueAt: dueAt }),
  };
  if (row) await ctx.db.patch(row._id, counted);
  else await ctx.db.insert("callCounters", { orgId: call.orgId, connectionId: call.connectionId, shard, ...counted });
  if (dueAt !== undefined) {
    await ctx.scheduler.runAt(dueAt, internal.calls.counters.summarise, { connectionId: call.connectionId, dueAt });
  }
}

/**
 * The summary job: merges the shards onto the connection. Several shards may have
 * scheduled one for the same minute; the first writes, the others find it done.
 */
export const summarise = internalMutation({
  args: { connectionId: v.id("connections"), dueAt: v.number() },
  handler: async (ctx, { connectionId, dueAt }) => {
    const connection = await ctx.db.get(connectionId);
    if (!connection || (connection.callSummary?.at ?? -Infinity) >= dueAt) return null;
    await summariseConnection(ctx, connection, Date.now());
    return null;
  },
});

/**
 * Writes the connection's summary from its shards (only when it changed) and clears
 * the shards' pending marks. A row that still carries counters from before the
 * shards has them moved into shard 0 first, so nothing it counted is lost.
 */
export async function summariseConnection(ctx: MutationCtx, connection: Doc<"connections">, now: number) {
  const shards = await ctx.db
    .query("callCounters")
    .withIndex("by_connectionId_and_shard", (q) => q.eq("connectionId", connection._id))
    .take(CALL_COUNTER_SHARDS);
  const lists: CallBucket[][] = shards.map((shard) => shard.buckets);
  const legacy = connection.callBuckets;
  if (legacy !== undefined) {
    const first = shards.find((shard) => shard.shard === 0);
    const buckets = mergeBuckets([first?.buckets ?? [], legacy], now);
    if (first) await ctx.db.patch(first._id, { buckets });
    else await ctx.db.insert("callCounters", { orgId: connection.orgId, connectionId: connection._id, shard: 0, buckets });
    lists.push(legacy);
  }
  for (const shard of shards) {
    if (shard.summaryDueAt !== undefined && shard.summaryDueAt <= now) await ctx.db.patch(shard._id, { summaryDueAt: undefined });
  }
  const buckets = mergeBuckets(lists, now);
  const lastUsedAt = shards.reduce<number | undefined>(
    (latest, shard) => (shard.lastUsedAt !== undefined && shard.lastUsedAt > (latest ?? -Infinity) ? shard.lastUsedAt : latest),
    connection.lastUsedAt,
  );
  const unchanged =
    legacy === undefined && lastUsedAt === connection.lastUsedAt && sameBuckets(buckets, connection.callSummary?.buckets ?? []);
  if (unchanged) return;
  await ctx.db.patch(connection._id, {
    callSummary: { buckets, at: now },
    ...(lastUsedAt === undefined ? {} : { lastUsedAt }),
    callBuckets: undefined,
  });
}

function sameBuckets(a: readonly CallBucket[], b: readonly CallBucket[]): boolean {
  return (
    a.length === b.length &&
    a.every((bucket, i) => bucket.hourStart === b[i]!.hourStart && bucket.calls === b[i]!.calls && bucket.errors === b[i]!.errors)
  );
}
