/**
 * The outbound webhook tables, spread into convex/schema.ts. Nothing here holds a
 * webhook secret in the clear: signing secrets are vault ciphertexts bound to their
 * endpoint and version (convex/shared/secrets.ts).
 */
import { literals } from "convex-helpers/validators";
import { defineTable } from "convex/server";
import { v } from "convex/values";

export const DISABLED_REASONS = ["manual", "gone", "failing"] as const;
export const MESSAGE_STATUSES = ["pending", "delivered", "failed"] as const;
export const ATTEMPT_OUTCOMES = ["delivered", "http_error", "redirect", "gone", "timeout", "network_error", "refused"] as const;

const sealedSecret = { ciphertext: v.string(), version: v.number() };

export const outboundWebhookTables = {
  /**
   * An organization's webhook endpoints. `publicId` (`ep_…`) is what receivers and the
   * API see and what the secret's ciphertext is bound to. `previousSecret` still signs
   * until `expiresAt` after a rotation. `failingSince` is set while every attempt since
   * then has failed (cleared by a success); five days of it turn the endpoint off.
   */
  webhookEndpoints: defineTable({
    orgId: v.id("organizations"),
    publicId: v.string(),
    url: v.string(),
    description: v.string(),
    /** Filter keys (lib/webhooks/filter.ts); mirrored row by row in webhookSubscriptions. */
    filter: v.array(v.string()),
    enabled: v.boolean(),
    disabled: v.optional(v.object({ reason: literals(...DISABLED_REASONS), at: v.number() })),
    secret: v.object(sealedSecret),
    previousSecret: v.optional(v.object({ ...sealedSecret, expiresAt: v.number() })),
    failingSince: v.optional(v.number()),
    lastSuccessAt: v.optional(v.number()),
    lastFailureAt: v.optional(v.number()),
    /** A safe sentence about the last failed attempt (status, timeout, refused address). */
    lastFailure: v.optional(v.string()),
    createdAt: v.number(),
  })
    .index("by_orgId", ["orgId"])
    .index("by_publicId", ["publicId"]),

  /**
   * One row per (endpoint, filter key), so fan-out reads the rows of an event's three
   * keys (type, `group.*`, `*`) through one index, never every endpoint of the org.
   */
  webhookSubscriptions: defineTable({
    orgId: v.id("organizations"),
    endpointId: v.id("webhookEndpoints"),
    filterKey: v.string(),
  })
    .index("by_orgId_and_filterKey", ["orgId", "filterKey"])
    .index("by_endpointId", ["endpointId"]),

  /**
   * One event for one endpoint: the exact body that is signed on every attempt, and
   * where its delivery stands. `jobId` is the pending attempt, so a replay can replace it.
   */
  webhookMessages: defineTable({
    orgId: v.id("organizations"),
    endpointId: v.id("webhookEndpoints"),
    eventType: v.string(),
    body: v.string(),
    status: literals(...MESSAGE_STATUSES),
    attempts: v.number(),
    nextAttemptAt: v.optional(v.number()),
    jobId: v.optional(v.id("_scheduled_functions")),
    lastAttemptAt: v.optional(v.number()),
    deliveredAt: v.optional(v.number()),
  })
    .index("by_endpointId", ["endpointId"])
    .index("by_endpointId_and_status", ["endpointId", "status"])
    // For deleting an organization's data (convex/orgs/deletion.ts).
    .index("by_orgId", ["orgId"]),

  /** The delivery log: one row per attempt, with a redacted, size-capped excerpt of the answer. */
  webhookAttempts: defineTable({
    orgId: v.id("organizations"),
    endpointId: v.id("webhookEndpoints"),
    messageId: v.id("webhookMessages"),
    attempt: v.number(),
    at: v.number(),
    outcome: literals(...ATTEMPT_OUTCOMES),
    status: v.optional(v.number()),
    latencyMs: v.number(),
    responseExcerpt: v.optional(v.string()),
    error: v.optional(v.string()),
  })
    .index("by_messageId", ["messageId"])
    .index("by_endpointId_and_at", ["endpointId", "at"])
    .index("by_orgId", ["orgId"]),
};
