/**
 * The one way an event leaves Switchboard as webhooks. Callers (connection changes,
 * action runs, workflow runs, the delivery machinery itself, and later inbound webhook
 * processing for the forwarded provider events) call `emitWebhookEvent` where the thing
 * happened; it builds the body and schedules the fan-out, so the caller pays one
 * scheduler write and never fails because of webhooks. Inside a mutation the fan-out
 * commits (or not) with the change it reports. Helpers; not a function module.
 */
import { buildPayload, type WebhookEventData, type WebhookEventType } from "../../../lib/webhooks";
import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { Scheduler } from "convex/server";

/**
 * Schedules delivery of an event of `type` to every endpoint of `orgId` subscribed to it.
 * A body that does not fit the catalog is a bug in the caller: it is logged (never the
 * data) and dropped, so the change that happened still commits.
 */
export async function emitWebhookEvent<T extends WebhookEventType>(
  ctx: { scheduler: Scheduler },
  orgId: Id<"organizations">,
  type: T,
  data: WebhookEventData<T>,
): Promise<void> {
  const built = buildPayload(type, data, Date.now());
  if (!built.ok) {
    console.error(`Webhook event dropped: ${built.message}`);
    return;
  }
  try {
    await ctx.scheduler.runAfter(0, internal.webhooks.outbound.fanout.fanOut, {
      orgId,
      eventType: type,
      body: JSON.stringify(built.payload),
    });
  } catch (error) {
    // In an action the change already happened; losing its webhook must not undo it.
    console.error(`Webhook event ${type} could not be scheduled: ${String(error)}`);
  }
}
