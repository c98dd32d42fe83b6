/**
 * Workflows of an organization: members read them, admins create, change, turn on or
 * off and remove them. A definition is checked by lib/workflows/definition.ts; an
 * invalid one is `INVALID_INPUT` with `fields`, a record of dot paths
 * (`steps.1.input.text`) to messages. Another org's workflow answers like a missing
 * one: null from `get`, `NOT_FOUND` from the mutations.
 *
 * Removing a workflow deletes its runs too (in the background, a batch at a time):
 * they hold the inputs and outputs of provider calls, which nobody could see or delete
 * once the workflow is gone. The audit trail keeps that it existed and who removed it;
 * call log rows keep their own retention.
 */
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../lib/errors";
import { recordAudit, userActor } from "../audit/record";
import { internalMutation, orgMutation, orgQuery } from "../functions";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import {
  cancelIfPending,
  checkedDefinition,
  definitionFields,
  orgWorkflow,
  presentWorkflow,
  requireOrgWorkflow,
  RUNS_PER_READ,
  WORKFLOWS_PER_ORG_MAX,
} from "./model";
import { scheduleFields } from "./schedule";

/** Runs deleted per transaction when a workflow is removed. */
const PURGE_BATCH = RUNS_PER_READ;

/** The organization's workflows by name, each with its steps' actions and its last run. */
export const list = orgQuery({
  role: "member",
  args: {},
  handler: async (ctx) => {
    const workflows = await ctx.db
      .query("workflows")
      .withIndex("by_orgId", (q) => q.eq("orgId", ctx.org._id))
      .take(WORKFLOWS_PER_ORG_MAX);
    return workflows.map(presentWorkflow).sort((a, b) => a.name.localeCompare(b.name) || a.createdAt - b.createdAt);
  },
});

/** One workflow as `list` shows it, or null when there is none (here). */
export const get = orgQuery({
  role: "member",
  // A string, not v.id: the id comes from a URL, and a malformed one is "no such workflow", not a crash.
  args: { workflowId: v.string() },
  handler: async (ctx, args) => {
    const workflowId = ctx.db.normalizeId("workflows", args.workflowId);
    if (workflowId === null) return null;
    const workflow = await orgWorkflow(ctx, ctx.org._id, workflowId);
    return workflow ? presentWorkflow(workflow) : null;
  },
});

const auditWorkflow = (workflowId: Id<"workflows">, name: string) => ({ subject: name, details: { workflowId } });

/** Creates a workflow, turned on (a schedule's first run is an interval from now). Answers its id. */
export const create = orgMutation({
  role: "admin",
  args: { definition: v.any() },
  handler: async (ctx, { definition }): Promise<Id<"workflows">> => {
    const checked = checkedDefinition(definition);
    const existing = await ctx.db
      .query("workflows")
      .withIndex("by_orgId", (q) => q.eq("orgId", ctx.org._id))
      .take(WORKFLOWS_PER_ORG_MAX);
    if (existing.length >= WORKFLOWS_PER_ORG_MAX) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: `An organization has at most ${WORKFLOWS_PER_ORG_MAX} workflows; remove one first.` });
    }
    const workflowId = await ctx.db.insert("workflows", {
      orgId: ctx.org._id,
      ...definitionFields(checked),
      enabled: true,
      createdBy: ctx.userId,
      updatedAt: Date.now(),
    });
    const schedule = await scheduleFields(ctx, workflowId, { enabled: true, trigger: checked.trigger, scheduleJobId: undefined });
    if (schedule.scheduleJobId !== undefined) await ctx.db.patch(workflowId, schedule);
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), { action: "workflow.created", ...auditWorkflow(workflowId, checked.name) });
    return workflowId;
  },
});

/** Replaces a workflow's definition. Runs under way keep the steps they started with; the schedule starts over. */
export const update = orgMutation({
  role: "admin",
  args: { workflowId: v.id("workflows"), definition: v.any() },
  handler: async (ctx, { workflowId, definition }) => {
    const workflow = await requireOrgWorkflow(ctx, ctx.org._id, workflowId);
    const checked = checkedDefinition(definition);
    const schedule = await scheduleFields(ctx, workflowId, { ...workflow, trigger: checked.trigger });
    await ctx.db.patch(workflowId, { ...definitionFields(checked), updatedAt: Date.now(), ...schedule });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), { action: "workflow.updated", ...auditWorkflow(workflowId, checked.name) });
    return null;
  },
});

/** Turns a workflow on or off: off, no run starts (by hand or on schedule); runs under way go on. */
export const setEnabled = orgMutation({
  role: "admin",
  args: { workflowId: v.id("workflows"), enabled: v.boolean() },
  handler: async (ctx, { workflowId, enabled }) => {
    const workflow = await requireOrgWorkflow(ctx, ctx.org._id, workflowId);
    if (workflow.enabled === enabled) return null;
    const schedule = await scheduleFields(ctx, workflowId, { ...workflow, enabled });
    await ctx.db.patch(workflowId, { enabled, updatedAt: Date.now(), ...schedule });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: enabled ? "workflow.enabled" : "workflow.disabled",
      ...auditWorkflow(workflowId, workflow.name),
    });
    return null;
  },
});

/** Removes a workflow and its schedule; its runs are cancelled and deleted in the background. */
export const remove = orgMutation({
  role: "admin",
  args: { workflowId: v.id("workflows") },
  handler: async (ctx, { workflowId }) => {
    const workflow = await requireOrgWorkflow(ctx, ctx.org._id, workflowId);
    await cancelIfPending(ctx, workflow.scheduleJobId);
    await ctx.db.delete(workflowId);
    await ctx.scheduler.runAfter(0, internal.workflows.definitions.purgeRuns, { orgId: ctx.org._id, workflowId });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), { action: "workflow.removed", ...auditWorkflow(workflowId, workflow.name) });
    return null;
  },
});

/** Deletes a removed workflow's runs, cancelling the jobs of those under way, a batch at a time. */
export const purgeRuns = internalMutation({
  args: { orgId: v.id("organizations"), workflowId: v.id("workflows") },
  handler: async (ctx, { orgId, workflowId }) => {
    const runs = await ctx.db
      .query("workflowRuns")
      .withIndex("by_orgId_and_workflowId", (q) => q.eq("orgId", orgId).eq("workflowId", workflowId))
      .take(PURGE_BATCH);
    for (const run of runs) {
      await cancelIfPending(ctx, run.jobId);
      await ctx.db.delete(run._id);
    }
    if (runs.length === PURGE_BATCH) await ctx.scheduler.runAfter(0, internal.workflows.definitions.purgeRuns, { orgId, workflowId });
    return { deleted: runs.length };
  },
});
