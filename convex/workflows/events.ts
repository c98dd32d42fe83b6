/**
 * Event-triggered workflows: placeholder until the "when an event arrives" trigger
 * lands; processing (convex/webhooks/inbound/processing.ts) already calls it.
 */
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";

export type InboundEventForWorkflows = {
  orgId: Id<"organizations">;
  eventId: string;
  providerId: string;
  connectionId: string | null;
  type: string;
  receivedAt: number;
  /** Parsed JSON, or null when the stored payload was truncated. */
  payload: unknown;
};

/** Starts a run of every enabled event-triggered workflow whose trigger matches; the run ids. */
export async function startWorkflowsForEvent(_ctx: MutationCtx, _event: InboundEventForWorkflows): Promise<Id<"workflowRuns">[]> {
  return [];
}
