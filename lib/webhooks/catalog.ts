/**
 * The outbound webhook event catalog, as data: every event type Switchboard sends,
 * with its version, what it means, and a zod schema of its `data`. The JSON Schema
 * published for receivers is generated from the same schemas (`eventJsonSchemas`).
 *
 * A delivery's body is `{ type, timestamp, data }` (`WebhookPayload`), kept small:
 * ids and short strings, never a secret or a provider's whole response.
 */
import { z } from "zod";

const providerId = z.string().describe("The provider's id in the catalog, such as github or slack.");

const connection = {
  providerId,
  accountName: z.string().nullable().describe("The connected account's name at the provider, when known."),
};

/** Every event type with its version, description and the schema of its `data`. */
export const WEBHOOK_EVENTS = {
  "connection.connected": {
    version: 1,
    description: "A provider was connected or reconnected.",
    data: z.object(connection),
  },
  "connection.error": {
    version: 1,
    description: "A connection stopped working and needs attention; `reason` says why.",
    data: z.object({ ...connection, reason: z.string(), message: z.string().nullable() }),
  },
  "connection.disconnected": {
    version: 1,
    description: "A connection was disconnected and its credentials deleted.",
    data: z.object(connection),
  },
  "connection.revocation_failed": {
    version: 1,
    description: "After a disconnect, the provider did not revoke the grant; revoke it there by hand.",
    data: z.object({ ...connection, message: z.string() }),
  },
  "action.succeeded": {
    version: 1,
    description: "A provider action ran and the provider accepted it.",
    data: z.object({ actionId: z.string(), providerId, correlationId: z.string() }),
  },
  "action.failed": {
    version: 1,
    description: "A provider action failed; `code` is one of the step contract's error codes.",
    data: z.object({
      actionId: z.string(),
      providerId,
      correlationId: z.string(),
      code: z.string(),
      message: z.string(),
      retryable: z.boolean(),
    }),
  },
  "workflow.run.completed": {
    version: 1,
    description: "Every step of a workflow run succeeded.",
    data: z.object({ workflowId: z.string(), workflowName: z.string(), runId: z.string() }),
  },
  "workflow.run.failed": {
    version: 1,
    description: "A workflow run ended with a failed step.",
    data: z.object({ workflowId: z.string(), workflowName: z.string(), runId: z.string(), failedStep: z.string().nullable() }),
  },
  "github.issues.opened": {
    version: 1,
    description: "Forwarded from GitHub's inbound webhook: an issue was opened.",
    data: z.object({ providerId, deliveryId: z.string(), payload: z.record(z.string(), z.unknown()) }),
  },
  "github.pull_request.opened": {
    version: 1,
    description: "Forwarded from GitHub's inbound webhook: a pull request was opened.",
    data: z.object({ providerId, deliveryId: z.string(), payload: z.record(z.string(), z.unknown()) }),
  },
  "slack.message.posted": {
    version: 1,
    description: "Forwarded from Slack's Events API: a message was posted in a channel the app is in.",
    data: z.object({ providerId, deliveryId: z.string(), payload: z.record(z.string(), z.unknown()) }),
  },
  "linear.issue.created": {
    version: 1,
    description: "Forwarded from Linear's webhook: an issue was created.",
    data: z.object({ providerId, deliveryId: z.string(), payload: z.record(z.string(), z.unknown()) }),
  },
  "endpoint.disabled": {
    version: 1,
    description: "A webhook endpoint was turned off: it answered 410 Gone, or every delivery failed for 5 days.",
    data: z.object({
      endpointId: z.string(),
      url: z.string(),
      reason: z.enum(["gone", "failing"]),
      failingSince: z.string().nullable(),
    }),
  },
  "endpoint.test": {
    version: 1,
    description: "Sent by Send test event, to one endpoint, whatever its filter.",
    data: z.object({ endpointId: z.string(), message: z.string() }),
  },
} as const satisfies Record<string, { version: number; description: string; data: z.ZodType }>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export type WebhookEventData<T extends WebhookEventType> = z.infer<(typeof WEBHOOK_EVENTS)[T]["data"]>;

/** Every event type, in catalog order. */
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];

/** The body of every delivery. `timestamp` is when the event happened (ISO 8601). */
export type WebhookPayload = { type: WebhookEventType; timestamp: string; data: Record<string, unknown> };

/** True for a type in the catalog. */
export function isWebhookEventType(type: string): type is WebhookEventType {
  return Object.hasOwn(WEBHOOK_EVENTS, type);
}

/** A type's group: its first dot-separated part (`github` of `github.issues.opened`). */
export function eventGroup(type: string): string {
  return type.split(".")[0]!;
}

/** The groups that have more than one type, which a filter may name as `<group>.*`. */
export const WILDCARD_GROUPS: readonly string[] = [...new Set(WEBHOOK_EVENT_TYPES.map(eventGroup))].filter(
  (group) => WEBHOOK_EVENT_TYPES.filter((type) => eventGroup(type) === group).length > 1,
);

/**
 * The delivery body of an event, or an error naming what does not fit the catalog.
 * @example buildPayload("action.succeeded", { actionId: "slack.post_message", providerId: "slack", correlationId: "c" }, 0)
 */
export function buildPayload(
  type: string,
  data: unknown,
  timestampMs: number,
): { ok: true; payload: WebhookPayload } | { ok: false; message: string } {
  if (!isWebhookEventType(type)) return { ok: false, message: `There is no webhook event type "${type}".` };
  const parsed = WEBHOOK_EVENTS[type].data.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: `The data of ${type} does not fit its schema at ${issue.path.join(".") || "(root)"}: ${issue.message}` };
  }
  return { ok: true, payload: { type, timestamp: new Date(timestampMs).toISOString(), data: parsed.data as Record<string, unknown> } };
}

/** The catalog as receivers read it: each type's version, description and JSON Schema of `data`. */
export function eventJsonSchemas(): Array<{ type: WebhookEventType; version: number; description: string; schema: unknown }> {
  return WEBHOOK_EVENT_TYPES.map((type) => {
    const entry = WEBHOOK_EVENTS[type];
    return { type, version: entry.version, description: entry.description, schema: z.toJSONSchema(entry.data) };
  });
}
