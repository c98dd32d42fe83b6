/**
 * The inbound webhook tables, spread into convex/schema.ts. No secret is stored in the
 * clear: an endpoint's signing secret (GitHub hook secret, Linear's, Asana's handshake
 * secret, Notion's verification token, a Graph clientState, a whsec_ key) is a vault
 * ciphertext bound to the endpoint's public id and the secret's version
 * (convex/shared/secrets.ts), and events keep redacted headers only.
 */
import { literals } from "convex-helpers/validators";
import { defineTable } from "convex/server";
import { v } from "convex/values";
import { INBOUND_SCHEME_IDS } from "../../../lib/inbound/schemes";

export const INBOUND_EVENT_STATUSES = ["pending", "processed", "failed", "dead"] as const;
export const ENDPOINT_STATES = ["active", "awaiting_handshake"] as const;
export const LIFECYCLE_REASONS = ["provider_uninstalled", "provider_revoked", "provider_suspended", "subscription_removed"] as const;

const sealedSecret = { ciphertext: v.string(), version: v.number() };

export const inboundEventStatusValidator = literals(...INBOUND_EVENT_STATUSES);
export const lifecycleValidator = v.object({ reason: literals(...LIFECYCLE_REASONS), said: v.string() });

/** What one accepted delivery says, the same for every organization it reaches (ingest.store's arguments). */
export const deliveryFields = {
  providerId: v.string(),
  type: v.string(),
  dedupeKey: v.string(),
  deliveryId: v.optional(v.string()),
  /** What checked it: the scheme's label (lib/inbound/schemes.ts). */
  verification: v.string(),
  headers: v.record(v.string(), v.string()),
  payload: v.string(),
  payloadBytes: v.number(),
  payloadTruncated: v.boolean(),
  lifecycle: v.optional(lifecycleValidator),
  receivedAt: v.number(),
};

export const inboundWebhookTables = {
  /**
   * A URL a provider delivers to: `/webhooks/<providerId>/<publicId>`. One per
   * subscription (a GitHub repository hook, a Linear webhook, a Graph subscription …),
   * per pasted URL (Notion, a Standard Webhooks sender). `awaiting_handshake` while the
   * provider has not yet sent the secret it signs with (Asana's X-Hook-Secret, Notion's
   * verification token). `subscription` is the provider's side, when we registered it.
   */
  inboundEndpoints: defineTable({
    orgId: v.id("organizations"),
    publicId: v.string(),
    providerId: v.string(),
    scheme: literals(...INBOUND_SCHEME_IDS),
    connectionId: v.optional(v.id("connections")),
    description: v.string(),
    state: literals(...ENDPOINT_STATES),
    secret: v.optional(v.object(sealedSecret)),
    /** Still accepted until `expiresAt` after a rotation. */
    previousSecret: v.optional(v.object({ ...sealedSecret, expiresAt: v.number() })),
    /** Notion's verification token waits here until an admin has seen it once. */
    revealPending: v.optional(v.boolean()),
    subscription: v.optional(
      v.object({
        /** The provider's id of the hook, webhook, subscription or channel. */
        externalId: v.string(),
        /** What it watches (`owner/repo`, a team id, `me/messages`, a calendar id). */
        resource: v.string(),
        expiresAt: v.optional(v.number()),
        renewJobId: v.optional(v.id("_scheduled_functions")),
        lastRenewedAt: v.optional(v.number()),
        lastError: v.optional(v.string()),
      }),
    ),
    /** Refused deliveries (bad signature, stale, too large), and the last one's reason. */
    failedVerifications: v.number(),
    lastFailureAt: v.optional(v.number()),
    lastFailureReason: v.optional(v.string()),
    createdAt: v.number(),
  })
    .index("by_publicId", ["publicId"])
    .index("by_orgId", ["orgId"])
    .index("by_connectionId", ["connectionId"])
    // The renewal sweep: subscriptions expiring soon (convex/webhooks/inbound/subscriptions.ts).
    .index("by_subscriptionExpiresAt", ["subscription.expiresAt"]),

  /**
   * One accepted delivery for one organization. `dedupeKey` (lib/inbound/events.ts) is
   * unique per organization: the mutation that stores an event checks it first, so a
   * provider's retry is acknowledged and dropped. The payload is redacted JSON text,
   * capped (`payloadTruncated`); processing is the scheduled `jobId`.
   */
  inboundEvents: defineTable({
    orgId: v.id("organizations"),
    connectionId: v.optional(v.id("connections")),
    endpointId: v.optional(v.id("inboundEndpoints")),
    ...deliveryFields,
    status: inboundEventStatusValidator,
    attempts: v.number(),
    /** Attempts allowed in this round: PROCESSING_MAX_ATTEMPTS, or one more after a Replay. */
    attemptLimit: v.number(),
    nextAttemptAt: v.optional(v.number()),
    jobId: v.optional(v.id("_scheduled_functions")),
    processedAt: v.optional(v.number()),
    lastError: v.optional(v.string()),
    /** What processing did: workflow runs started, the connection changed, forwarded. */
    outcome: v.optional(v.object({ workflowRuns: v.number(), connectionChanged: v.boolean(), forwardedAs: v.optional(v.string()) })),
    replays: v.optional(v.number()),
  })
    .index("by_orgId_and_dedupeKey", ["orgId", "dedupeKey"])
    .index("by_orgId_and_receivedAt", ["orgId", "receivedAt"])
    .index("by_orgId_and_providerId_and_receivedAt", ["orgId", "providerId", "receivedAt"])
    .index("by_orgId_and_status_and_receivedAt", ["orgId", "status", "receivedAt"])
    .index("by_orgId_and_type_and_receivedAt", ["orgId", "type", "receivedAt"])
    .index("by_receivedAt", ["receivedAt"])
    // The sweep that restarts processing whose job died.
    .index("by_status_and_nextAttemptAt", ["status", "nextAttemptAt"]),
};
