/**
 * The events page's functions: the live list (members read, filtered by provider, type
 * and status), one event's detail (redacted headers, payload, verification, attempts,
 * error, what processing did), and the admin's Replay. Also the retention purge and the
 * sweep that restarts processing whose job died.
 */
import { paginationOptsValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../../lib/errors";
import { retentionCutoff } from "../../calls/retention";
import { recordAudit, userActor } from "../../audit/record";
import { cancelPendingJob } from "../../connections/maintenance";
import { internalMutation, orgMutation, orgQuery } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";
import { inboundEventStatusValidator } from "./tables";

/** Events per page of the list. */
export const EVENTS_PER_PAGE_MAX = 50;
/** Rows deleted per retention transaction. */
export const EVENT_RETENTION_BATCH = 200;
/** Processing that has not reported this long after it was due is started again. */
export const STALLED_PROCESSING_MS = 10 * 60_000;
const STALLED_BATCH = 100;

/** One row of the list: no payload or headers (the detail has them). The public API's rows are these too. */
export function eventSummary(event: Doc<"inboundEvents">) {
  return {
    _id: event._id,
    providerId: event.providerId,
    type: event.type,
    deliveryId: event.deliveryId ?? null,
    status: event.status,
    attempts: event.attempts,
    receivedAt: event.receivedAt,
    processedAt: event.processedAt ?? null,
    nextAttemptAt: event.nextAttemptAt ?? null,
    lastError: event.lastError ?? null,
    lifecycle: event.lifecycle ?? null,
  };
}

export type InboundEventSummary = ReturnType<typeof eventSummary>;

const filterValidator = v.object({
  providerId: v.optional(v.string()),
  type: v.optional(v.string()),
  status: v.optional(inboundEventStatusValidator),
});

/**
 * The org's events, newest first. One filter picks the index (status, then type, then
 * provider); the others are applied to that page, so a page can come back short.
 */
export const list = orgQuery({
  role: "member",
  args: { filter: filterValidator, paginationOpts: paginationOptsValidator },
  handler: async (ctx, { filter, paginationOpts }) => {
    const orgId = ctx.org._id;
    const opts = { ...paginationOpts, numItems: Math.min(paginationOpts.numItems, EVENTS_PER_PAGE_MAX) };
    const { status, type, providerId } = filter;
    const base = ctx.db.query("inboundEvents");
    const indexed =
      status !== undefined
        ? base.withIndex("by_orgId_and_status_and_receivedAt", (q) => q.eq("orgId", orgId).eq("status", status))
        : type !== undefined
          ? base.withIndex("by_orgId_and_type_and_receivedAt", (q) => q.eq("orgId", orgId).eq("type", type))
          : providerId !== undefined
            ? base.withIndex("by_orgId_and_providerId_and_receivedAt", (q) => q.eq("orgId", orgId).eq("providerId", providerId))
            : base.withIndex("by_orgId_and_receivedAt", (q) => q.eq("orgId", orgId));
    const result = await indexed.order("desc").paginate(opts);
    const keep = (e: Doc<"inboundEvents">) =>
      (type === undefined || e.type === type) && (providerId === undefined || e.providerId === providerId);
    return { ...result, page: result.page.filter(keep).map(eventSummary) };
  },
});

async function eventOfOrg(ctx: QueryCtx, orgId: Id<"organizations">, eventId: Id<"inboundEvents">): Promise<Doc<"inboundEvents">> {
  const event = await ctx.db.get(eventId);
  if (!event || event.orgId !== orgId) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This event does not exist." });
  return event;
}

/**
 * One event in full: its redacted headers and payload, how it was verified, what
 * processing did. Null when it is not the org's (or no longer kept: an open detail
 * outlives a retention purge).
 */
export const get = orgQuery({
  role: "member",
  args: { eventId: v.id("inboundEvents") },
  handler: async (ctx, { eventId }) => {
    const event = await ctx.db.get(eventId);
    if (!event || event.orgId !== ctx.org._id) return null;
    const endpoint = event.endpointId ? await ctx.db.get(event.endpointId) : null;
    return {
      ...eventSummary(event),
      verification: event.verification,
      headers: event.headers,
      payload: event.payload,
      payloadBytes: event.payloadBytes,
      payloadTruncated: event.payloadTruncated,
      outcome: event.outcome ?? null,
      replays: event.replays ?? 0,
      endpoint: endpoint ? { description: endpoint.description } : null,
      connectionId: event.connectionId ?? null,
    };
  },
});

/**
 * Runs processing once more (one attempt, no retries after it), whatever the event's
 * status: a dead event after its cause was fixed, or a processed one to run its
 * workflows again. A retry already waiting is replaced by it.
 */
export const replay = orgMutation({
  role: "admin",
  args: { eventId: v.id("inboundEvents") },
  handler: async (ctx, { eventId }) => {
    const event = await eventOfOrg(ctx, ctx.org._id, eventId);
    if (event.status === "pending") {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "This event is being processed; replay it once it is done." });
    }
    await cancelPendingJob(ctx, event.jobId);
    const jobId = await ctx.scheduler.runAfter(0, internal.webhooks.inbound.processing.run, { eventId });
    await ctx.db.patch(eventId, {
      status: "pending",
      attemptLimit: event.attempts + 1,
      replays: (event.replays ?? 0) + 1,
      nextAttemptAt: Date.now(),
      jobId,
    });
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "inbound.event_replayed",
      providerId: event.providerId,
      subject: event.type,
    });
    return null;
  },
});

/** Deletes one batch of events older than the call-log retention; schedules itself again while there are more. */
export const purge = internalMutation({
  args: {},
  handler: async (ctx) => {
    const cutoff = retentionCutoff(Date.now());
    const expired = await ctx.db
      .query("inboundEvents")
      .withIndex("by_receivedAt", (q) => q.lt("receivedAt", cutoff))
      .take(EVENT_RETENTION_BATCH);
    for (const event of expired) {
      await cancelPendingJob(ctx, event.jobId);
      await ctx.db.delete(event._id);
    }
    if (expired.length === EVENT_RETENTION_BATCH) await ctx.scheduler.runAfter(0, internal.webhooks.inbound.events.purge, {});
    return { deleted: expired.length };
  },
});

/**
 * Events whose processing job died without reporting (its action crashed): pending or
 * retrying past their time, with no job still waiting. Each gets a new attempt.
 */
export const restartStalled = internalMutation({
  args: {},
  handler: async (ctx) => {
    const now = Date.now();
    let restarted = 0;
    for (const status of ["pending", "failed"] as const) {
      const due = await ctx.db
        .query("inboundEvents")
        .withIndex("by_status_and_nextAttemptAt", (q) => q.eq("status", status).lt("nextAttemptAt", now - STALLED_PROCESSING_MS))
        .take(STALLED_BATCH);
      for (const event of due) {
        const job = event.jobId ? await ctx.db.system.get(event.jobId) : null;
        if (job && (job.state.kind === "pending" || job.state.kind === "inProgress")) continue;
        const jobId = await ctx.scheduler.runAfter(0, internal.webhooks.inbound.processing.run, { eventId: event._id });
        await ctx.db.patch(event._id, { jobId, nextAttemptAt: now });
        restarted++;
      }
    }
    return { restarted };
  },
});
