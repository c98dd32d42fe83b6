/**
 * An organization's webhook endpoints, for the settings page: members read, admins
 * change. Each public function is a thin, org-scoped wrapper over an exported helper
 * (`createEndpoint`, `rotateEndpointSecret`) or model.ts, so other entry points (the
 * public API) reuse the same rules with their own actor.
 *
 * A signing secret exists in the clear only in the action that generates it and in
 * that action's answer, shown once; the database holds its vault ciphertext.
 */
import { ConvexError, v } from "convex/values";
import { ErrorCode } from "../../../lib/errors";
import { bytesToBase64Url } from "../../../lib/vault/base64";
import { generateWebhookSecret } from "../../../lib/webhooks";
import { recordAudit, userActor, type AuditActor } from "../../audit/record";
import { internalMutation, internalQuery, orgAction, orgMutation, orgQuery } from "../../functions";
import { internal } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { ActionCtx } from "../../_generated/server";
import { actorValidator } from "../../shared/validators";
import { encryptWebhookSecret } from "../../shared/secrets";
import { enqueueMessage } from "./fanout";
import { buildPayload } from "../../../lib/webhooks";
import {
  checkedEndpointInput,
  endpointOfOrg,
  insertEndpoint,
  presentEndpoint,
  removeEndpoint,
  ROTATION_OVERLAP_MS,
  setEndpointEnabled,
  updateEndpoint,
  type EndpointInput,
} from "./model";
import { endpointHealth } from "./health";

const endpointInputArgs = { url: v.string(), description: v.string(), filter: v.array(v.string()) };

/** Every endpoint of the org with its health over the last 24 hours. */
export const list = orgQuery({
  role: "member",
  args: {},
  handler: async (ctx) => {
    const endpoints = await ctx.db.query("webhookEndpoints").withIndex("by_orgId", (q) => q.eq("orgId", ctx.org._id)).take(100);
    const now = Date.now();
    return await Promise.all(
      endpoints.map(async (endpoint) => ({ ...presentEndpoint(endpoint), health: await endpointHealth(ctx, endpoint._id, now) })),
    );
  },
});

/**
 * Creates an endpoint for `orgId` as `actor`: checks the input, generates the secret and
 * its public id here (randomness belongs in actions), seals the secret, and stores it.
 * The answer's `secret` is the only time it is shown.
 */
export async function createEndpoint(
  ctx: ActionCtx,
  orgId: Id<"organizations">,
  actor: AuditActor,
  input: EndpointInput,
): Promise<{ endpointId: Id<"webhookEndpoints">; publicId: string; secret: string }> {
  const checked = checkedEndpointInput(input);
  const publicId = `ep_${bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16)))}`;
  const secret = generateWebhookSecret();
  const secretCiphertext = await encryptWebhookSecret(orgId, publicId, 1, secret);
  const endpointId: Id<"webhookEndpoints"> = await ctx.runMutation(internal.webhooks.outbound.endpoints.insert, {
    orgId,
    actor,
    ...checked,
    publicId,
    secretCiphertext,
  });
  return { endpointId, publicId, secret };
}

export const create = orgAction({
  role: "admin",
  args: endpointInputArgs,
  handler: async (ctx, input) => createEndpoint(ctx, ctx.org._id, userActor(ctx.userId), input),
});

export const insert = internalMutation({
  args: { orgId: v.id("organizations"), actor: actorValidator, ...endpointInputArgs, publicId: v.string(), secretCiphertext: v.string() },
  handler: async (ctx, { orgId, actor, ...fields }) => insertEndpoint(ctx, orgId, actor, fields),
});

/**
 * A new secret for an endpoint of `orgId`: it signs from now on, and the one it replaces
 * keeps signing too for ROTATION_OVERLAP_MS, so receivers can switch without losing a
 * delivery. The answer's `secret` is the only time it is shown.
 */
export async function rotateEndpointSecret(
  ctx: ActionCtx,
  orgId: Id<"organizations">,
  actor: AuditActor,
  endpointId: Id<"webhookEndpoints">,
): Promise<{ secret: string; previousExpiresAt: number }> {
  const current: { publicId: string; version: number } = await ctx.runQuery(internal.webhooks.outbound.endpoints.secretVersion, {
    orgId,
    endpointId,
  });
  const secret = generateWebhookSecret();
  const version = current.version + 1;
  const ciphertext = await encryptWebhookSecret(orgId, current.publicId, version, secret);
  const previousExpiresAt: number = await ctx.runMutation(internal.webhooks.outbound.endpoints.storeRotatedSecret, {
    orgId,
    endpointId,
    actor,
    ciphertext,
    version,
  });
  return { secret, previousExpiresAt };
}

export const rotateSecret = orgAction({
  role: "admin",
  args: { endpointId: v.id("webhookEndpoints") },
  handler: async (ctx, { endpointId }) => rotateEndpointSecret(ctx, ctx.org._id, userActor(ctx.userId), endpointId),
});

export const secretVersion = internalQuery({
  args: { orgId: v.id("organizations"), endpointId: v.id("webhookEndpoints") },
  handler: async (ctx, { orgId, endpointId }) => {
    const endpoint = await endpointOfOrg(ctx, orgId, endpointId);
    return { publicId: endpoint.publicId, version: endpoint.secret.version };
  },
});

export const storeRotatedSecret = internalMutation({
  args: { orgId: v.id("organizations"), endpointId: v.id("webhookEndpoints"), actor: actorValidator, ciphertext: v.string(), version: v.number() },
  handler: async (ctx, { orgId, endpointId, actor, ciphertext, version }) => {
    const endpoint = await endpointOfOrg(ctx, orgId, endpointId);
    if (endpoint.secret.version + 1 !== version) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "The secret was rotated meanwhile; rotate again if you need a new one." });
    }
    const expiresAt = Date.now() + ROTATION_OVERLAP_MS;
    await ctx.db.patch(endpoint._id, { secret: { ciphertext, version }, previousSecret: { ...endpoint.secret, expiresAt } });
    await recordAudit(ctx, orgId, actor, {
      action: "webhook.secret_rotated",
      subject: endpoint.url,
      details: { previousSignsUntil: new Date(expiresAt).toISOString() },
    });
    return expiresAt;
  },
});

export const update = orgMutation({
  role: "admin",
  args: {
    endpointId: v.id("webhookEndpoints"),
    url: v.optional(v.string()),
    description: v.optional(v.string()),
    filter: v.optional(v.array(v.string())),
  },
  handler: async (ctx, { endpointId, ...patch }) => {
    const endpoint = await endpointOfOrg(ctx, ctx.org._id, endpointId);
    await updateEndpoint(ctx, endpoint, userActor(ctx.userId), patch);
    return null;
  },
});

export const setEnabled = orgMutation({
  role: "admin",
  args: { endpointId: v.id("webhookEndpoints"), enabled: v.boolean() },
  handler: async (ctx, { endpointId, enabled }) => {
    const endpoint = await endpointOfOrg(ctx, ctx.org._id, endpointId);
    await setEndpointEnabled(ctx, endpoint, userActor(ctx.userId), enabled ? { enabled } : { enabled, reason: "manual" });
    return null;
  },
});

export const remove = orgMutation({
  role: "admin",
  args: { endpointId: v.id("webhookEndpoints") },
  handler: async (ctx, { endpointId }) => {
    const endpoint = await endpointOfOrg(ctx, ctx.org._id, endpointId);
    await removeEndpoint(ctx, endpoint, userActor(ctx.userId));
    return null;
  },
});

/** Sends an `endpoint.test` event to this endpoint alone, whatever its filter. */
export const sendTest = orgMutation({
  role: "admin",
  args: { endpointId: v.id("webhookEndpoints") },
  handler: async (ctx, { endpointId }) => {
    const endpoint = await endpointOfOrg(ctx, ctx.org._id, endpointId);
    if (!endpoint.enabled) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "Turn the endpoint on before sending it a test event." });
    }
    const built = buildPayload("endpoint.test", { endpointId: endpoint.publicId, message: "A test event from Switchboard." }, Date.now());
    if (!built.ok) throw new Error(built.message);
    const messageId = await enqueueMessage(ctx, endpoint, "endpoint.test", JSON.stringify(built.payload));
    return { messageId };
  },
});
