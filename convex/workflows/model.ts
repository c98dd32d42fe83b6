/**
 * What the workflow modules share: finding an org's workflow or run (another org's
 * answers like a missing one), checking a definition as the API takes it, starting a
 * run, and how workflows and runs are shown. Helpers, not a function module.
 */
import { ConvexError } from "convex/values";
import { getAction } from "../../lib/actions";
import { ErrorCode } from "../../lib/errors";
import { actorKindLabel } from "../../lib/integrations/activity";
import { checkDefinition, newRunSteps, type RunStatus, type TriggerKind, type WorkflowDefinition } from "../../lib/workflows";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import type { Actor } from "../shared/validators";
import { emitWebhookEvent } from "../webhooks/outbound/emit";

/** Workflows one organization may have. */
export const WORKFLOWS_PER_ORG_MAX = 100;
/** The largest input a run may be started with, as JSON. */
export const RUN_INPUT_MAX_BYTES = 32 * 1024;
/**
 * Bounded reads: a run document may reach about 550 KB (lib/workflows/redact.ts), and a
 * transaction reads at most 16 MiB, so reads of whole runs go in batches of these.
 */
export const RUNS_PER_READ = 20;

/** The org's workflow, or null (also when it is another org's). */
export async function orgWorkflow(ctx: QueryCtx, orgId: Id<"organizations">, workflowId: Id<"workflows">): Promise<Doc<"workflows"> | null> {
  const workflow = await ctx.db.get(workflowId);
  return workflow && workflow.orgId === orgId ? workflow : null;
}

export async function requireOrgWorkflow(ctx: QueryCtx, orgId: Id<"organizations">, workflowId: Id<"workflows">): Promise<Doc<"workflows">> {
  const workflow = await orgWorkflow(ctx, orgId, workflowId);
  if (!workflow) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "There is no such workflow." });
  return workflow;
}

/** The org's run, or null (also when it is another org's). */
export async function orgRun(ctx: QueryCtx, orgId: Id<"organizations">, runId: Id<"workflowRuns">): Promise<Doc<"workflowRuns"> | null> {
  const run = await ctx.db.get(runId);
  return run && run.orgId === orgId ? run : null;
}

export async function requireOrgRun(ctx: QueryCtx, orgId: Id<"organizations">, runId: Id<"workflowRuns">): Promise<Doc<"workflowRuns">> {
  const run = await orgRun(ctx, orgId, runId);
  if (!run) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "There is no such run." });
  return run;
}

/** A definition as the API takes it, checked; `INVALID_INPUT` with per-field messages otherwise. */
export function checkedDefinition(raw: unknown): WorkflowDefinition {
  const check = checkDefinition(raw);
  if (!check.ok) throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: check.message, fields: check.fields });
  return check.definition;
}

/** The stored fields of a definition (an absent description is removed on a patch). */
export function definitionFields(definition: WorkflowDefinition) {
  return { name: definition.name, description: definition.description, trigger: definition.trigger, steps: definition.steps };
}

/** A stored workflow's definition. */
export function definitionOf(workflow: Doc<"workflows">): WorkflowDefinition {
  return {
    name: workflow.name,
    ...(workflow.description !== undefined ? { description: workflow.description } : {}),
    trigger: workflow.trigger,
    steps: workflow.steps,
  };
}

/** What a run of this trigger gets when it is not given an input (an event trigger's: its sample event). */
export function triggerInputOf(trigger: Doc<"workflows">["trigger"]): Record<string, unknown> {
  switch (trigger.kind) {
    case "manual":
      return trigger.sampleInput;
    case "schedule":
      return trigger.input;
    case "event":
      return trigger.sampleEvent;
  }
}

/** Cancels a scheduled job unless it already started (a running action finishes anyway; its report is then ignored or kept). */
export async function cancelIfPending(ctx: MutationCtx, jobId: Id<"_scheduled_functions"> | undefined): Promise<void> {
  if (jobId === undefined) return;
  const job = await ctx.db.system.get(jobId);
  if (job?.state.kind === "pending") await ctx.scheduler.cancel(jobId);
}

/**
 * Marks the end of a run on its workflow's `lastRun`, when that is still this run (a
 * newer one may have started, or the workflow been removed).
 */
export async function recordRunEnd(ctx: MutationCtx, run: Doc<"workflowRuns">, status: RunStatus, finishedAt: number): Promise<void> {
  const identity = { workflowId: run.workflowId, workflowName: run.workflowName, runId: run._id };
  if (status === "succeeded") await emitWebhookEvent(ctx, run.orgId, "workflow.run.completed", identity);
  if (status === "failed") {
    const failedStep = (await ctx.db.get(run._id))?.steps.find((step) => step.status === "failed")?.key ?? null;
    await emitWebhookEvent(ctx, run.orgId, "workflow.run.failed", { ...identity, failedStep });
  }
  const workflow = await ctx.db.get(run.workflowId);
  if (workflow?.lastRun?.runId !== run._id) return;
  await ctx.db.patch(workflow._id, { lastRun: { ...workflow.lastRun, status, finishedAt } });
}

/**
 * Starts a run: the run document, with a copy of the workflow's steps, and the job of
 * its first step, scheduled at once.
 */
export async function startRun(
  ctx: MutationCtx,
  workflow: Doc<"workflows">,
  start: { kind: TriggerKind; input: Record<string, unknown>; actor: Actor },
): Promise<Id<"workflowRuns">> {
  const now = Date.now();
  const runId = await ctx.db.insert("workflowRuns", {
    orgId: workflow.orgId,
    workflowId: workflow._id,
    workflowName: workflow.name,
    status: "running",
    trigger: { kind: start.kind, input: start.input },
    actor: start.actor,
    steps: newRunSteps(workflow.steps, now),
    currentStep: 0,
    createdAt: now,
  });
  const jobId = await ctx.scheduler.runAfter(0, internal.workflows.runner.runStep, { runId });
  await ctx.db.patch(runId, { jobId });
  await ctx.db.patch(workflow._id, { lastRun: { runId, status: "running", createdAt: now } });
  return runId;
}

function actionOf(actionId: string) {
  const action = getAction(actionId);
  return { actionTitle: action?.title ?? null, providerId: action?.providerId ?? null };
}

/** A workflow as `definitions.list` and `definitions.get` show it. */
export function presentWorkflow(workflow: Doc<"workflows">) {
  const { lastRun } = workflow;
  return {
    id: workflow._id,
    name: workflow.name,
    description: workflow.description ?? null,
    trigger: workflow.trigger,
    steps: workflow.steps.map((step) => ({ ...step, ...actionOf(step.actionId) })),
    enabled: workflow.enabled,
    createdAt: workflow._creationTime,
    updatedAt: workflow.updatedAt,
    nextRunAt: workflow.nextRunAt ?? null,
    /** The newest run: `running` from its start to its end (a retry wait included), then how it ended. */
    lastRun: lastRun ? { id: lastRun.runId, status: lastRun.status, createdAt: lastRun.createdAt, finishedAt: lastRun.finishedAt ?? null } : null,
  };
}

/** A run as `runs.list` shows it: statuses, no inputs or outputs. */
export function presentRunSummary(run: Doc<"workflowRuns">) {
  return {
    id: run._id,
    workflowId: run.workflowId,
    workflowName: run.workflowName,
    status: run.status,
    triggerKind: run.trigger.kind,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt ?? null,
    currentStep: run.currentStep,
    /** When the waiting retry of the current step is due, while the run is retrying. */
    nextAttemptAt: run.steps[run.currentStep]?.nextAttemptAt ?? null,
    steps: run.steps.map((step) => ({ key: step.key, name: step.name, actionId: step.actionId, status: step.status, attempts: step.attempts })),
  };
}

async function actorOf(ctx: QueryCtx, actor: Actor): Promise<{ kind: Actor["kind"]; label: string }> {
  const named = actorKindLabel(actor);
  if (named !== null) return { kind: actor.kind, label: named };
  const userId = actor.id ? ctx.db.normalizeId("users", actor.id) : null;
  const user = userId ? await ctx.db.get(userId) : null;
  return { kind: actor.kind, label: user?.email ?? "a former member" };
}

/** A run with its history: each step's resolved input, output, error and correlation id. */
export async function presentRun(ctx: QueryCtx, run: Doc<"workflowRuns">) {
  return {
    ...presentRunSummary(run),
    trigger: run.trigger,
    actor: await actorOf(ctx, run.actor),
    steps: run.steps.map((step) => ({
      key: step.key,
      name: step.name,
      actionId: step.actionId,
      ...actionOf(step.actionId),
      retry: step.retry,
      status: step.status,
      attempts: step.attempts,
      input: step.input ?? null,
      output: step.output ?? null,
      note: step.note ?? null,
      error: step.error ?? null,
      correlationId: step.correlationId ?? null,
      startedAt: step.startedAt ?? null,
      finishedAt: step.finishedAt ?? null,
      nextAttemptAt: step.nextAttemptAt ?? null,
    })),
  };
}
