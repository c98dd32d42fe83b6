/**
 * The workflow runner: a run is carried on the Convex scheduler one step attempt at a
 * time, its whole state in the run document.
 *
 *   runs.start ──▶ runStep ──▶ recordStep ──▶ runStep (next step, or a retry later) ──▶ … ──▶ done
 *
 * `runStep` (an action) reads the run, renders the current step's input against the
 * trigger input and earlier outputs, runs the provider action through the step contract
 * (`runAction`, called directly) as the workflow, and makes exactly one mutation,
 * `recordStep`, which writes the step's result and, in the same transaction, schedules
 * the next step or a retry, or ends the run (lib/workflows/run.ts decides which). So a
 * step costs one write of the run document, plus the call's log row; a run's start and
 * end also write its workflow's `lastRun` summary.
 *
 * A step whose job died without reporting (a crash, a time-out) would leave its run
 * running forever: `recover`, every minute, finds running and retrying runs whose job
 * failed or is gone and records a retryable failure for the step, so its retry policy
 * applies.
 */
import { v } from "convex/values";
import {
  advanceRun,
  historyError,
  historyInput,
  historyOutput,
  isRunFinished,
  lostStepReport,
  outputBytesUsed,
  resolveStepInput,
  stepCorrelationId,
  type StepReport,
} from "../../lib/workflows";
import { internalAction, internalMutation, internalQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { runAction } from "../providerActions/run";
import { actionResultValidator, type ActionResult } from "../providerActions/validators";
import { recordRunEnd, RUNS_PER_READ } from "./model";

/** Runs `recover` looks at per transaction. */
const RECOVER_BATCH = RUNS_PER_READ;

export const load = internalQuery({
  args: { runId: v.id("workflowRuns") },
  handler: async (ctx, { runId }) => ctx.db.get(runId),
});

export const runStep = internalAction({
  args: { runId: v.id("workflowRuns") },
  handler: async (ctx, { runId }): Promise<null> => {
    const run: Doc<"workflowRuns"> | null = await ctx.runQuery(internal.workflows.runner.load, { runId });
    if (!run || isRunFinished(run.status)) return null;
    const index = run.currentStep;
    const step = run.steps[index];
    if (!step || step.status !== "running") return null;
    const attempt = step.attempts + 1;
    const correlationId = stepCorrelationId(runId, step.key, attempt);

    const resolved = resolveStepInput(run.trigger.input, run.steps, index);
    let report: StepReport;
    if (!resolved.ok) {
      report = { stepIndex: index, attempt, result: { ok: false, error: resolved.error, correlationId } };
    } else {
      const result: ActionResult = await runAction(ctx, {
        orgId: run.orgId,
        actionId: step.actionId,
        input: resolved.input,
        actor: { kind: "workflow", id: run.workflowId, label: run.workflowName },
        correlationId,
      });
      report = { stepIndex: index, attempt, input: historyInput(resolved.input), result };
      if (result.ok) {
        const kept = historyOutput(result.output, outputBytesUsed(run.steps));
        report.result = { ...result, output: kept.output };
        if (kept.note !== undefined) report.note = kept.note;
      } else {
        // As history keeps it: a provider's field name Convex cannot store would fail the arguments.
        report.result = { ...result, error: historyError(result.error) };
      }
    }
    await ctx.runMutation(internal.workflows.runner.recordStep, { runId, ...report });
    return null;
  },
});

export const recordStep = internalMutation({
  args: {
    runId: v.id("workflowRuns"),
    stepIndex: v.number(),
    attempt: v.number(),
    input: v.optional(v.any()),
    note: v.optional(v.string()),
    result: actionResultValidator,
  },
  handler: async (ctx, { runId, ...report }) => {
    const run = await ctx.db.get(runId);
    if (run) await applyReport(ctx, run, report);
    return null;
  },
});

/**
 * Writes a step's report into its run and schedules what follows, in one patch of the
 * run document. False when the report was ignored (nothing written).
 */
async function applyReport(ctx: MutationCtx, run: Doc<"workflowRuns">, report: StepReport): Promise<boolean> {
  const advance = advanceRun(run, report, Date.now());
  if (advance.kind === "ignored") return false;
  const jobId = advance.schedule
    ? await ctx.scheduler.runAfter(advance.schedule.delayMs, internal.workflows.runner.runStep, { runId: run._id })
    : undefined;
  await ctx.db.patch(run._id, {
    status: advance.status,
    steps: advance.steps,
    currentStep: advance.currentStep,
    jobId,
    ...(advance.finishedAt !== undefined ? { finishedAt: advance.finishedAt } : {}),
  });
  if (advance.finishedAt !== undefined) await recordRunEnd(ctx, run, advance.status, advance.finishedAt);
  return true;
}

/** True while the job will still run or is running. */
async function jobAlive(ctx: MutationCtx, jobId: Id<"_scheduled_functions"> | undefined): Promise<boolean> {
  if (jobId === undefined) return false;
  const job = await ctx.db.system.get(jobId);
  return job?.state.kind === "pending" || job?.state.kind === "inProgress";
}

const recoverStatus = v.union(v.literal("running"), v.literal("retrying"));

/**
 * Every minute (convex/crons.ts): running and then retrying runs whose job failed, was
 * cancelled, finished without reporting or is gone get a retryable failure recorded
 * for their current step. A page per transaction (Convex allows one paginated read in
 * each); the next page, and then the other status, in follow-up jobs.
 */
export const recover = internalMutation({
  args: { status: v.optional(recoverStatus), cursor: v.optional(v.union(v.string(), v.null())) },
  handler: async (ctx, { status = "running", cursor = null }) => {
    const page = await ctx.db
      .query("workflowRuns")
      .withIndex("by_status", (q) => q.eq("status", status))
      .paginate({ numItems: RECOVER_BATCH, cursor });
    let recovered = 0;
    for (const run of page.page) {
      if (await jobAlive(ctx, run.jobId)) continue;
      const report = lostStepReport(run._id, run);
      if (report && (await applyReport(ctx, run, report))) recovered++;
    }
    if (!page.isDone) {
      await ctx.scheduler.runAfter(0, internal.workflows.runner.recover, { status, cursor: page.continueCursor });
    } else if (status === "running") {
      await ctx.scheduler.runAfter(0, internal.workflows.runner.recover, { status: "retrying", cursor: null });
    }
    return { recovered };
  },
});
