/**
 * Inbound endpoints an admin makes by hand: a Standard Webhooks endpoint for any other
 * sender (its whsec_ secret shown once), or a Notion subscription URL (Notion then
 * sends a verification token, shown here once, which the admin pastes back into Notion).
 * Endpoints registered at a provider by API are made by convex/webhooks/inbound/subscriptions.
 * Members read the list and each provider's setup (the URL, and what to paste where).
 */
import { ConvexError, v } from "convex/values";
import { literals } from "convex-helpers/validators";
import { ErrorCode } from "../../../lib/errors";
import { inboundProvider } from "../../../lib/inbound/providers";
import { INBOUND_SCHEME_IDS, oauthClientSigner } from "../../../lib/inbound/schemes";
import { generateWebhookSecret } from "../../../lib/webhooks/signing";
import { bytesToBase64Url } from "../../../lib/vault/base64";
import { recordAudit, userActor, type AuditActor } from "../../audit/record";
import { actorValidator } from "../../shared/validators";
import { internalMutation, internalQuery, orgAction, orgMutation, orgQuery } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import type { ActionCtx } from "../../_generated/server";
import { decryptInboundSecret, encryptInboundSecret } from "../../shared/secrets";
import { inboundWebhookUrl, oauthClientFor, resolvedProvider } from "../../shared/env";
import { ROTATION_OVERLAP_MS } from "../outbound/model";

/** Inbound endpoints per organization. */
export const INBOUND_ENDPOINTS_PER_ORG_MAX = 100;
export const ENDPOINT_DESCRIPTION_MAX = 200;

/** Providers whose endpoints an admin makes here (the others are registered by API, or app-level). */
export const PASTED_PROVIDERS = ["custom-webhook", "notion"] as const;

/** A new endpoint's public id: 16 random bytes, unguessable (it is the only thing naming the URL). */
export function newEndpointPublicId(): string {
  return `ie_${bytesToBase64Url(crypto.getRandomValues(new Uint8Array(16)))}`;
}

function present(endpoint: Doc<"inboundEndpoints">) {
  return {
    _id: endpoint._id,
    publicId: endpoint.publicId,
    providerId: endpoint.providerId,
    description: endpoint.description,
    url: inboundWebhookUrl(endpoint.providerId, endpoint.publicId),
    state: endpoint.state,
    revealPending: endpoint.revealPending ?? false,
    connectionId: endpoint.connectionId ?? null,
    subscription: endpoint.subscription
      ? {
          externalId: endpoint.subscription.externalId,
          resource: endpoint.subscription.resource,
          expiresAt: endpoint.subscription.expiresAt ?? null,
          lastRenewedAt: endpoint.subscription.lastRenewedAt ?? null,
          lastError: endpoint.subscription.lastError ?? null,
        }
      : null,
    failedVerifications: endpoint.failedVerifications,
    lastFailureAt: endpoint.lastFailureAt ?? null,
    lastFailureReason: endpoint.lastFailureReason ?? null,
    createdAt: endpoint.createdAt,
  };
}

export type InboundEndpointView = ReturnType<typeof present>;

/** The org's inbound endpoints, with their refused-delivery counts. */
export const list = orgQuery({
  role: "member",
  args: { providerId: v.optional(v.string()) },
  handler: async (ctx, { providerId }) => {
    const endpoints = await ctx.db
      .query("inboundEndpoints")
      .withIndex("by_orgId", (q) => q.eq("orgId", ctx.org._id))
      .take(INBOUND_ENDPOINTS_PER_ORG_MAX);
    return endpoints.filter((e) => providerId === undefined || e.providerId === providerId).map(present);
  },
});

/**
 * How a provider's webhooks reach this deployment: the app-level URL (Slack, Zoom, a
 * GitHub App) and what to paste where, or that endpoints are made per subscription.
 * Null for a provider that sends none.
 */
export const setup = orgQuery({
  role: "member",
  args: { providerId: v.string() },
  handler: async (_ctx, { providerId }) => {
    const provider = inboundProvider(providerId);
    if (!provider) return null;
    return {
      providerId,
      appUrl: provider.app ? inboundWebhookUrl(providerId) : null,
      appSecret: provider.app ? { env: provider.app.secretEnv, what: provider.app.what, configured: appSecretConfigured(provider) } : null,
      pasted: provider.pasted ? { where: provider.pasted.where, steps: [...provider.pasted.steps] } : null,
      registered: provider.registered === true,
      perEndpoint: (PASTED_PROVIDERS as readonly string[]).includes(providerId),
    };
  },
});

/** Whether the deployment has the secret app-level deliveries are signed with (LinkedIn's is its OAuth client's, which the simulator supplies). */
function appSecretConfigured(provider: NonNullable<ReturnType<typeof inboundProvider>>): boolean {
  const signer = oauthClientSigner(provider.scheme);
  if (signer === null) return Boolean(process.env[provider.app!.secretEnv]);
  const catalog = resolvedProvider(signer);
  try {
    return catalog !== null && oauthClientFor(catalog).clientSecret !== "";
  } catch {
    return false;
  }
}

/** Stores a new endpoint (its id and any secret were made in the calling action). */
export const insert = internalMutation({
  args: {
    orgId: v.id("organizations"),
    actor: actorValidator,
    publicId: v.string(),
    providerId: v.string(),
    scheme: literals(...INBOUND_SCHEME_IDS),
    description: v.string(),
    connectionId: v.optional(v.id("connections")),
    secretCiphertext: v.optional(v.string()),
  },
  handler: async (ctx, args): Promise<Id<"inboundEndpoints">> => {
    const count = (
      await ctx.db
        .query("inboundEndpoints")
        .withIndex("by_orgId", (q) => q.eq("orgId", args.orgId))
        .take(INBOUND_ENDPOINTS_PER_ORG_MAX)
    ).length;
    if (count >= INBOUND_ENDPOINTS_PER_ORG_MAX) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: `An organization has at most ${INBOUND_ENDPOINTS_PER_ORG_MAX} inbound endpoints; remove one first.` });
    }
    const endpointId = await ctx.db.insert("inboundEndpoints", {
      orgId: args.orgId,
      publicId: args.publicId,
      providerId: args.providerId,
      scheme: args.scheme,
      description: args.description,
      ...(args.connectionId ? { connectionId: args.connectionId } : {}),
      // Without a secret it waits for the provider's handshake, unless the deployment's OAuth client signs its scheme.
      state: args.secretCiphertext === undefined && oauthClientSigner(args.scheme) === null ? "awaiting_handshake" : "active",
      ...(args.secretCiphertext !== undefined ? { secret: { ciphertext: args.secretCiphertext, version: 1 } } : {}),
      failedVerifications: 0,
      createdAt: Date.now(),
    });
    await recordAudit(ctx, args.orgId, args.actor as AuditActor, {
      action: "inbound.endpoint_created",
      providerId: args.providerId,
      subject: args.description,
    });
    return endpointId;
  },
});

function checkedDescription(description: string): string {
  const trimmed = description.trim();
  if (trimmed.length === 0) throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: "Say what sends to this endpoint.", field: "description" });
  if (trimmed.length > ENDPOINT_DESCRIPTION_MAX) {
    throw new ConvexError({ code: ErrorCode.INVALID_INPUT, message: `A description is at most ${ENDPOINT_DESCRIPTION_MAX} characters.`, field: "description" });
  }
  return trimmed;
}

/**
 * Makes a Standard Webhooks endpoint (answer: its URL and the whsec_ secret, shown this
 * once) or a Notion endpoint (answer: its URL; the token arrives from Notion).
 */
export const create = orgAction({
  role: "admin",
  args: { providerId: literals(...PASTED_PROVIDERS), description: v.string() },
  handler: async (ctx: ActionCtx & { org: Doc<"organizations">; userId: Id<"users"> }, { providerId, description }) => {
    const checked = checkedDescription(description);
    const scheme = inboundProvider(providerId)!.scheme;
    const publicId = newEndpointPublicId();
    const secret = providerId === "custom-webhook" ? generateWebhookSecret() : null;
    const secretCiphertext = secret === null ? undefined : await encryptInboundSecret(ctx.org._id, publicId, 1, secret);
    const endpointId: Id<"inboundEndpoints"> = await ctx.runMutation(internal.webhooks.inbound.endpoints.insert, {
      orgId: ctx.org._id,
      actor: userActor(ctx.userId),
      publicId,
      providerId,
      scheme,
      description: checked,
      ...(secretCiphertext !== undefined ? { secretCiphertext } : {}),
    });
    return { endpointId, publicId, url: inboundWebhookUrl(providerId, publicId), secret };
  },
});

/** Takes the one showing of a Notion verification token: the sealed token, once. */
export const claimReveal = internalMutation({
  args: { orgId: v.id("organizations"), endpointId: v.id("inboundEndpoints") },
  handler: async (ctx, { orgId, endpointId }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint || endpoint.orgId !== orgId) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This endpoint does not exist." });
    if (!endpoint.revealPending || !endpoint.secret) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "There is no verification token to show: it was shown once already, or Notion has not sent it yet." });
    }
    await ctx.db.patch(endpointId, { revealPending: false });
    return { publicId: endpoint.publicId, secret: endpoint.secret };
  },
});

/** Shows the verification token Notion sent, once, for the admin to paste into Notion. */
export const revealVerificationToken = orgAction({
  role: "admin",
  args: { endpointId: v.id("inboundEndpoints") },
  handler: async (ctx: ActionCtx & { org: Doc<"organizations"> }, { endpointId }): Promise<{ token: string }> => {
    const claimed: { publicId: string; secret: { ciphertext: string; version: number } } = await ctx.runMutation(
      internal.webhooks.inbound.endpoints.claimReveal,
      { orgId: ctx.org._id, endpointId },
    );
    return { token: await decryptInboundSecret(ctx.org._id, claimed.publicId, claimed.secret.version, claimed.secret.ciphertext) };
  },
});

/** Removes an endpoint made here; deliveries to its URL answer 404 from then on. Its events stay until retention. */
export const remove = orgMutation({
  role: "admin",
  args: { endpointId: v.id("inboundEndpoints") },
  handler: async (ctx, { endpointId }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint || endpoint.orgId !== ctx.org._id) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This endpoint does not exist." });
    if (endpoint.subscription) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "This endpoint is a subscription registered at the provider; remove it from the provider page, which deletes it there too." });
    }
    await ctx.db.delete(endpointId);
    await recordAudit(ctx, ctx.org._id, userActor(ctx.userId), {
      action: "inbound.endpoint_removed",
      providerId: endpoint.providerId,
      subject: endpoint.description,
    });
    return null;
  },
});

/** The secret a rotation replaces: only a Standard Webhooks endpoint's is ours to change (the others are the provider's). */
export const secretVersion = internalQuery({
  args: { orgId: v.id("organizations"), endpointId: v.id("inboundEndpoints") },
  handler: async (ctx, { orgId, endpointId }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint || endpoint.orgId !== orgId) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This endpoint does not exist." });
    if (endpoint.scheme !== "standard_webhooks" || !endpoint.secret) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "Only a Standard Webhooks endpoint's secret can be rotated here; the provider holds the others." });
    }
    return { publicId: endpoint.publicId, version: endpoint.secret.version };
  },
});

export const storeRotatedSecret = internalMutation({
  args: { orgId: v.id("organizations"), endpointId: v.id("inboundEndpoints"), actor: actorValidator, ciphertext: v.string(), version: v.number() },
  handler: async (ctx, { orgId, endpointId, actor, ciphertext, version }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint || endpoint.orgId !== orgId || !endpoint.secret) throw new ConvexError({ code: ErrorCode.NOT_FOUND, message: "This endpoint does not exist." });
    if (endpoint.secret.version + 1 !== version) {
      throw new ConvexError({ code: ErrorCode.CONFLICT, message: "The secret was rotated meanwhile; rotate again if you need a new one." });
    }
    const expiresAt = Date.now() + ROTATION_OVERLAP_MS;
    await ctx.db.patch(endpointId, { secret: { ciphertext, version }, previousSecret: { ...endpoint.secret, expiresAt } });
    await recordAudit(ctx, orgId, actor as AuditActor, {
      action: "inbound.secret_rotated",
      providerId: endpoint.providerId,
      subject: endpoint.description,
      details: { previousAcceptedUntil: new Date(expiresAt).toISOString() },
    });
    return expiresAt;
  },
});

/**
 * A new whsec_ secret for a Standard Webhooks endpoint, shown this once. Deliveries
 * signed with the old one are still accepted for a day (ROTATION_OVERLAP_MS), so the
 * sender can be switched over without losing any.
 */
export const rotateSecret = orgAction({
  role: "admin",
  args: { endpointId: v.id("inboundEndpoints") },
  handler: async (ctx: ActionCtx & { org: Doc<"organizations">; userId: Id<"users"> }, { endpointId }): Promise<{ secret: string; previousExpiresAt: number }> => {
    const current: { publicId: string; version: number } = await ctx.runQuery(internal.webhooks.inbound.endpoints.secretVersion, { orgId: ctx.org._id, endpointId });
    const secret = generateWebhookSecret();
    const version = current.version + 1;
    const ciphertext = await encryptInboundSecret(ctx.org._id, current.publicId, version, secret);
    const previousExpiresAt: number = await ctx.runMutation(internal.webhooks.inbound.endpoints.storeRotatedSecret, {
      orgId: ctx.org._id,
      endpointId,
      actor: userActor(ctx.userId),
      ciphertext,
      version,
    });
    return { secret, previousExpiresAt };
  },
});
