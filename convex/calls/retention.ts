/**
 * Call-log retention: rows older than CALL_LOG_RETENTION_DAYS (30 by default) are
 * deleted by a daily cron, oldest first through the `by_at` index, in batches that
 * each schedule the next. Nothing but call logs is touched.
 */
import { callLogEnv, readEnv } from "../../lib/env";
import { internalMutation } from "../functions";
import { internal } from "../_generated/api";

const DAY_MS = 24 * 60 * 60_000;
/** Rows deleted per transaction; well under Convex's write limits. */
export const RETENTION_BATCH_SIZE = 500;

/** The oldest time a call log may have and still be kept. */
export function retentionCutoff(now: number): number {
  return now - readEnv(callLogEnv).CALL_LOG_RETENTION_DAYS * DAY_MS;
}

/** Deletes one batch of expired call logs; schedules itself again while there are more. */
export const purge = internalMutation({
  args: {},
  handler: async (ctx) => {
    const cutoff = retentionCutoff(Date.now());
    const expired = await ctx.db
      .query("callLogs")
      .withIndex("by_at", (q) => q.lt("at", cutoff))
      .take(RETENTION_BATCH_SIZE);
    for (const row of expired) await ctx.db.delete(row._id);
    if (expired.length === RETENTION_BATCH_SIZE) await ctx.scheduler.runAfter(0, internal.calls.retention.purge, {});
    return { deleted: expired.length };
  },
});
