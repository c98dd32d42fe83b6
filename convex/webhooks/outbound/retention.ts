/**
 * Delivery log retention: messages and their attempts older than
 * WEBHOOK_LOG_RETENTION_DAYS are deleted by a daily cron, oldest first through the
 * creation-time index, a page per transaction, each page scheduling the next. A message
 * still being retried is kept whatever its age (the schedule ends within about a day).
 */
import { v } from "convex/values";
import { internalMutation } from "../../functions";
import { internal } from "../../_generated/api";

/** How long the delivery log keeps a message (Recover reaches back at most this far). */
export const WEBHOOK_LOG_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;
const MESSAGES_PER_PAGE = 100;

export const purge = internalMutation({
  args: { cursor: v.optional(v.union(v.string(), v.null())) },
  handler: async (ctx, { cursor }) => {
    const cutoff = Date.now() - WEBHOOK_LOG_RETENTION_DAYS * DAY_MS;
    const page = await ctx.db
      .query("webhookMessages")
      .withIndex("by_creation_time", (q) => q.lt("_creationTime", cutoff))
      .paginate({ cursor: cursor ?? null, numItems: MESSAGES_PER_PAGE });
    let deleted = 0;
    for (const message of page.page) {
      if (message.status === "pending") continue;
      // A message has at most a few dozen attempts (eight, plus replays).
      const attempts = await ctx.db.query("webhookAttempts").withIndex("by_messageId", (q) => q.eq("messageId", message._id)).take(200);
      for (const attempt of attempts) await ctx.db.delete(attempt._id);
      await ctx.db.delete(message._id);
      deleted += 1;
    }
    if (!page.isDone) await ctx.scheduler.runAfter(0, internal.webhooks.outbound.retention.purge, { cursor: page.continueCursor });
    return { deleted, done: page.isDone };
  },
});
