/**
 * The database side of receiving (convex/webhooks/inbound/receive.ts): find the endpoint
 * or the app-level connections a delivery is for, count a refusal, complete a handshake,
 * and store an accepted delivery exactly once per organization. `store` checks the
 * dedupe key and inserts in one transaction, so concurrent copies of one delivery (a
 * provider's retry racing the original) produce one event: the others find it and are
 * acknowledged. Internal: only the HTTP action calls these.
 */
import { v } from "convex/values";
import { internalMutation, internalQuery } from "../../functions";
import { internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import { isLive } from "../../connections/transitions";
import { PROCESSING_MAX_ATTEMPTS } from "../../../lib/inbound/store";
import { deliveryFields } from "./tables";

/** Connections one app-level delivery may reach (a workspace installed in several organizations). */
export const APP_TARGETS_MAX = 20;
/** Account ids of one payload looked up (a reader names at most three). */
const ACCOUNT_IDS_MAX = 4;

export type EndpointForDelivery = Pick<
  Doc<"inboundEndpoints">,
  "_id" | "orgId" | "publicId" | "providerId" | "scheme" | "connectionId" | "state" | "secret" | "previousSecret"
> & { resource: string | null };

/** The endpoint a per-subscription URL names, or null (unknown, or its organization is being deleted). */
export const endpointForDelivery = internalQuery({
  args: { publicId: v.string(), providerId: v.string() },
  handler: async (ctx, { publicId, providerId }): Promise<EndpointForDelivery | null> => {
    const endpoint = await ctx.db
      .query("inboundEndpoints")
      .withIndex("by_publicId", (q) => q.eq("publicId", publicId))
      .unique();
    if (!endpoint || endpoint.providerId !== providerId) return null;
    const org = await ctx.db.get(endpoint.orgId);
    if (!org || org.deletedAt !== undefined) return null;
    const { _id, orgId, scheme, connectionId, state, secret, previousSecret } = endpoint;
    return { _id, orgId, publicId, providerId, scheme, connectionId, state, secret, previousSecret, resource: endpoint.subscription?.resource ?? null };
  },
});

/**
 * The live connections of `providerId` whose account is one of `accountIds` (the ids a
 * payload names, lib/inbound/events.ts), each once, in organizations not being deleted.
 */
export const appTargets = internalQuery({
  args: { providerId: v.string(), accountIds: v.array(v.string()) },
  handler: async (ctx, { providerId, accountIds }) => {
    const targets: Array<{ orgId: Id<"organizations">; connectionId: Id<"connections"> }> = [];
    const seen = new Set<string>();
    for (const accountId of accountIds.slice(0, ACCOUNT_IDS_MAX)) {
      const rows = await ctx.db
        .query("connections")
        .withIndex("by_providerId_and_accountId", (q) => q.eq("providerId", providerId).eq("accountId", accountId))
        .take(APP_TARGETS_MAX);
      for (const row of rows) {
        if (!isLive(row) || seen.has(row._id) || targets.length >= APP_TARGETS_MAX) continue;
        const org = await ctx.db.get(row.orgId);
        if (!org || org.deletedAt !== undefined) continue;
        seen.add(row._id);
        targets.push({ orgId: row.orgId, connectionId: row._id });
      }
    }
    return targets;
  },
});

/** A refused delivery counts against its endpoint; nothing of it is stored. */
export const recordRefusal = internalMutation({
  args: { endpointId: v.id("inboundEndpoints"), reason: v.string() },
  handler: async (ctx, { endpointId, reason }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint) return;
    await ctx.db.patch(endpointId, {
      failedVerifications: endpoint.failedVerifications + 1,
      lastFailureAt: Date.now(),
      lastFailureReason: reason,
    });
  },
});

/**
 * The provider sent the secret it will sign with (Asana's X-Hook-Secret, Notion's
 * verification token), sealed by the HTTP action. Only an endpoint waiting for one
 * takes it: a second handshake cannot replace a secret. True when it was taken.
 */
export const completeHandshake = internalMutation({
  args: { endpointId: v.id("inboundEndpoints"), ciphertext: v.string(), version: v.number(), reveal: v.boolean() },
  handler: async (ctx, { endpointId, ciphertext, version, reveal }) => {
    const endpoint = await ctx.db.get(endpointId);
    if (!endpoint || endpoint.state !== "awaiting_handshake") return false;
    await ctx.db.patch(endpointId, { state: "active", secret: { ciphertext, version }, ...(reveal ? { revealPending: true } : {}) });
    return true;
  },
});

const targetValidator = v.object({
  orgId: v.id("organizations"),
  connectionId: v.optional(v.id("connections")),
  endpointId: v.optional(v.id("inboundEndpoints")),
});

/**
 * Stores one verified delivery for each target organization that has not seen its
 * dedupe key, and schedules its processing. One insert and one scheduled job per new
 * event; a duplicate writes nothing.
 */
export const store = internalMutation({
  args: { targets: v.array(targetValidator), ...deliveryFields },
  handler: async (ctx, { targets, ...event }) => {
    let stored = 0;
    let duplicates = 0;
    for (const target of targets) {
      const seen = await ctx.db
        .query("inboundEvents")
        .withIndex("by_orgId_and_dedupeKey", (q) => q.eq("orgId", target.orgId).eq("dedupeKey", event.dedupeKey))
        .first();
      if (seen) {
        duplicates++;
        continue;
      }
      const eventId = await ctx.db.insert("inboundEvents", {
        ...target,
        ...event,
        status: "pending",
        attempts: 0,
        nextAttemptAt: event.receivedAt,
        attemptLimit: PROCESSING_MAX_ATTEMPTS,
      });
      const jobId = await ctx.scheduler.runAfter(0, internal.webhooks.inbound.processing.run, { eventId });
      await ctx.db.patch(eventId, { jobId });
      stored++;
    }
    return { stored, duplicates };
  },
});
