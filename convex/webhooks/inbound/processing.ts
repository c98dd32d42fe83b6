/**
 * Processing an accepted event, off the HTTP request (the provider got its answer
 * already): a lifecycle event turns its connection to error, a forwarded type goes out
 * to the org's webhook endpoints, and matching event-triggered workflows start. All of
 * it in one mutation (`apply`), so a failure leaves nothing half done; the action
 * around it records the failure and schedules the next attempt with backoff, and after
 * the last one the event is dead (the events page can Replay it).
 */
import { v } from "convex/values";
import { processingRetryDelayMs, forwardedType } from "../../../lib/inbound/store";
import { truncate } from "../../../lib/redact";
import { internalAction, internalMutation } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { markEndedByProvider } from "../../connections/transitions";
import { emitWebhookEvent } from "../outbound/emit";
import { startWorkflowsForEvent } from "../../workflows/events";
import { recordMissed, renewNow } from "./subscriptions";

/** The longest failure message kept on an event. */
export const PROCESSING_ERROR_MAX_BYTES = 500;

/** One processing attempt. Never throws: a failure is recorded on the event. */
export const run = internalAction({
  args: { eventId: v.id("inboundEvents") },
  handler: async (ctx, { eventId }) => {
    try {
      await ctx.runMutation(internal.webhooks.inbound.processing.apply, { eventId });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await ctx.runMutation(internal.webhooks.inbound.processing.recordFailure, { eventId, message });
    }
  },
});

/** The stored payload, parsed; null when it was cut (a truncated payload is not the provider's JSON). */
function payloadOf(event: Doc<"inboundEvents">): unknown {
  if (event.payloadTruncated) return null;
  try {
    return JSON.parse(event.payload);
  } catch {
    return null;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** What processing does, in the caller's transaction. */
async function processEvent(ctx: MutationCtx, event: Doc<"inboundEvents">) {
  const payload = payloadOf(event);
  let connectionChanged = false;
  if (event.lifecycle && event.connectionId) {
    const row = await ctx.db.get(event.connectionId);
    if (row && row.orgId === event.orgId) connectionChanged = await markEndedByProvider(ctx, row, event.lifecycle);
  }
  // Graph's other lifecycle notifications concern the subscription, not the connection:
  // reauthorizationRequired is answered by renewing at once; missed is noted (nothing here
  // resyncs the resource, there is no delta query to run).
  if (event.endpointId && event.type === "microsoft.reauthorizationRequired") await renewNow(ctx, event.endpointId);
  if (event.endpointId && event.type === "microsoft.missed") await recordMissed(ctx, event.endpointId, event.receivedAt);
  const forwardedAs = forwardedType(event.type);
  if (forwardedAs !== null && isObject(payload)) {
    await emitWebhookEvent(ctx, event.orgId, forwardedAs, {
      providerId: event.providerId,
      deliveryId: event.deliveryId ?? event._id,
      payload,
    });
  }
  const runs = await startWorkflowsForEvent(ctx, {
    orgId: event.orgId,
    eventId: event._id,
    providerId: event.providerId,
    connectionId: event.connectionId ?? null,
    type: event.type,
    receivedAt: event.receivedAt,
    payload,
  });
  return { workflowRuns: runs.length, connectionChanged, ...(forwardedAs !== null && isObject(payload) ? { forwardedAs } : {}) };
}

/** Processes a pending (or retrying) event; anything else was done or given up already. */
export const apply = internalMutation({
  args: { eventId: v.id("inboundEvents") },
  handler: async (ctx, { eventId }) => {
    const event = await ctx.db.get(eventId);
    if (!event || (event.status !== "pending" && event.status !== "failed")) return;
    // An organization being deleted gets no more work done for it.
    const org = await ctx.db.get(event.orgId);
    if (!org || org.deletedAt !== undefined) return;
    const outcome = await processEvent(ctx, event);
    await ctx.db.patch(eventId, {
      status: "processed",
      attempts: event.attempts + 1,
      processedAt: Date.now(),
      outcome,
      lastError: undefined,
      nextAttemptAt: undefined,
      jobId: undefined,
    });
  },
});

/** An attempt failed: try again after the schedule's wait, or dead-letter after the last. */
export const recordFailure = internalMutation({
  args: { eventId: v.id("inboundEvents"), message: v.string() },
  handler: async (ctx, { eventId, message }) => {
    const event = await ctx.db.get(eventId);
    if (!event || (event.status !== "pending" && event.status !== "failed")) return;
    const attempts = event.attempts + 1;
    const lastError = truncate(message, PROCESSING_ERROR_MAX_BYTES);
    const delay = processingRetryDelayMs(attempts, event.attemptLimit);
    if (delay === null) {
      await ctx.db.patch(eventId, { status: "dead", attempts, lastError, nextAttemptAt: undefined, jobId: undefined });
      return;
    }
    const jobId = await ctx.scheduler.runAfter(delay, internal.webhooks.inbound.processing.run, { eventId });
    await ctx.db.patch(eventId, { status: "failed", attempts, lastError, nextAttemptAt: Date.now() + delay, jobId });
  },
});
