/**
 * Call logs: one row per provider call, written by the pipeline together with the
 * connection's counters (./counters.ts), and read by the dashboard a provider at a
 * time or by correlation id. Rows are redacted before they are written
 * (lib/pipeline/call-log.ts); the queries still return only what a member needs.
 */
import { paginationOptsValidator } from "convex/server";
import { v, type Infer } from "convex/values";
import { actorKindLabel } from "../../lib/integrations/activity";
import { internalMutation, orgQuery } from "../functions";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { countCall, summariseConnection } from "./counters";
import { callLogFields } from "./validators";

const callLogRowValidator = v.object(callLogFields);
export type CallLogRow = Infer<typeof callLogRowValidator>;

/**
 * Writes a log row and counts it on one of its connection's counter shards, in one
 * transaction; the connection row itself is neither read nor written (its summary
 * follows within a minute). Every request to the provider counts; only a call that
 * was sent is "use" (`lastUsedAt`): Switchboard's own checks and refreshes are not,
 * and a refused call never left.
 */
export const record = internalMutation({
  args: callLogRowValidator.fields,
  handler: async (ctx, row) => {
    // A request finishing after its organization was deleted (a revocation retried
    // for it, a call in flight) leaves no row behind it.
    const org = await ctx.db.get(row.orgId);
    if (!org || org.deletedAt !== undefined) return null;
    const logId = await ctx.db.insert("callLogs", row);
    if (!row.connectionId) return null;
    await countCall(ctx, countedCall(row, row.connectionId, logId), { scheduleSummary: true });
    return null;
  },
});

function countedCall(row: CallLogRow, connectionId: Id<"connections">, logId: Id<"callLogs">) {
  return {
    orgId: row.orgId,
    connectionId,
    at: row.at,
    isError: row.outcome !== "ok",
    used: (row.purpose ?? "call") === "call" && row.attempts > 0,
    spreadBy: logId,
  };
}

/** Most log rows one connect flow writes before its connection is saved (token exchange, account lookup). */
const FLOW_ROWS_MAX = 10;

/**
 * A connect's requests are logged before its connection row is saved (a first connect
 * has none yet): once it is, they are attached to it and counted, and the summary is
 * written at once (the saving mutation writes the row anyway), so the provider page's
 * list and its 24-hour counters agree from the start. Call inside the saving mutation.
 */
export async function adoptFlowLogs(ctx: MutationCtx, connection: Doc<"connections">, correlationId: string) {
  const rows = await ctx.db
    .query("callLogs")
    .withIndex("by_orgId_and_correlationId", (q) => q.eq("orgId", connection.orgId).eq("correlationId", correlationId))
    .take(FLOW_ROWS_MAX);
  for (const row of rows) {
    if (row.connectionId !== undefined || row.providerId !== connection.providerId) continue;
    await ctx.db.patch(row._id, { connectionId: connection._id });
    await countCall(ctx, countedCall(row, connection._id, row._id), { scheduleSummary: false });
  }
  await summariseConnection(ctx, connection, Date.now());
}

/** A row as the dashboard's list shows it: no excerpts, no actor ids. */
function summary(row: Doc<"callLogs">) {
  return {
    id: row._id,
    correlationId: row.correlationId,
    providerId: row.providerId,
    purpose: row.purpose ?? "call",
    method: row.method,
    path: row.path,
    status: row.status,
    outcome: row.outcome,
    latencyMs: row.latencyMs,
    errorCode: row.errorCode ?? null,
    at: row.at,
  };
}

/** A provider's calls in this org, newest first. */
export const listForProvider = orgQuery({
  role: "member",
  args: { providerId: v.string(), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { providerId, paginationOpts }) => {
    const page = await ctx.db
      .query("callLogs")
      .withIndex("by_orgId_and_providerId_and_at", (q) => q.eq("orgId", ctx.org._id).eq("providerId", providerId))
      .order("desc")
      .paginate(paginationOpts);
    return { ...page, page: page.page.map(summary) };
  },
});

/** Most calls one correlation id can name at once (a caller may reuse its id across a workflow run). */
const CORRELATION_MATCHES_SHOWN = 20;

/**
 * The calls with this correlation id in this org, newest first, with their redacted
 * request and response excerpts. Usually one; empty when none (or another org's).
 */
export const byCorrelationId = orgQuery({
  // Admins only: the excerpts are redacted of secrets, but not of the business data
  // a response may carry, which members (read-only status) have no need to see.
  role: "admin",
  args: { correlationId: v.string() },
  handler: async (ctx, { correlationId }) => {
    const rows = await ctx.db
      .query("callLogs")
      .withIndex("by_orgId_and_correlationId", (q) => q.eq("orgId", ctx.org._id).eq("correlationId", correlationId))
      .order("desc")
      .take(CORRELATION_MATCHES_SHOWN);
    return Promise.all(rows.map((row) => detail(ctx, row)));
  },
});

async function detail(ctx: QueryCtx, row: Doc<"callLogs">) {
  return {
    ...summary(row),
    actor: await actorLabel(ctx, row.actor),
    attempts: row.attempts,
    refresh: row.refresh ?? null,
    request: row.request,
    response: row.response ?? null,
    errorMessage: row.errorMessage ?? null,
  };
}

async function actorLabel(ctx: QueryCtx, actor: Doc<"callLogs">["actor"]): Promise<string> {
  const named = actorKindLabel(actor);
  if (named !== null) return named;
  const userId = actor.id ? ctx.db.normalizeId("users", actor.id) : null;
  const user = userId ? await ctx.db.get(userId) : null;
  return user?.email ?? "a former member";
}
