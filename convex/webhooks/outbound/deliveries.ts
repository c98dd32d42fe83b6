/**
 * Messages and attempts: what the delivery log shows (members read it), what follows
 * each attempt, and the admin's Replay (one message) and Recover (every failed message
 * since a time).
 */
import { paginationOptsValidator } from "convex/server";
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../../lib/errors";
import { decideAfterAttempt, type AttemptDecision, type AttemptEnding } from "../../../lib/webhooks";
import { attemptOutcome } from "../../../lib/webhooks";
import { recordAudit, userActor } from "../../audit/record";
import { internalMutation, internalQuery, orgMutation, orgQuery } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { DELIVERY_ACTOR, endpointOfOrg, setEndpointEnabled } from "./model";

/** Attempts shown with each message in the log (a message has 8, plus replays). */
const ATTEMPTS_PER_MESSAGE = 20;
/** Failed messages Recover re-queues per transaction. */
const RECOVER_BATCH = 100;

const endingValidator = v.union(
  v.object({ kind: v.literal("response"), status: v.number(), retryAfterSeconds: v.optional(v.number()) }),
  v.object({ kind: v.literal("timeout") }),
  v.object({ kind: v.literal("network_error"), message: v.string() }),
  v.object({ kind: v.literal("refused"), message: v.string() }),
);

export const forDelivery = internalQuery({
  args: { messageId: v.id("webhookMessages") },
  handler: async (ctx, { messageId }) => {
    const message = await ctx.db.get(messageId);
    if (!message || message.status !== "pending") return null;
    const endpoint = await ctx.db.get(message.endpointId);
    // A disabled endpoint's pending messages wait as they are; recordAttempt is not called.
    if (!endpoint?.enabled) return null;
    return { message, endpoint };
  },
});

export const recordAttempt = internalMutation({
  args: {
    messageId: v.id("webhookMessages"),
    attempt: v.number(),
    at: v.number(),
    ending: endingValidator,
    latencyMs: v.number(),
    responseExcerpt: v.optional(v.string()),
  },
  handler: async (ctx, args) => {
    const message = await ctx.db.get(args.messageId);
    // A replay or a second job may have moved on: an attempt that is not the next one is dropped.
    if (!message || message.status !== "pending" || message.attempts + 1 !== args.attempt) return null;
    const endpoint = await ctx.db.get(message.endpointId);
    if (!endpoint) return null;
    const ending = args.ending as AttemptEnding;
    await ctx.db.insert("webhookAttempts", {
      orgId: message.orgId,
      endpointId: endpoint._id,
      messageId: message._id,
      attempt: args.attempt,
      at: args.at,
      outcome: attemptOutcome(ending),
      ...(ending.kind === "response" ? { status: ending.status } : {}),
      latencyMs: args.latencyMs,
      ...(args.responseExcerpt ? { responseExcerpt: args.responseExcerpt } : {}),
      ...(ending.kind === "network_error" || ending.kind === "refused" ? { error: ending.message } : {}),
    });
    const now = Date.now();
    const decision = decideAfterAttempt({ attempt: args.attempt, ending, now, failingSince: endpoint.failingSince, random: Math.random });
    await applyToMessage(ctx, message, args.attempt, args.at, decision.message);
    await applyToEndpoint(ctx, endpoint, decision.endpoint, failureSentence(ending), now);
    return null;
  },
});

async function applyToMessage(
  ctx: MutationCtx,
  message: Doc<"webhookMessages">,
  attempt: number,
  at: number,
  next: AttemptDecision["message"],
) {
  const base = { attempts: attempt, lastAttemptAt: at };
  switch (next.kind) {
    case "delivered":
      await ctx.db.patch(message._id, { ...base, status: "delivered", deliveredAt: at, nextAttemptAt: undefined, jobId: undefined });
      return;
    case "failed":
      await ctx.db.patch(message._id, { ...base, status: "failed", nextAttemptAt: undefined, jobId: undefined });
      return;
    case "retry": {
      const jobId = await ctx.scheduler.runAfter(next.delayMs, internal.webhooks.outbound.sender.deliver, { messageId: message._id });
      await ctx.db.patch(message._id, { ...base, nextAttemptAt: Date.now() + next.delayMs, jobId });
      return;
    }
    default:
      next satisfies never;
  }
}

async function applyToEndpoint(
  ctx: MutationCtx,
  endpoint: Doc<"webhookEndpoints">,
  next: AttemptDecision["endpoint"],
  failure: string,
  now: number,
) {
  switch (next.kind) {
    case "healthy":
      await ctx.db.patch(endpoint._id, { failingSince: undefined, lastSuccessAt: now });
      return;
    case "failing":
      await ctx.db.patch(endpoint._id, { failingSince: next.since, lastFailureAt: now, lastFailure: failure });
      return;
    case "disable": {
      await ctx.db.patch(endpoint._id, { failingSince: next.since, lastFailureAt: now, lastFailure: failure });
      await setEndpointEnabled(ctx, (await ctx.db.get(endpoint._id))!, DELIVERY_ACTOR, { enabled: false, reason: next.reason });
      return;
    }
    default:
      next satisfies never;
  }
}

/** The log's sentence for a failed attempt; never a secret (the sender's messages name hosts and addresses only). */
function failureSentence(ending: AttemptEnding): string {
  switch (ending.kind) {
    case "response":
      return ending.status >= 300 && ending.status < 400
        ? `Answered ${ending.status} (a redirect; webhooks do not follow them).`
        : `Answered HTTP ${ending.status}.`;
    case "timeout":
      return "No complete answer within 15 seconds.";
    case "network_error":
    case "refused":
      return ending.message;
    default:
      return ending satisfies never;
  }
}

/** One endpoint's messages, newest first, each with its attempts. */
export const listMessages = orgQuery({
  role: "member",
  args: { endpointId: v.id("webhookEndpoints"), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { endpointId, paginationOpts }) => {
    const endpoint = await endpointOfOrg(ctx, ctx.org._id, endpointId);
    const page = await ctx.db
      .query("webhookMessages")
      .withIndex("by_endpointId", (q) => q.eq("endpointId", endpoint._id))
      .order("desc")
      .paginate(paginationOpts);
    return {
      ...page,
      page: await Promise.all(
        page.page.map(async (message) => ({
          id: message._id,
          webhookId: `msg_${message._id}`,
          eventType: message.eventType,
          createdAt: message._creationTime,
          status: message.status,
          attempts: message.attempts,
          nextAttemptAt: message.status === "pending" ? (message.nextAttemptAt ?? null) : null,
          attemptLog: (
            await ctx.db
              .query("webhookAttempts")
              .withIndex("by_messageId", (q) => q.eq("messageId", message._id))
              .order("desc")
              .take(ATTEMPTS_PER_MESSAGE)
          ).map((row) => ({
            id: row._id,
            attempt: row.attempt,
            at: row.at,
            outcome: row.outcome,
            status: row.status ?? null,
            latencyMs: row.latencyMs,
            responseExcerpt: row.responseExcerpt ?? null,
            error: row.error ?? null,
          })),
        })),
      ),
    };
  },
});

/** Sends one message again now, whatever its state; a pending retry is replaced. */
export const replay = orgMutation({
  role: "admin",
  args: { messageId: v.id("webhookMessages") },
  handler: async (ctx, { messageId }) => {
    const message = await ctx.db.get(messageId);
    if (!message || message.orgId !== ctx.org._id) {
      throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This message does not exist." });
    }
    const endpoint = await endpointOfOrg(ctx, ctx.org._id, message.endpointId);
    if (!endpoint.enabled) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "Turn the endpoint on before replaying messages to it." });
    }
    await requeue(ctx, message);
    return null;
  },
});

/** Re-queues a message for an attempt now; the attempt count goes on, so the log stays in order. */
async function requeue(ctx: MutationCtx, message: Doc<"webhookMessages">) {
  if (message.jobId) await ctx.scheduler.cancel(message.jobId);
  const jobId = await ctx.scheduler.runAfter(0, internal.webhooks.outbound.sender.deliver, { messageId: message._id });
  await ctx.db.patch(message._id, { status: "pending", nextAttemptAt: Date.now(), jobId, deliveredAt: undefined });
}

/** Re-sends every message to the endpoint that failed since `since` (ms since the epoch). */
export const recover = orgMutation({
  role: "admin",
  args: { endpointId: v.id("webhookEndpoints"), since: v.number() },
  handler: async (ctx, { endpointId, since }) => {
    const endpoint = await endpointOfOrg(ctx, ctx.org._id, endpointId);
    if (!endpoint.enabled) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "Turn the endpoint on before recovering messages to it." });
    }
    if (!Number.isFinite(since) || since > Date.now()) {
      throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: "Choose a time in the past to recover from.", field: "since" });
    }
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "webhook.messages_recovered",
      subject: endpoint.url,
      details: { since: new Date(since).toISOString() },
    });
    await recoverBatchOf(ctx, endpoint._id, since);
    return null;
  },
});

export const recoverBatch = internalMutation({
  args: { endpointId: v.id("webhookEndpoints"), since: v.number() },
  handler: async (ctx, { endpointId, since }) => {
    await recoverBatchOf(ctx, endpointId, since);
    return null;
  },
});

/** Re-queues up to a batch of failed messages since `since`; a follow-up job takes the rest. */
async function recoverBatchOf(ctx: MutationCtx, endpointId: Id<"webhookEndpoints">, since: number) {
  const failed = await ctx.db
    .query("webhookMessages")
    .withIndex("by_endpointId_and_status", (q) => q.eq("endpointId", endpointId).eq("status", "failed").gte("_creationTime", since))
    .take(RECOVER_BATCH);
  for (const message of failed) await requeue(ctx, message);
  // Requeued messages left the "failed" range, so the next batch starts at the beginning again.
  if (failed.length === RECOVER_BATCH) await ctx.scheduler.runAfter(0, internal.webhooks.outbound.deliveries.recoverBatch, { endpointId, since });
}

/** Deletes a removed endpoint's messages and attempts, a batch per transaction. */
export const purgeEndpoint = internalMutation({
  args: { endpointId: v.id("webhookEndpoints") },
  handler: async (ctx, { endpointId }) => {
    const messages = await ctx.db.query("webhookMessages").withIndex("by_endpointId", (q) => q.eq("endpointId", endpointId)).take(50);
    for (const message of messages) {
      if (message.jobId) await ctx.scheduler.cancel(message.jobId);
      const attempts = await ctx.db.query("webhookAttempts").withIndex("by_messageId", (q) => q.eq("messageId", message._id)).take(100);
      for (const attempt of attempts) await ctx.db.delete(attempt._id);
      if (attempts.length < 100) await ctx.db.delete(message._id);
    }
    if (messages.length > 0) await ctx.scheduler.runAfter(0, internal.webhooks.outbound.deliveries.purgeEndpoint, { endpointId });
    return null;
  },
});

/**
 * After an endpoint is turned on again: its pending messages whose job ran while it was
 * off (and so did nothing) get an attempt now; ones still waiting for a retry keep it.
 */
export const resumePending = internalMutation({
  args: { endpointId: v.id("webhookEndpoints"), cursor: v.union(v.string(), v.null()) },
  handler: async (ctx, { endpointId, cursor }) => {
    const page = await ctx.db
      .query("webhookMessages")
      .withIndex("by_endpointId_and_status", (q) => q.eq("endpointId", endpointId).eq("status", "pending"))
      .paginate({ numItems: RECOVER_BATCH, cursor });
    for (const message of page.page) {
      const job = message.jobId ? await ctx.db.system.get(message.jobId) : null;
      if (job?.state.kind === "pending" || job?.state.kind === "inProgress") continue;
      await requeue(ctx, message);
    }
    if (!page.isDone) {
      await ctx.scheduler.runAfter(0, internal.webhooks.outbound.deliveries.resumePending, { endpointId, cursor: page.continueCursor });
    }
    return null;
  },
});
