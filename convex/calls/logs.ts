/**
 * Call logs: one row per provider call, written by the pipeline together with the
 * connection's counters, and read by the dashboard a provider at a time or by
 * correlation id. Rows are redacted before they are written (lib/pipeline/call-log.ts);
 * the queries still return only what a member needs.
 */
import { paginationOptsValidator } from "convex/server";
import { v, type Infer } from "convex/values";
import { addCall } from "../../lib/pipeline";
import { internalMutation, orgQuery } from "../functions";
import type { Doc } from "../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../_generated/server";
import { callLogFields } from "./validators";

const callLogRowValidator = v.object(callLogFields);
export type CallLogRow = Infer<typeof callLogRowValidator>;

/**
 * Writes a log row and moves its connection's counters, in one transaction. Every
 * request to the provider counts; only a call that was sent is "use" (`lastUsedAt`):
 * Switchboard's own checks and refreshes are not, and a refused call never left.
 */
export const record = internalMutation({
  args: callLogRowValidator.fields,
  handler: async (ctx, row) => {
    await ctx.db.insert("callLogs", row);
    const connection = row.connectionId ? await ctx.db.get(row.connectionId) : null;
    if (!connection) return null;
    await ctx.db.patch(connection._id, {
      callBuckets: addCall(connection.callBuckets ?? [], row.at, row.outcome !== "ok"),
      ...((row.purpose ?? "call") === "call" && row.attempts > 0 ? { lastUsedAt: row.at } : {}),
    });
    return null;
  },
});

/** Most log rows one connect flow writes before its connection is saved (token exchange, account lookup). */
const FLOW_ROWS_MAX = 10;

/**
 * A connect's requests are logged before its connection row is saved (a first connect
 * has none yet): once it is, they are attached to it and counted, so the provider
 * page's list and its 24-hour counters agree. Call inside the saving mutation.
 */
export async function adoptFlowLogs(ctx: MutationCtx, connection: Doc<"connections">, correlationId: string) {
  const rows = await ctx.db
    .query("callLogs")
    .withIndex("by_orgId_and_correlationId", (q) => q.eq("orgId", connection.orgId).eq("correlationId", correlationId))
    .take(FLOW_ROWS_MAX);
  let buckets = connection.callBuckets ?? [];
  for (const row of rows) {
    if (row.connectionId !== undefined || row.providerId !== connection.providerId) continue;
    await ctx.db.patch(row._id, { connectionId: connection._id });
    buckets = addCall(buckets, row.at, row.outcome !== "ok");
  }
  await ctx.db.patch(connection._id, { callBuckets: buckets });
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
  if (actor.kind === "system") return actor.label ?? "Switchboard";
  if (actor.kind === "apiKey") return actor.label ?? "API key";
  const userId = actor.id ? ctx.db.normalizeId("users", actor.id) : null;
  const user = userId ? await ctx.db.get(userId) : null;
  return user?.email ?? "a former member";
}
