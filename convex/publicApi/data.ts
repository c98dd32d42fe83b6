/**
 * What the public API's handlers read and write, for the org of the key that
 * authenticated (./router.ts checked it). Each answers plain values; the handlers shape
 * them into the API's schemas. Another org's ids answer like missing ones.
 */
import { ConvexError, v } from "convex/values";
import { getAction } from "../../lib/actions";
import { isErrorData } from "../../lib/errors";
import { internalMutation, internalQuery } from "../functions";
import type { Doc } from "../_generated/dataModel";
import { recordAudit } from "../audit/record";
import { availableActions } from "../providerActions/catalog";
import { actorValidator } from "../shared/validators";
import { orgRun, orgWorkflow, presentRunSummary } from "../workflows/model";
import { startManualRun } from "../workflows/runs";

/** At most one connection per provider: bounded by the catalog. */
const CONNECTIONS_MAX = 200;
/** Calls one correlation id can name in an answer. */
const CALLS_PER_TRACE_MAX = 20;

function connectionRow(row: Doc<"connections">) {
  return {
    providerId: row.providerId,
    status: row.status,
    statusReason: row.statusReason ?? null,
    accountName: row.accountName ?? null,
    scopes: row.scopes,
    connectedAt: row.connectedAt,
    lastUsedAt: row.lastUsedAt ?? null,
  };
}

export const connections = internalQuery({
  args: { orgId: v.id("organizations") },
  handler: async (ctx, { orgId }) => {
    const rows = await ctx.db
      .query("connections")
      .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId))
      .take(CONNECTIONS_MAX);
    return rows.map(connectionRow);
  },
});

export const connection = internalQuery({
  args: { orgId: v.id("organizations"), providerId: v.string() },
  handler: async (ctx, { orgId, providerId }) => {
    const row = await ctx.db
      .query("connections")
      .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId).eq("providerId", providerId))
      .unique();
    return row ? connectionRow(row) : null;
  },
});

export const actions = internalQuery({
  args: { orgId: v.id("organizations") },
  handler: async (ctx, { orgId }) => await availableActions(ctx, orgId),
});

/** The providers a run or a workflow's steps call, from their action ids. */
function providersOf(steps: ReadonlyArray<{ actionId: string }>): string[] {
  return [...new Set(steps.map((step) => getAction(step.actionId)?.providerId ?? step.actionId.split(".")[0]!))];
}

/** A run with what the API shows of it: the page's summary, plus each step's output, error and call. */
function runRow(run: Doc<"workflowRuns">) {
  return {
    ...presentRunSummary(run),
    providerIds: providersOf(run.steps),
    steps: run.steps.map((step) => ({
      key: step.key,
      name: step.name,
      actionId: step.actionId,
      status: step.status,
      attempts: step.attempts,
      output: step.output ?? null,
      error: step.error ? { code: step.error.code, message: step.error.message } : null,
      correlationId: step.correlationId ?? null,
    })),
  };
}

/**
 * Starts a run as the key (`actor`). A key limited to connections may start only a
 * workflow whose steps all use them.
 */
export const startRun = internalMutation({
  args: {
    orgId: v.id("organizations"),
    workflowId: v.string(),
    input: v.optional(v.any()),
    actor: actorValidator,
    allowedProviderIds: v.union(v.array(v.string()), v.null()),
  },
  handler: async (ctx, { orgId, workflowId, input, actor, allowedProviderIds }) => {
    const id = ctx.db.normalizeId("workflows", workflowId);
    const workflow = id ? await orgWorkflow(ctx, orgId, id) : null;
    if (!workflow) return { ok: false as const, code: "not_found" as const, message: "There is no such workflow." };
    const outside = allowedProviderIds && providersOf(workflow.steps).find((p) => !allowedProviderIds.includes(p));
    if (outside) {
      return { ok: false as const, code: "connection_not_allowed" as const, message: `This key may not use the ${outside} connection, which the workflow calls.` };
    }
    try {
      const runId = await startManualRun(ctx, workflow, input, actor);
      return { ok: true as const, run: runRow((await ctx.db.get(runId))!) };
    } catch (error) {
      const data = error instanceof ConvexError ? (error.data as unknown) : undefined;
      if (!isErrorData(data)) throw error;
      return { ok: false as const, code: data.code === "CONFLICT" ? ("conflict" as const) : ("invalid_request" as const), message: data.message };
    }
  },
});

export const run = internalQuery({
  args: { orgId: v.id("organizations"), runId: v.string() },
  handler: async (ctx, { orgId, runId }) => {
    const id = ctx.db.normalizeId("workflowRuns", runId);
    const found = id ? await orgRun(ctx, orgId, id) : null;
    return found ? runRow(found) : null;
  },
});

export const calls = internalQuery({
  args: { orgId: v.id("organizations"), correlationId: v.string() },
  handler: async (ctx, { orgId, correlationId }) => {
    const rows = await ctx.db
      .query("callLogs")
      .withIndex("by_orgId_and_correlationId", (q) => q.eq("orgId", orgId).eq("correlationId", correlationId))
      .order("desc")
      .take(CALLS_PER_TRACE_MAX);
    return rows.map((row) => ({
      providerId: row.providerId,
      method: row.method,
      path: row.path,
      status: row.status ?? null,
      outcome: row.outcome,
      latencyMs: row.latencyMs,
      attempts: row.attempts,
      errorCode: row.errorCode ?? null,
      errorMessage: row.errorMessage ?? null,
      at: row.at,
    }));
  },
});

/** The audit event of an action run with a key (a write at the provider, done by the key). */
export const recordActionRun = internalMutation({
  args: { orgId: v.id("organizations"), actor: actorValidator, actionId: v.string(), correlationId: v.string(), ok: v.boolean() },
  handler: async (ctx, { orgId, actor, actionId, correlationId, ok }) => {
    const action = getAction(actionId);
    await recordAudit(ctx, orgId, actor, {
      action: "action.run",
      subject: action?.title ?? actionId,
      ...(action ? { providerId: action.providerId } : {}),
      details: { actionId, correlationId, ok },
    });
    return null;
  },
});
