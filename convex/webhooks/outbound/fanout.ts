/**
 * Fan-out: one event becomes one message per subscribed, enabled endpoint, each with
 * its first attempt scheduled at once. Reads only the subscription rows of the event's
 * three filter keys (lib/webhooks/filter.ts), so an organization's other endpoints cost
 * nothing.
 */
import { v } from "convex/values";
import { isWebhookEventType, subscriptionKeys } from "../../../lib/webhooks";
import { internalMutation } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx } from "../../_generated/server";
import { MAX_ENDPOINTS_PER_ORG } from "./model";

export const fanOut = internalMutation({
  args: { orgId: v.id("organizations"), eventType: v.string(), body: v.string() },
  handler: async (ctx, { orgId, eventType, body }) => ({ messages: await fanOutEvent(ctx, orgId, eventType, body) }),
});

/** Queues one message per subscribed, enabled endpoint; returns how many. */
export async function fanOutEvent(ctx: MutationCtx, orgId: Id<"organizations">, eventType: string, body: string): Promise<number> {
  if (!isWebhookEventType(eventType)) return 0;
  const endpointIds = new Set<Id<"webhookEndpoints">>();
  for (const filterKey of subscriptionKeys(eventType)) {
    const rows = await ctx.db
      .query("webhookSubscriptions")
      .withIndex("by_orgId_and_filterKey", (q) => q.eq("orgId", orgId).eq("filterKey", filterKey))
      .take(MAX_ENDPOINTS_PER_ORG);
    for (const row of rows) endpointIds.add(row.endpointId);
  }
  let messages = 0;
  for (const endpointId of endpointIds) {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint?.enabled) continue;
    await enqueueMessage(ctx, endpoint, eventType, body);
    messages++;
  }
  return messages;
}

/** A new message for one endpoint, its first attempt scheduled now. */
export async function enqueueMessage(
  ctx: MutationCtx,
  endpoint: Doc<"webhookEndpoints">,
  eventType: string,
  body: string,
): Promise<Id<"webhookMessages">> {
  const now = Date.now();
  const messageId = await ctx.db.insert("webhookMessages", {
    orgId: endpoint.orgId,
    endpointId: endpoint._id,
    eventType,
    body,
    status: "pending",
    attempts: 0,
    nextAttemptAt: now,
  });
  const jobId = await ctx.scheduler.runAfter(0, internal.webhooks.outbound.sender.deliver, { messageId });
  await ctx.db.patch(messageId, { jobId });
  return messageId;
}
