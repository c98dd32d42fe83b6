/**
 * Run history retention: finished runs older than WORKFLOW_RUN_RETENTION_DAYS (30 by
 * default) are deleted by a daily cron, oldest first through the creation-time index, a
 * page per transaction (run documents can be large: RUNS_PER_READ of them stay well inside
 * a transaction's read limit), each page scheduling the next. Runs still going are kept
 * whatever their age; a workflow's newest-run summary outlives its run.
 */
import { v } from "convex/values";
import { readEnv, workflowRunEnv } from "../../lib/env";
import { isRunFinished } from "../../lib/workflows";
import { internalMutation } from "../functions";
import { internal } from "../_generated/api";
import { RUNS_PER_READ } from "./model";

const DAY_MS = 24 * 60 * 60_000;

/** The oldest creation time a finished run may have and still be kept. */
export function runRetentionCutoff(now: number): number {
  return now - readEnv(workflowRunEnv).WORKFLOW_RUN_RETENTION_DAYS * DAY_MS;
}

export const purge = internalMutation({
  args: { cursor: v.optional(v.union(v.string(), v.null())) },
  handler: async (ctx, { cursor }) => {
    const cutoff = runRetentionCutoff(Date.now());
    const page = await ctx.db
      .query("workflowRuns")
      .withIndex("by_creation_time", (q) => q.lt("_creationTime", cutoff))
      .paginate({ cursor: cursor ?? null, numItems: RUNS_PER_READ });
    let deleted = 0;
    for (const run of page.page) {
      if (!isRunFinished(run.status)) continue;
      await ctx.db.delete(run._id);
      deleted += 1;
    }
    if (!page.isDone) await ctx.scheduler.runAfter(0, internal.workflows.retention.purge, { cursor: page.continueCursor });
    return { deleted, done: page.isDone };
  },
});
