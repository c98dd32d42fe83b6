/**
 * The webhook endpoints of the key's org, for the public API's handlers: the same model
 * functions as the settings page (../webhooks/outbound/model.ts), found by their public
 * `ep_…` id and done as the key (`actor`). Creating and rotating, which generate secrets,
 * are actions: the handlers call `createEndpoint`/`rotateEndpointSecret` directly.
 * Refusals are the model's coded ConvexErrors; the handlers turn them into problems.
 */
import { v } from "convex/values";
import { internalMutation, internalQuery } from "../functions";
import { actorValidator } from "../shared/validators";
import {
  endpointOfOrgByPublicId,
  MAX_ENDPOINTS_PER_ORG,
  presentEndpoint,
  removeEndpoint,
  setEndpointEnabled,
  updateEndpoint,
} from "../webhooks/outbound/model";

export const list = internalQuery({
  args: { orgId: v.id("organizations") },
  handler: async (ctx, { orgId }) => {
    // Bounded by the per-org limit, so the handler pages over the whole list.
    const endpoints = await ctx.db.query("webhookEndpoints").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).take(MAX_ENDPOINTS_PER_ORG);
    return endpoints.map(presentEndpoint);
  },
});

export const get = internalQuery({
  args: { orgId: v.id("organizations"), publicId: v.string() },
  handler: async (ctx, { orgId, publicId }) => presentEndpoint(await endpointOfOrgByPublicId(ctx, orgId, publicId)),
});

export const update = internalMutation({
  args: {
    orgId: v.id("organizations"),
    publicId: v.string(),
    actor: actorValidator,
    description: v.optional(v.string()),
    filter: v.optional(v.array(v.string())),
    enabled: v.optional(v.boolean()),
  },
  handler: async (ctx, { orgId, publicId, actor, enabled, ...patch }) => {
    const endpoint = await endpointOfOrgByPublicId(ctx, orgId, publicId);
    if (patch.description !== undefined || patch.filter !== undefined) await updateEndpoint(ctx, endpoint, actor, patch);
    if (enabled !== undefined) {
      await setEndpointEnabled(ctx, endpoint, actor, enabled ? { enabled } : { enabled, reason: "manual" });
    }
    return presentEndpoint((await ctx.db.get(endpoint._id))!);
  },
});

export const remove = internalMutation({
  args: { orgId: v.id("organizations"), publicId: v.string(), actor: actorValidator },
  handler: async (ctx, { orgId, publicId, actor }) => {
    await removeEndpoint(ctx, await endpointOfOrgByPublicId(ctx, orgId, publicId), actor);
    return null;
  },
});
