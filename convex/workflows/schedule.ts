/**
 * Schedule triggers: an enabled workflow with a schedule trigger keeps exactly one
 * pending `fire` job, due at its `nextRunAt`. Firing starts a run (unless the last run
 * is still under way: runs of one workflow do not pile up behind a slow one) and
 * schedules the next fire. Creating, updating, turning on or off and removing a
 * workflow cancel the job and make a new one (or none) with `scheduleFields`.
 */
import { v } from "convex/values";
import { isRunFinished, MINUTE_MS, nextRunAfter } from "../../lib/workflows";
import { internalMutation } from "../functions";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { Actor } from "../shared/validators";
import { cancelIfPending, startRun } from "./model";

/** Who starts a scheduled run. */
export const SCHEDULE_ACTOR: Actor = { kind: "system", label: "Schedule" };

type ScheduleFields = { scheduleJobId: Id<"_scheduled_functions"> | undefined; nextRunAt: number | undefined };

/**
 * Cancels the workflow's pending fire job, and schedules a new one an interval from
 * now when it is enabled with a schedule trigger. Answers the fields to write with the
 * caller's own patch (undefined ones remove the field).
 */
export async function scheduleFields(
  ctx: MutationCtx,
  workflowId: Id<"workflows">,
  workflow: Pick<Doc<"workflows">, "enabled" | "trigger" | "scheduleJobId">,
): Promise<ScheduleFields> {
  await cancelIfPending(ctx, workflow.scheduleJobId);
  if (!workflow.enabled || workflow.trigger.kind !== "schedule") return { scheduleJobId: undefined, nextRunAt: undefined };
  const nextRunAt = Date.now() + workflow.trigger.everyMinutes * MINUTE_MS;
  const scheduleJobId = await ctx.scheduler.runAt(nextRunAt, internal.workflows.schedule.fire, { workflowId, dueAt: nextRunAt });
  return { scheduleJobId, nextRunAt };
}

export const fire = internalMutation({
  args: { workflowId: v.id("workflows"), dueAt: v.number() },
  handler: async (ctx, { workflowId, dueAt }) => {
    const workflow = await ctx.db.get(workflowId);
    // A job replaced by a later change (or of a workflow gone or turned off) does nothing.
    if (!workflow || !workflow.enabled || workflow.trigger.kind !== "schedule" || workflow.nextRunAt !== dueAt) return null;
    if (!workflow.lastRun || isRunFinished(workflow.lastRun.status)) {
      await startRun(ctx, workflow, { kind: "schedule", input: workflow.trigger.input, actor: SCHEDULE_ACTOR });
    }
    const nextRunAt = nextRunAfter(dueAt, workflow.trigger.everyMinutes, Date.now());
    const scheduleJobId = await ctx.scheduler.runAt(nextRunAt, internal.workflows.schedule.fire, { workflowId, dueAt: nextRunAt });
    await ctx.db.patch(workflowId, { scheduleJobId, nextRunAt });
    return null;
  },
});
