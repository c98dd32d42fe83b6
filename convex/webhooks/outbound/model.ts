/**
 * The endpoint rules that every entry point shares (the settings page's functions today,
 * the public API's routes): checking input, writing an endpoint with its
 * subscriptions and audit event, turning it off and on, presenting it without secrets.
 * Helpers for mutations and queries; not a function module.
 */
import { ConvexError } from "convex/values";
import { ErrorCode } from "../../../lib/errors";
import { checkOutboundUrl } from "../../../lib/ssrf";
import { normalizeFilter } from "../../../lib/webhooks";
import { recordAudit, type AuditActor } from "../../audit/record";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { MutationCtx, QueryCtx } from "../../_generated/server";
import { outboundUrlOptions } from "../../shared/env";
import { emitWebhookEvent } from "./emit";
import type { DISABLED_REASONS } from "./tables";

type DisabledReason = (typeof DISABLED_REASONS)[number];

/** Most endpoints in one organization (Svix's dashboards rarely show more than a handful). */
export const MAX_ENDPOINTS_PER_ORG = 50;
/** Longest description, in characters. */
export const MAX_DESCRIPTION_LENGTH = 200;
/** How long the old secret still signs after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The audit actor of what the delivery machinery does on its own (410, five days of failures). */
export const DELIVERY_ACTOR: AuditActor = { kind: "system", label: "Webhook delivery" };

export type EndpointInput = { url: string; description: string; filter: string[] };

function invalid(field: string, message: string): never {
  throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message, field });
}

/** The URL, normalized, or a coded error saying why it may not receive webhooks. */
export function checkedEndpointUrl(raw: string): string {
  const check = checkOutboundUrl(raw.trim(), outboundUrlOptions());
  if (!check.ok) {
    const why: Record<string, string> = {
      invalid_url: "Enter a full URL, such as https://example.com/webhooks.",
      https_required: "Webhook URLs must use https.",
      credentials_in_url: "Leave the user name and password out of the URL.",
      unsupported_scheme: "Webhook URLs must use https.",
    };
    throw new ConvexError({
      code: ErrorCode.UNSAFE_URL,
      message: why[check.reason] ?? `Webhooks cannot be sent to this address (${check.reason.replaceAll("_", " ")}).`,
      field: "url",
    });
  }
  return check.url.href;
}

/** Every field checked and normalized, or a coded error naming the field at fault. */
export function checkedEndpointInput(input: EndpointInput): EndpointInput {
  const description = input.description.trim();
  if (description.length > MAX_DESCRIPTION_LENGTH) {
    invalid("description", `A description has at most ${MAX_DESCRIPTION_LENGTH} characters.`);
  }
  const filter = normalizeFilter(input.filter);
  if (!filter.ok) invalid("filter", filter.message);
  return { url: checkedEndpointUrl(input.url), description, filter: filter.keys };
}

/** The endpoint of this org, or NOT_FOUND (also for another org's endpoint, so ids cannot be probed). */
export async function endpointOfOrg(
  ctx: QueryCtx,
  orgId: Id<"organizations">,
  endpointId: Id<"webhookEndpoints">,
): Promise<Doc<"webhookEndpoints">> {
  const endpoint = await ctx.db.get(endpointId);
  if (!endpoint || endpoint.orgId !== orgId) {
    throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This webhook endpoint does not exist." });
  }
  return endpoint;
}

/** The endpoint of this org with this public `ep_…` id, or NOT_FOUND like `endpointOfOrg`. */
export async function endpointOfOrgByPublicId(ctx: QueryCtx, orgId: Id<"organizations">, publicId: string): Promise<Doc<"webhookEndpoints">> {
  const endpoint = await ctx.db
    .query("webhookEndpoints")
    .withIndex("by_publicId", (q) => q.eq("publicId", publicId))
    .unique();
  if (!endpoint || endpoint.orgId !== orgId) {
    throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This webhook endpoint does not exist." });
  }
  return endpoint;
}

/** Replaces the endpoint's subscription rows with one per filter key. */
export async function writeSubscriptions(ctx: MutationCtx, endpoint: Pick<Doc<"webhookEndpoints">, "_id" | "orgId">, filter: string[]) {
  const existing = await ctx.db
    .query("webhookSubscriptions")
    .withIndex("by_endpointId", (q) => q.eq("endpointId", endpoint._id))
    .collect(); // at most MAX_FILTER_KEYS rows
  for (const row of existing) await ctx.db.delete(row._id);
  for (const filterKey of filter) await ctx.db.insert("webhookSubscriptions", { orgId: endpoint.orgId, endpointId: endpoint._id, filterKey });
}

/** A new endpoint with its subscriptions and audit event; the secret arrives sealed. */
export async function insertEndpoint(
  ctx: MutationCtx,
  orgId: Id<"organizations">,
  actor: AuditActor,
  fields: EndpointInput & { publicId: string; secretCiphertext: string },
): Promise<Id<"webhookEndpoints">> {
  const count = (await ctx.db.query("webhookEndpoints").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(MAX_ENDPOINTS_PER_ORG)).length;
  if (count >= MAX_ENDPOINTS_PER_ORG) {
    throw new ConvexError({ code: ErrorCode.CONFLICT, message: `An organization has at most ${MAX_ENDPOINTS_PER_ORG} webhook endpoints.` });
  }
  const input = checkedEndpointInput(fields);
  const endpointId = await ctx.db.insert("webhookEndpoints", {
    orgId,
    publicId: fields.publicId,
    ...input,
    enabled: true,
    secret: { ciphertext: fields.secretCiphertext, version: 1 },
    createdAt: Date.now(),
  });
  await writeSubscriptions(ctx, { _id: endpointId, orgId }, input.filter);
  await recordAudit(ctx, orgId, actor, { action: "webhook.endpoint_created", subject: input.url, details: { filter: input.filter.join(" ") } });
  return endpointId;
}

/** Changes URL, description or filter; each given field is checked like at creation. */
export async function updateEndpoint(ctx: MutationCtx, endpoint: Doc<"webhookEndpoints">, actor: AuditActor, patch: Partial<EndpointInput>) {
  const input = checkedEndpointInput({
    url: patch.url ?? endpoint.url,
    description: patch.description ?? endpoint.description,
    filter: patch.filter ?? endpoint.filter,
  });
  await ctx.db.patch(endpoint._id, input);
  if (patch.filter !== undefined) await writeSubscriptions(ctx, endpoint, input.filter);
  await recordAudit(ctx, endpoint.orgId, actor, {
    action: "webhook.endpoint_updated",
    subject: input.url,
    details: { filter: input.filter.join(" "), urlChanged: input.url !== endpoint.url },
  });
}

/**
 * Turns an endpoint off (by a person, or by delivery for 410 or five days of failures)
 * or on again. Off, it gets no new messages and its pending ones stop; on again, new
 * events flow, the failure clock restarts, and Recover re-sends what failed meanwhile.
 */
export async function setEndpointEnabled(
  ctx: MutationCtx,
  endpoint: Doc<"webhookEndpoints">,
  actor: AuditActor,
  change: { enabled: true } | { enabled: false; reason: DisabledReason },
) {
  if (change.enabled === endpoint.enabled) return;
  const now = Date.now();
  if (change.enabled) {
    await ctx.db.patch(endpoint._id, { enabled: true, disabled: undefined, failingSince: undefined });
    await ctx.scheduler.runAfter(0, internal.webhooks.outbound.deliveries.resumePending, { endpointId: endpoint._id, cursor: null });
  } else {
    await ctx.db.patch(endpoint._id, { enabled: false, disabled: { reason: change.reason, at: now } });
  }
  await recordAudit(ctx, endpoint.orgId, actor, {
    action: change.enabled ? "webhook.endpoint_enabled" : "webhook.endpoint_disabled",
    subject: endpoint.url,
    details: change.enabled ? {} : { reason: change.reason },
  });
  if (!change.enabled && change.reason !== "manual") {
    await emitWebhookEvent(ctx, endpoint.orgId, "endpoint.disabled", {
      endpointId: endpoint.publicId,
      url: endpoint.url,
      reason: change.reason,
      failingSince: endpoint.failingSince === undefined ? null : new Date(endpoint.failingSince).toISOString(),
    });
  }
}

/**
 * Removes an endpoint and its subscriptions at once; its messages and attempts go in
 * batches afterwards (there can be many).
 */
export async function removeEndpoint(ctx: MutationCtx, endpoint: Doc<"webhookEndpoints">, actor: AuditActor) {
  await writeSubscriptions(ctx, endpoint, []);
  await ctx.db.delete(endpoint._id);
  await ctx.scheduler.runAfter(0, internal.webhooks.outbound.deliveries.purgeEndpoint, { endpointId: endpoint._id });
  await recordAudit(ctx, endpoint.orgId, actor, { action: "webhook.endpoint_removed", subject: endpoint.url });
}

/** An endpoint as callers see it: no ciphertext, only whether an old secret still signs and until when. */
export function presentEndpoint(endpoint: Doc<"webhookEndpoints">) {
  return {
    id: endpoint._id,
    publicId: endpoint.publicId,
    url: endpoint.url,
    description: endpoint.description,
    filter: endpoint.filter,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabled?.reason ?? null,
    disabledAt: endpoint.disabled?.at ?? null,
    failingSince: endpoint.failingSince ?? null,
    lastSuccessAt: endpoint.lastSuccessAt ?? null,
    lastFailureAt: endpoint.lastFailureAt ?? null,
    lastFailure: endpoint.lastFailure ?? null,
    previousSecretExpiresAt: endpoint.previousSecret && endpoint.previousSecret.expiresAt > Date.now() ? endpoint.previousSecret.expiresAt : null,
    createdAt: endpoint.createdAt,
  };
}
