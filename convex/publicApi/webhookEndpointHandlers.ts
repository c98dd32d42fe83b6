/**
 * The handlers of `/v1/webhook-endpoints`: the settings page's rules (model.ts, and
 * `createEndpoint`/`rotateEndpointSecret` for what generates a secret) with the key as
 * the audit actor. The API names endpoints by their public `ep_…` id; a secret is in the
 * answer of the create and rotate calls only.
 */
import { ConvexError } from "convex/values";
import { ErrorCode, isErrorData } from "../../lib/errors";
import { pageOf, problem, type Problem } from "../../lib/public-api";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { createEndpoint, rotateEndpointSecret } from "../webhooks/outbound/endpoints";
import type { presentEndpoint } from "../webhooks/outbound/model";
import { badCursor, iso, isoOrNull } from "./answers";
import type { Handler } from "./handlers";

type WebhookOperationId =
  | "listWebhookEndpoints"
  | "getWebhookEndpoint"
  | "createWebhookEndpoint"
  | "updateWebhookEndpoint"
  | "deleteWebhookEndpoint"
  | "rotateWebhookEndpointSecret";

type EndpointRow = ReturnType<typeof presentEndpoint>;


function presentApiEndpoint(row: EndpointRow) {
  return {
    id: row.publicId,
    url: row.url,
    description: row.description,
    filter: row.filter,
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    disabled_at: isoOrNull(row.disabledAt),
    failing_since: isoOrNull(row.failingSince),
    last_success_at: isoOrNull(row.lastSuccessAt),
    last_failure_at: isoOrNull(row.lastFailureAt),
    last_failure: row.lastFailure,
    previous_secret_expires_at: isoOrNull(row.previousSecretExpiresAt),
    created_at: iso(row.createdAt),
  };
}

/**
 * The model's coded refusal as a problem; anything else is rethrown (an internal error).
 * A field's message is keyed by its place in the body, like schema failures.
 */
function refusal(error: unknown): { problem: Problem } {
  const data: unknown = error instanceof ConvexError ? error.data : undefined;
  if (!isErrorData(data)) throw error;
  const field = (data as { field?: unknown }).field;
  const errors = typeof field === "string" ? { errors: { [`body.${field}`]: data.message } } : {};
  switch (data.code) {
    case ErrorCode.NOT_FOUND:
      return { problem: problem("not_found", data.message) };
    case ErrorCode.UNSAFE_URL:
      return { problem: problem("unsafe_url", data.message, errors) };
    case ErrorCode.INVALID_INPUT:
      return { problem: problem("invalid_request", data.message, errors) };
    case ErrorCode.CONFLICT:
      return { problem: problem("conflict", data.message) };
    default:
      throw error;
  }
}

async function endpointRow(ctx: ActionCtx, orgId: Id<"organizations">, publicId: string): Promise<EndpointRow> {
  return await ctx.runQuery(internal.publicApi.webhookEndpoints.get, { orgId, publicId });
}

export const WEBHOOK_ENDPOINT_HANDLERS: { [K in WebhookOperationId]: Handler<K> } = {
  listWebhookEndpoints: async (ctx, { caller, query }) => {
    const rows: EndpointRow[] = await ctx.runQuery(internal.publicApi.webhookEndpoints.list, { orgId: caller.orgId });
    const page = pageOf(rows.map(presentApiEndpoint), query.limit, query.cursor);
    return page ? { body: page } : badCursor();
  },

  getWebhookEndpoint: async (ctx, { caller, params }) => {
    try {
      return { body: presentApiEndpoint(await endpointRow(ctx, caller.orgId, params.endpointId)) };
    } catch (error) {
      return refusal(error);
    }
  },

  createWebhookEndpoint: async (ctx, { caller, body }) => {
    try {
      const created = await createEndpoint(ctx, caller.orgId, caller.actor, {
        url: body.url,
        description: body.description ?? "",
        filter: body.filter ?? ["*"],
      });
      return { body: { ...presentApiEndpoint(await endpointRow(ctx, caller.orgId, created.publicId)), secret: created.secret } };
    } catch (error) {
      return refusal(error);
    }
  },

  updateWebhookEndpoint: async (ctx, { caller, params, body }) => {
    try {
      const row: EndpointRow = await ctx.runMutation(internal.publicApi.webhookEndpoints.update, {
        orgId: caller.orgId,
        publicId: params.endpointId,
        actor: caller.actor,
        ...body,
      });
      return { body: presentApiEndpoint(row) };
    } catch (error) {
      return refusal(error);
    }
  },

  deleteWebhookEndpoint: async (ctx, { caller, params }) => {
    try {
      await ctx.runMutation(internal.publicApi.webhookEndpoints.remove, { orgId: caller.orgId, publicId: params.endpointId, actor: caller.actor });
      return { body: { id: params.endpointId, deleted: true as const } };
    } catch (error) {
      return refusal(error);
    }
  },

  rotateWebhookEndpointSecret: async (ctx, { caller, params }) => {
    try {
      const row = await endpointRow(ctx, caller.orgId, params.endpointId);
      const rotated = await rotateEndpointSecret(ctx, caller.orgId, caller.actor, row.id);
      return { body: { id: row.publicId, secret: rotated.secret, previous_secret_expires_at: iso(rotated.previousExpiresAt) } };
    } catch (error) {
      return refusal(error);
    }
  },
};
