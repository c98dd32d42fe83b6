/**
 * The safety net under per-connection jobs: every few minutes, connections whose
 * `nextRefreshAt` passed a while ago (their job failed, was lost, or predates this
 * code) get a new job. Read through the `by_nextRefreshAt` index from the bottom,
 * so the work is proportional to what is overdue, not to the number of connections.
 */
import { internalMutation } from "../functions";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { cancelPendingJob } from "../connections/maintenance";

/** How overdue a connection must be before the sweep steps in; its own job normally runs on time. */
export const SWEEP_GRACE_MS = 2 * 60_000;
/** How long a swept connection is left alone for its new job to run and re-plan. */
export const SWEEP_CLAIM_MS = 10 * 60_000;
/** Connections handled per sweep transaction; more schedule another sweep at once. */
export const SWEEP_BATCH_SIZE = 200;

/** Starts a job for each overdue connection; returns how many. Exported for the benchmark. */
export async function sweepOverdue(ctx: MutationCtx, now: number): Promise<{ scheduled: number; more: boolean }> {
  const overdue = await ctx.db
    .query("connections")
    // The lower bound skips rows without a plan (disconnected, in error), which sort first.
    .withIndex("by_nextRefreshAt", (q) => q.gt("nextRefreshAt", 0).lte("nextRefreshAt", now - SWEEP_GRACE_MS))
    .take(SWEEP_BATCH_SIZE);
  for (const row of overdue) await restartJob(ctx, row._id, row.refreshJobId, now);
  return { scheduled: overdue.length, more: overdue.length === SWEEP_BATCH_SIZE };
}

async function restartJob(
  ctx: MutationCtx,
  connectionId: Id<"connections">,
  oldJobId: Id<"_scheduled_functions"> | undefined,
  now: number,
) {
  await cancelPendingJob(ctx, oldJobId);
  const refreshJobId = await ctx.scheduler.runAfter(0, internal.refresh.worker.maintain, { connectionId });
  // Claimed, so the next sweep skips it; the job re-plans with the real time.
  await ctx.db.patch(connectionId, { refreshJobId, nextRefreshAt: now + SWEEP_CLAIM_MS });
}

/** The cron entry point. */
export const run = internalMutation({
  args: {},
  handler: async (ctx) => {
    const result = await sweepOverdue(ctx, Date.now());
    if (result.more) await ctx.scheduler.runAfter(0, internal.refresh.sweep.run, {});
    return result;
  },
});
