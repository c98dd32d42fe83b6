/**
 * The zod schemas of the public API's requests and answers. The routes validate with
 * them and the OpenAPI document is generated from them (./openapi.ts), so the two
 * cannot drift. Every named schema is registered in `apiSchemas` and appears under
 * `components.schemas`. Field names are snake_case; times are ISO 8601 UTC.
 */
import { z } from "zod";
import { CONNECTION_STATUSES } from "../integrations/status";
import { apiSchemas } from "./registry";
import { RUN_STATUSES, STEP_STATUSES } from "../workflows/run";

export { apiSchemas };

const isoTime = z.iso.datetime();

/** A page of a list: `next_cursor` is null on the last page; pass it back as `cursor`. */
function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({ data: z.array(item), next_cursor: z.string().nullable() })
    .register(apiSchemas, { id, description: "One page; pass `next_cursor` back as `cursor` for the next, until it is null." });
}

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Items per page, 1 to 100."),
  cursor: z.string().max(200).optional().describe("`next_cursor` of the previous page."),
});

export const connectionSchema = z
  .object({
    provider_id: z.string(),
    display_name: z.string(),
    status: z.enum(CONNECTION_STATUSES),
    status_reason: z.string().nullable(),
    account_name: z.string().nullable(),
    scopes: z.array(z.string()),
    connected_at: isoTime,
    last_used_at: isoTime.nullable(),
  })
  .register(apiSchemas, { id: "Connection" });
export const connectionPageSchema = pageOf(connectionSchema, "ConnectionPage");

const jsonSchemaObject = z.record(z.string(), z.unknown()).describe("A JSON Schema (draft 2020-12).");

export const actionSchema = z
  .object({
    id: z.string(),
    provider_id: z.string(),
    title: z.string(),
    description: z.string(),
    effect: z.string().describe("`read` or `write` at the provider."),
    scopes: z
      .array(z.union([z.string(), z.array(z.string())]))
      .describe("Provider scopes the connection must have been granted; an inner list means any one of them."),
    input_schema: jsonSchemaObject,
    output_schema: jsonSchemaObject,
    blocked_by: z
      .object({ kind: z.enum(["not_connected", "missing_scope"]), scope: z.string().optional() })
      .nullable()
      .describe("Why it cannot run now, or null."),
  })
  .register(apiSchemas, { id: "Action" });
export const actionPageSchema = pageOf(actionSchema, "ActionPage");

export const actionRunRequestSchema = z
  .object({ input: z.record(z.string(), z.unknown()).describe("Checked against the action's `input_schema`.") })
  .register(apiSchemas, { id: "ActionRunRequest" });

export const actionRunSchema = z
  .object({
    action_id: z.string(),
    output: z.unknown().describe("Matches the action's `output_schema`."),
    correlation_id: z.string().describe("Find the provider call with GET /v1/calls/{correlationId}."),
  })
  .register(apiSchemas, { id: "ActionRun" });

export const workflowRunRequestSchema = z
  .object({ input: z.record(z.string(), z.unknown()).optional().describe("The trigger input; the trigger's sample when absent.") })
  .register(apiSchemas, { id: "WorkflowRunRequest" });


export const workflowRunSchema = z
  .object({
    id: z.string(),
    workflow_id: z.string(),
    workflow_name: z.string(),
    status: z.enum(RUN_STATUSES),
    trigger_kind: z.string(),
    created_at: isoTime,
    finished_at: isoTime.nullable(),
    steps: z.array(
      z.object({
        key: z.string(),
        name: z.string(),
        action_id: z.string(),
        status: z.enum(STEP_STATUSES),
        attempts: z.number().int(),
        output: z.unknown(),
        error: z.object({ code: z.string(), message: z.string() }).nullable(),
        correlation_id: z.string().nullable(),
      }),
    ),
  })
  .register(apiSchemas, { id: "WorkflowRun" });

export const callSchema = z
  .object({
    provider_id: z.string(),
    method: z.string(),
    path: z.string().describe("Redacted of secrets."),
    status: z.number().int().nullable(),
    outcome: z.string(),
    latency_ms: z.number(),
    attempts: z.number().int(),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
    at: isoTime,
  })
  .register(apiSchemas, { id: "Call" });

export const callTraceSchema = z
  .object({ correlation_id: z.string(), calls: z.array(callSchema) })
  .register(apiSchemas, { id: "CallTrace" });

const endpointFields = {
  id: z.string().describe("The endpoint's public id: `ep_…`."),
  url: z.string().describe("Where deliveries go (https)."),
  description: z.string(),
  filter: z.array(z.string()).describe("Event types it receives: exact types, `group.*`, or `*` for all."),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable().describe("Why it is off: `manual`, `gone` (answered 410) or `failing` (five days of failures); null when on."),
  disabled_at: isoTime.nullable(),
  failing_since: isoTime.nullable(),
  last_success_at: isoTime.nullable(),
  last_failure_at: isoTime.nullable(),
  last_failure: z.string().nullable().describe("What went wrong on the last failed attempt, in a sentence."),
  previous_secret_expires_at: isoTime.nullable().describe("After a rotation, until when the old secret still signs too."),
  created_at: isoTime,
};

export const webhookEndpointSchema = z
  .object(endpointFields)
  .register(apiSchemas, { id: "WebhookEndpoint", description: "An outbound webhook endpoint; its signing secret is never shown here." });
export const webhookEndpointPageSchema = pageOf(webhookEndpointSchema, "WebhookEndpointPage");

const signingSecret = z.string().describe("The `whsec_` signing secret. Shown in this answer only: store it now.");

export const createdWebhookEndpointSchema = z
  .object({ ...endpointFields, secret: signingSecret })
  .register(apiSchemas, { id: "CreatedWebhookEndpoint" });

// Lengths, the filter's keys and the URL's safety are checked by the same rules as in the app (convex/webhooks/outbound/model.ts).
const filterField = z.array(z.string()).describe("Event types to receive: exact types, `group.*`, or `*` for all.");
const descriptionField = z.string().describe("At most 200 characters.");

export const webhookEndpointCreateSchema = z
  .object({
    url: z.string().describe("An https URL on a public address."),
    description: descriptionField.optional().describe("At most 200 characters; empty when absent."),
    filter: filterField.optional().describe("Event types to receive: exact types, `group.*`, or `*`; every event when absent."),
  })
  .strict()
  .register(apiSchemas, { id: "WebhookEndpointCreate" });

export const webhookEndpointUpdateSchema = z
  .object({ description: descriptionField.optional(), filter: filterField.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), { message: "Send at least one of description, filter and enabled." })
  .register(apiSchemas, { id: "WebhookEndpointUpdate" });

export const deletedWebhookEndpointSchema = z
  .object({ id: z.string(), deleted: z.literal(true) })
  .register(apiSchemas, { id: "DeletedWebhookEndpoint" });

export const rotatedSecretSchema = z
  .object({
    id: z.string(),
    secret: signingSecret,
    previous_secret_expires_at: isoTime.describe("The secret it replaces keeps signing until then, so receivers can switch without losing a delivery."),
  })
  .register(apiSchemas, { id: "RotatedWebhookSecret" });

// The statuses of convex/webhooks/inbound/tables.ts (INBOUND_EVENT_STATUSES); the handler's
// answer type is checked against this enum, so a status added there fails to compile here.
export const INBOUND_EVENT_STATUSES = ["pending", "processed", "failed", "dead"] as const;
const eventStatus = z.enum(INBOUND_EVENT_STATUSES, { error: "One of pending, processed, failed, dead." });

export const eventListQuery = paginationQuery.extend({
  provider: z.string().min(1, "A provider id, such as github.").max(64, "A provider id is at most 64 characters.").optional().describe("Only this provider's events: `github`, `slack`, `custom-webhook`, …"),
  type: z.string().min(1, "An event type, such as github.issues.opened.").max(128, "An event type is at most 128 characters.").optional().describe("Only events of this normalized type: `github.issues.opened`."),
  status: eventStatus.optional().describe("Only events in this processing status."),
});

const eventFields = {
  id: z.string().describe("The event's id; read it whole with GET /v1/events/{eventId}."),
  provider_id: z.string(),
  type: z.string().describe("The normalized type: `github.issues.opened`, `slack.message`, `webhook.<type>` for a Standard Webhooks sender."),
  delivery_id: z.string().nullable().describe("The provider's id of the delivery (`X-GitHub-Delivery`, `webhook-id`, …), when it sends one."),
  status: eventStatus.describe("`pending` (processing is scheduled or retrying), `processed`, `failed` (a retry is due) or `dead` (out of attempts)."),
  attempts: z.number().int().describe("Processing attempts so far."),
  received_at: isoTime,
  processed_at: isoTime.nullable(),
  next_attempt_at: isoTime.nullable().describe("When processing is next tried, while it is pending or failed."),
  last_error: z.string().nullable().describe("What went wrong on the last failed processing attempt."),
  lifecycle: z
    .object({ reason: z.string(), said: z.string() })
    .nullable()
    .describe("When the event changes its connection (an uninstall, a revocation): why, and what the provider said."),
};

export const inboundEventSchema = z
  .object(eventFields)
  .register(apiSchemas, { id: "InboundEvent", description: "An accepted inbound webhook delivery, without its headers and payload." });
export const inboundEventPageSchema = pageOf(inboundEventSchema, "InboundEventPage");

export const inboundEventDetailSchema = z
  .object({
    ...eventFields,
    verification: z.string().describe("The signature scheme that verified the delivery."),
    headers: z.record(z.string(), z.string()).describe("The request's headers, lowercase, with signatures and tokens replaced by `[REDACTED]`."),
    payload: z.unknown().describe("The body, redacted of secret-looking values: parsed JSON when `payload_format` is `json`, else the text (cut at 64 KiB when `truncated`)."),
    payload_format: z.enum(["json", "text"]),
    payload_bytes: z.number().int().describe("The size of the body as it arrived."),
    truncated: z.boolean().describe("The stored payload was cut to its cap; `payload` is then the text kept."),
  })
  .register(apiSchemas, { id: "InboundEventDetail", description: "One inbound event with its redacted headers and payload. Never a secret." });

export const openApiDocumentSchema = z.record(z.string(), z.unknown()).register(apiSchemas, {
  id: "OpenApiDocument",
  description: "This document.",
});

export const providerIdParams = z.object({ providerId: z.string().min(1).max(64).describe("A provider id: `github`, `slack`, …") });
export const actionIdParams = z.object({ actionId: z.string().min(1).max(128).describe("An action id: `slack.post_message`.") });
export const workflowIdParams = z.object({ workflowId: z.string().min(1).max(64) });
export const runIdParams = z.object({ runId: z.string().min(1).max(64) });
export const endpointIdParams = z.object({ endpointId: z.string().min(1).max(64).describe("An endpoint's public id: `ep_…`.") });
export const eventIdParams = z.object({ eventId: z.string().min(1).max(64).describe("An event's `id`, as the list gives it.") });
export const correlationIdParams = z.object({ correlationId: z.string().min(1).max(128) });
