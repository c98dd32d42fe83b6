/**
 * Runs of a workflow: admins start and cancel them and test one step; members read
 * them. Another org's run or workflow answers like a missing one (null from `get`, an
 * empty page from `list`, `NOT_FOUND` from the rest). The runner is ./runner.ts.
 */
import { paginationOptsValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import {
  cancelRunSteps,
  isJsonObject,
  jsonBytes,
  missingReferences,
  resolveStepInput,
  stepScope,
  unkeptReferences,
  type RunStep,
  type ScopeStep,
  type WorkflowDefinition,
} from "../../lib/workflows";
import { recordAudit, userActor } from "../audit/record";
import { internalQuery, orgAction, orgMutation, orgQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { Actor } from "../shared/validators";
import { runAction } from "../providerActions/run";
import type { ActionResult } from "../providerActions/validators";
import { newCorrelationId } from "../shared/providerHttp";
import {
  cancelIfPending,
  checkedDefinition,
  definitionOf,
  orgRun,
  presentRun,
  presentRunSummary,
  requireOrgRun,
  requireOrgWorkflow,
  recordRunEnd,
  RUN_INPUT_MAX_BYTES,
  RUNS_PER_READ,
  startRun,
  triggerInputOf,
} from "./model";


function invalidRunInput(message: string): ConvexError<{ code: string; message: string; fields: Record<string, string> }> {
  return new ConvexError({ code: ErrorCode.INVALID_INPUT, message, fields: { input: message } });
}

/** The input a run is started with: a JSON object (Convex refused field names it cannot store already), at most 32 KB. */
function checkedRunInput(input: unknown): Record<string, unknown> {
  if (!isJsonObject(input)) throw invalidRunInput("A run's input is a JSON object.");
  if (jsonBytes(input) > RUN_INPUT_MAX_BYTES) throw invalidRunInput(`A run's input is at most ${RUN_INPUT_MAX_BYTES / 1024} KB.`);
  return input;
}

/** Starts a run of an enabled workflow, with `input` or else the trigger's sample (or scheduled) input. Answers its id. */
export const start = orgMutation({
  role: "admin",
  args: { workflowId: v.id("workflows"), input: v.optional(v.any()) },
  handler: async (ctx, { workflowId, input }): Promise<Id<"workflowRuns">> => {
    const workflow = await requireOrgWorkflow(ctx, ctx.org._id, workflowId);
    return await startManualRun(ctx, workflow, input, userActor(ctx.userId));
  },
});

/**
 * Starts a run of `workflow` (already checked to be the org's) by `actor`, a person or
 * an API key, with its audit event: `CONFLICT` when it is turned off.
 */
export async function startManualRun(ctx: MutationCtx, workflow: Doc<"workflows">, input: unknown, actor: Actor): Promise<Id<"workflowRuns">> {
  if (!workflow.enabled) throw new ConvexError({ code: ErrorCode.CONFLICT, message: "This workflow is turned off; turn it on to run it." });
  const runInput = input === undefined ? triggerInputOf(workflow.trigger) : checkedRunInput(input);
  const runId = await startRun(ctx, workflow, { kind: "manual", input: runInput, actor });
  await recordAudit(ctx, workflow.orgId, actor, {
    action: "workflow.run_started",
    subject: workflow.name,
    details: { workflowId: workflow._id, runId },
  });
  return runId;
}

/**
 * Cancels a run that has not ended: its unfinished steps are cancelled and its waiting
 * job is cancelled, so nothing more is sent (a step already under way finishes, and its
 * result is kept). Answers whether it cancelled anything.
 */
export const cancel = orgMutation({
  role: "admin",
  args: { runId: v.id("workflowRuns") },
  handler: async (ctx, { runId }): Promise<{ cancelled: boolean }> => {
    const run = await requireOrgRun(ctx, ctx.org._id, runId);
    const now = Date.now();
    const steps = cancelRunSteps(run, now);
    if (!steps) return { cancelled: false };
    await cancelIfPending(ctx, run.jobId);
    await ctx.db.patch(runId, { status: "cancelled", steps, finishedAt: now, jobId: undefined });
    await recordRunEnd(ctx, run, "cancelled", now);
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "workflow.run_cancelled",
      subject: run.workflowName,
      details: { workflowId: run.workflowId, runId },
    });
    return { cancelled: true };
  },
});

/** A workflow's runs, newest first (at most 20 a page: a run document can be large): statuses only. */
export const list = orgQuery({
  role: "member",
  args: { workflowId: v.id("workflows"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { workflowId, paginationOpts }) => {
    const page = await ctx.db
      .query("workflowRuns")
      .withIndex("by_orgId_and_workflowId", (q) => q.eq("orgId", ctx.org._id).eq("workflowId", workflowId))
      .order("desc")
      .paginate({ ...paginationOpts, numItems: Math.min(paginationOpts.numItems, RUNS_PER_READ) });
    return { ...page, page: page.page.map(presentRunSummary) };
  },
});

/** One run with its history, or null when there is none (here). */
export const get = orgQuery({
  role: "member",
  args: { runId: v.id("workflowRuns") },
  handler: async (ctx, { runId }) => {
    const run = await orgRun(ctx, ctx.org._id, runId);
    return run ? await presentRun(ctx, run) : null;
  },
});

/** What `testStep` needs: the stored definition and the steps of the latest run that succeeded. */
export const testContext = internalQuery({
  args: { orgId: v.id("organizations"), workflowId: v.id("workflows") },
  handler: async (ctx, { orgId, workflowId }) => {
    const workflow = await requireOrgWorkflow(ctx, orgId, workflowId);
    const succeeded = await ctx.db
      .query("workflowRuns")
      .withIndex("by_workflowId_and_status", (q) => q.eq("workflowId", workflowId).eq("status", "succeeded"))
      .order("desc")
      .first();
    const steps: ScopeStep[] = (succeeded?.steps ?? []).map((step) => ({
      key: step.key,
      status: step.status,
      ...(step.output !== undefined ? { output: step.output } : {}),
      ...(step.note !== undefined ? { note: step.note } : {}),
    }));
    return { definition: definitionOf(workflow), steps };
  },
});

/**
 * Runs one step for real, with the trigger's sample input and, for references to
 * earlier steps, their outputs in the latest run that succeeded; `definition` tests
 * unsaved edits. Answers the step contract's result (convex/providerActions/run.ts),
 * or `invalid_input` naming what is missing. The call is the admin's, not the workflow's.
 */
export const testStep = orgAction({
  role: "admin",
  args: { workflowId: v.id("workflows"), stepKey: v.string(), definition: v.optional(v.any()) },
  handler: async (ctx, { workflowId, stepKey, definition }): Promise<ActionResult> => {
    const context: { definition: WorkflowDefinition; steps: ScopeStep[] } = await ctx.runQuery(internal.workflows.runs.testContext, {
      orgId: ctx.org._id,
      workflowId,
    });
    const tested = definition === undefined ? context.definition : checkedDefinition(definition);
    const index = tested.steps.findIndex((step) => step.key === stepKey);
    if (index < 0) {
      const message = `The workflow has no step called ${stepKey}.`;
      throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message, fields: { stepKey: message } });
    }
    // The steps as a run of them would be: earlier ones with their latest succeeded outputs.
    const steps: RunStep[] = tested.steps.slice(0, index + 1).map((step, i) => {
      const past = i < index ? context.steps.find((candidate) => candidate.key === step.key) : undefined;
      return {
        key: step.key,
        name: step.name,
        actionId: step.actionId,
        inputTemplate: step.input,
        retry: step.retry,
        status: (past?.status as RunStep["status"] | undefined) ?? "pending",
        attempts: 0,
        ...(past?.output !== undefined ? { output: past.output } : {}),
        ...(past?.note !== undefined ? { note: past.note } : {}),
      };
    });
    const triggerInput = triggerInputOf(tested.trigger);
    const resolved = resolveStepInput(triggerInput, steps, index);
    if (!resolved.ok) {
      const earlier = steps.slice(0, index);
      const template = steps[index]!.inputTemplate;
      const unkept = new Set(unkeptReferences(template, earlier));
      const missing = missingReferences(template, stepScope(triggerInput, earlier)).filter((key) => !unkept.has(key));
      const message = missing.length > 0
        ? `No run has succeeded with ${missing.map((key) => `steps.${key}`).join(", ")} yet, so there is no output to test with: run the workflow once, then test this step.`
        : resolved.error.message;
      return { ok: false, error: { ...resolved.error, message }, correlationId: newCorrelationId() };
    }
    return await runAction(ctx, {
      orgId: ctx.org._id,
      actionId: tested.steps[index]!.actionId,
      input: resolved.input,
      actor: userActor(ctx.userId),
    });
  },
});
