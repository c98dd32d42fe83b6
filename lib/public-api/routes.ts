/**
 * The public API's one route table: method, path pattern, the scope it needs, the zod
 * schemas of its parameters, body and answer, and the problem codes it documents. The
 * HTTP router (convex/publicApi/router.ts) dispatches from it and the OpenAPI document
 * (./openapi.ts) is generated from it; a handler per operation is required by type
 * (convex/publicApi/handlers.ts). Adding a route (inbound events, webhook endpoints)
 * is one entry here and one handler.
 */
import type { z } from "zod";
import type { ApiKeyScope } from "../api-keys/scopes";
import type { ProblemCode } from "./problem";
import {
  actionIdParams,
  actionPageSchema,
  actionRunRequestSchema,
  actionRunSchema,
  callTraceSchema,
  connectionPageSchema,
  connectionSchema,
  correlationIdParams,
  createdWebhookEndpointSchema,
  deletedWebhookEndpointSchema,
  endpointIdParams,
  eventIdParams,
  eventListQuery,
  inboundEventDetailSchema,
  inboundEventPageSchema,
  openApiDocumentSchema,
  paginationQuery,
  providerIdParams,
  rotatedSecretSchema,
  runIdParams,
  webhookEndpointCreateSchema,
  webhookEndpointPageSchema,
  webhookEndpointSchema,
  webhookEndpointUpdateSchema,
  workflowIdParams,
  workflowRunRequestSchema,
  workflowRunSchema,
} from "./schemas";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type RouteSpec = {
  method: HttpMethod;
  /** OpenAPI path template: `/v1/connections/{providerId}`. */
  path: `/v1/${string}`;
  summary: string;
  description?: string;
  tag: string;
  /** The scope a key needs; null for the one route anyone may read (the document). */
  scope: ApiKeyScope | null;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Honours an `Idempotency-Key` header. */
  idempotent?: boolean;
  success: { status: 200 | 201; description: string; schema: z.ZodType };
  /** Problem codes this route answers beyond authentication, rate limiting and `invalid_request`. */
  errors: ProblemCode[];
};

function route<const T extends RouteSpec>(spec: T): T {
  return spec;
}

export const ROUTES = {
  listConnections: route({
    method: "GET",
    path: "/v1/connections",
    summary: "List connections",
    description: "The organization's connections (one per provider), limited to the key's connections when it has any.",
    tag: "Connections",
    scope: "connections:read",
    query: paginationQuery,
    success: { status: 200, description: "A page of connections.", schema: connectionPageSchema },
    errors: [],
  }),
  getConnection: route({
    method: "GET",
    path: "/v1/connections/{providerId}",
    summary: "Get a connection",
    tag: "Connections",
    scope: "connections:read",
    params: providerIdParams,
    success: { status: 200, description: "The connection.", schema: connectionSchema },
    errors: ["not_found", "connection_not_allowed"],
  }),
  listActions: route({
    method: "GET",
    path: "/v1/actions",
    summary: "List available actions",
    description: "Every action of every connected provider, with its input and output JSON Schemas.",
    tag: "Actions",
    scope: "actions:read",
    query: paginationQuery,
    success: { status: 200, description: "A page of actions.", schema: actionPageSchema },
    errors: [],
  }),
  runAction: route({
    method: "POST",
    path: "/v1/actions/{actionId}/run",
    summary: "Run an action",
    description:
      "Runs one provider action. With an `Idempotency-Key`, a repeat within 24 hours answers the first result without calling the provider again; the same key with other input is refused.",
    tag: "Actions",
    scope: "actions:run",
    params: actionIdParams,
    body: actionRunRequestSchema,
    idempotent: true,
    success: { status: 200, description: "The action ran; its output.", schema: actionRunSchema },
    errors: [
      "not_found",
      "connection_not_allowed",
      "invalid_input",
      "not_connected",
      "missing_scope",
      "auth_revoked",
      "provider_rate_limited",
      "provider_error",
      "timeout",
    ],
  }),
  startWorkflowRun: route({
    method: "POST",
    path: "/v1/workflows/{workflowId}/runs",
    summary: "Start a workflow run",
    tag: "Workflows",
    scope: "workflows:run",
    params: workflowIdParams,
    body: workflowRunRequestSchema,
    success: { status: 201, description: "The run, just started.", schema: workflowRunSchema },
    errors: ["not_found", "conflict", "connection_not_allowed"],
  }),
  getWorkflowRun: route({
    method: "GET",
    path: "/v1/workflow-runs/{runId}",
    summary: "Get a workflow run",
    tag: "Workflows",
    scope: "workflows:run",
    params: runIdParams,
    success: { status: 200, description: "The run and its steps.", schema: workflowRunSchema },
    errors: ["not_found", "connection_not_allowed"],
  }),
  getCalls: route({
    method: "GET",
    path: "/v1/calls/{correlationId}",
    summary: "Get the provider calls of a correlation id",
    tag: "Calls",
    scope: "calls:read",
    params: correlationIdParams,
    success: { status: 200, description: "The calls, newest first.", schema: callTraceSchema },
    errors: ["not_found"],
  }),
  listEvents: route({
    method: "GET",
    path: "/v1/events",
    summary: "List inbound events",
    description:
      "The organization's accepted inbound webhook deliveries, newest first, filtered by `provider`, `type` and `status` (all must match). A key limited to some connections sees only their providers' events, and those that belong to no connection (a Standard Webhooks endpoint's). A page may hold fewer than `limit` events while `next_cursor` is not null: each request reads a bounded number of events.",
    tag: "Events",
    scope: "events:read",
    query: eventListQuery,
    success: { status: 200, description: "A page of events, newest first.", schema: inboundEventPageSchema },
    errors: [],
  }),
  getEvent: route({
    method: "GET",
    path: "/v1/events/{eventId}",
    summary: "Get an inbound event",
    description: "One event with its redacted headers and payload, processing status, attempts and last error.",
    tag: "Events",
    scope: "events:read",
    params: eventIdParams,
    success: { status: 200, description: "The event.", schema: inboundEventDetailSchema },
    errors: ["not_found", "connection_not_allowed"],
  }),
  listWebhookEndpoints: route({
    method: "GET",
    path: "/v1/webhook-endpoints",
    summary: "List webhook endpoints",
    description: "The organization's outbound webhook endpoints, oldest first, without their secrets.",
    tag: "Webhook endpoints",
    scope: "webhooks:read",
    query: paginationQuery,
    success: { status: 200, description: "A page of endpoints.", schema: webhookEndpointPageSchema },
    errors: [],
  }),
  getWebhookEndpoint: route({
    method: "GET",
    path: "/v1/webhook-endpoints/{endpointId}",
    summary: "Get a webhook endpoint",
    tag: "Webhook endpoints",
    scope: "webhooks:read",
    params: endpointIdParams,
    success: { status: 200, description: "The endpoint.", schema: webhookEndpointSchema },
    errors: ["not_found"],
  }),
  createWebhookEndpoint: route({
    method: "POST",
    path: "/v1/webhook-endpoints",
    summary: "Create a webhook endpoint",
    description:
      "Adds an endpoint that receives the events its filter names, signed by Standard Webhooks. The answer holds the `whsec_` signing secret: it is shown this once.",
    tag: "Webhook endpoints",
    scope: "webhooks:write",
    body: webhookEndpointCreateSchema,
    success: { status: 201, description: "The endpoint, with its signing secret.", schema: createdWebhookEndpointSchema },
    errors: ["unsafe_url", "conflict"],
  }),
  updateWebhookEndpoint: route({
    method: "PATCH",
    path: "/v1/webhook-endpoints/{endpointId}",
    summary: "Change a webhook endpoint",
    description: "Changes its description or filter, or turns it off or on again (on again, pending deliveries resume).",
    tag: "Webhook endpoints",
    scope: "webhooks:write",
    params: endpointIdParams,
    body: webhookEndpointUpdateSchema,
    success: { status: 200, description: "The endpoint as it is now.", schema: webhookEndpointSchema },
    errors: ["not_found"],
  }),
  deleteWebhookEndpoint: route({
    method: "DELETE",
    path: "/v1/webhook-endpoints/{endpointId}",
    summary: "Delete a webhook endpoint",
    description: "Removes the endpoint at once; its delivery log goes shortly after.",
    tag: "Webhook endpoints",
    scope: "webhooks:write",
    params: endpointIdParams,
    success: { status: 200, description: "The endpoint is gone.", schema: deletedWebhookEndpointSchema },
    errors: ["not_found"],
  }),
  rotateWebhookEndpointSecret: route({
    method: "POST",
    path: "/v1/webhook-endpoints/{endpointId}/rotate-secret",
    summary: "Rotate a webhook endpoint's secret",
    description:
      "A new signing secret, shown in this answer only. Deliveries carry signatures by both the new and the old secret until `previous_secret_expires_at` (24 hours).",
    tag: "Webhook endpoints",
    scope: "webhooks:write",
    params: endpointIdParams,
    success: { status: 200, description: "The new secret.", schema: rotatedSecretSchema },
    errors: ["not_found", "conflict"],
  }),
  getOpenApiDocument: route({
    method: "GET",
    path: "/v1/openapi.json",
    summary: "This API's OpenAPI 3.1 document",
    tag: "Meta",
    scope: null,
    success: { status: 200, description: "The document.", schema: openApiDocumentSchema },
    errors: [],
  }),
} satisfies Record<string, RouteSpec>;

export type OperationId = keyof typeof ROUTES;
export const OPERATION_IDS = Object.keys(ROUTES) as OperationId[];

/** The problem codes every authenticated route can answer. */
export const AUTH_PROBLEMS: ProblemCode[] = [
  "unauthenticated",
  "malformed_key",
  "invalid_key_checksum",
  "unknown_key",
  "key_revoked",
  "key_expired",
  "key_rotated",
  "insufficient_scope",
  "rate_limited",
];

export type RouteMatch =
  | { kind: "route"; operationId: OperationId; params: Record<string, string> }
  | { kind: "method_not_allowed"; allowed: HttpMethod[] }
  | { kind: "not_found" };

const compiled = OPERATION_IDS.map((operationId) => {
  const spec: RouteSpec = ROUTES[operationId];
  const names: string[] = [];
  const pattern = spec.path.replace(/[.]/g, "\\.").replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { operationId, method: spec.method, regex: new RegExp(`^${pattern}$`), names };
});

/**
 * The route a request's method and path name, with its decoded path parameters; or why
 * none does. A segment that does not decode names no route.
 * @example matchRoute("GET", "/v1/connections/github") // { kind: "route", operationId: "getConnection", params: { providerId: "github" } }
 */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const entry of compiled) {
    const found = entry.regex.exec(pathname);
    if (!found) continue;
    if (entry.method !== method) {
      allowed.push(entry.method);
      continue;
    }
    const params: Record<string, string> = {};
    try {
      entry.names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1]!)));
    } catch {
      return { kind: "not_found" };
    }
    return { kind: "route", operationId: entry.operationId, params };
  }
  return allowed.length > 0 ? { kind: "method_not_allowed", allowed } : { kind: "not_found" };
}
