/**
 * Event triggers, backend: after an inbound event is stored, the inbound processing
 * calls `startWorkflowsForEvent` in its own mutation, and every enabled workflow of the
 * org whose event trigger takes the event (lib/workflows/event-trigger.ts) starts a run
 * with the event as its trigger data. Helpers, not a function module.
 *
 * Finding the workflows: the `by_orgId_and_eventType_and_enabled` index on
 * `trigger.eventType`, looked up once for each pattern that can take the event's type
 * (`github.issues.opened`, `github.issues.*`, `github.*`). Reading all of an org's
 * workflows instead would cost up to 100 documents of up to 64 KB each on every event;
 * this reads only the workflows that take the type (manual and schedule ones have no
 * `trigger.eventType`, and the index leaves out disabled ones), and the filters are
 * checked on those.
 *
 * Every matching event starts a run, even while an earlier run of the workflow is under
 * way (unlike a schedule, each event is its own work). Runs are started by
 * `EVENT_ACTOR` and, like scheduled runs, not audited one by one.
 */
import { eventRunInput, eventTriggerMatches, eventTypePatterns } from "../../lib/workflows";
import type { Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import type { Actor } from "../shared/validators";
import { RUN_INPUT_MAX_BYTES, startRun, WORKFLOWS_PER_ORG_MAX } from "./model";

/** Who starts a run for an event. */
export const EVENT_ACTOR: Actor = { kind: "system", label: "Event" };

export type InboundEventForWorkflows = {
  orgId: Id<"organizations">;
  eventId: string;
  providerId: string;
  connectionId: string | null;
  /** Normalized: `github.issues.opened`, `slack.message`, `webhook.<type>` (lib/inbound/events.ts). */
  type: string;
  /** When Switchboard received it, ms since the epoch. */
  receivedAt: number;
  /** Parsed JSON, or null when the stored payload was truncated. */
  payload: unknown;
};

/**
 * Starts a run of every enabled event-triggered workflow of the org whose trigger
 * matches; returns the run ids. Inside the caller's mutation.
 *
 * The run's trigger data is `{ eventId, type, providerId, connectionId, receivedAt,
 * payload }`. Filters are checked on the whole payload; when the event is larger than a
 * run's input may be (RUN_INPUT_MAX_BYTES) or cannot be stored, the run still starts,
 * with `payload: null` and a `payloadNote`: it shows in the workflow's history with the
 * event's id, where a skipped event would be seen by nobody, and a step that reads the
 * payload fails saying so.
 */
export async function startWorkflowsForEvent(ctx: MutationCtx, event: InboundEventForWorkflows): Promise<Id<"workflowRuns">[]> {
  const runIds: Id<"workflowRuns">[] = [];
  let input: Record<string, unknown> | undefined;
  for (const pattern of eventTypePatterns(event.type)) {
    // At most the org's cap in all: each workflow has one pattern, so it is under one lookup.
    const workflows = await ctx.db
      .query("workflows")
      .withIndex("by_orgId_and_eventType_and_enabled", (q) => q.eq("orgId", event.orgId).eq("trigger.eventType", pattern).eq("enabled", true))
      .take(WORKFLOWS_PER_ORG_MAX);
    for (const workflow of workflows) {
      if (workflow.trigger.kind !== "event" || !eventTriggerMatches(workflow.trigger, event)) continue;
      input ??= eventRunInput(event, RUN_INPUT_MAX_BYTES);
      runIds.push(await startRun(ctx, workflow, { kind: "event", input, actor: EVENT_ACTOR }));
    }
  }
  return runIds;
}
