import { authTables } from "@convex-dev/auth/server";
import { rateLimitTables } from "convex-helpers/server/rateLimit";
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";
import { apiKeyFields, apiKeyRequestFields, apiKeyUsageDayFields } from "./apiKeys/validators";
import { actionResultValidator } from "./providerActions/validators";
import { callBucketValidator, callLogFields, callSummaryValidator } from "./calls/validators";
import {
  actorValidator,
  auditActionValidator,
  connectionStatusValidator,
  roleValidator,
  statusReasonValidator,
} from "./shared/validators";
import { inboundWebhookTables } from "./webhooks/inbound/tables";
import { outboundWebhookTables } from "./webhooks/outbound/tables";
import { workflowFields, workflowRunFields } from "./workflows/validators";

// The row shapes that two modules need (call logs) are defined once in their feature's validators.
export default defineSchema({
  ...authTables,
  ...inboundWebhookTables,
  ...outboundWebhookTables,
  // convex-helpers' rate limiter (the public API's per-key limits): its `rateLimits` table.
  ...rateLimitTables,

  organizations: defineTable({
    name: v.string(),
    slug: v.string(),
    createdBy: v.id("users"),
    /**
     * Set when an owner deleted the organization: nobody can use it from then on, and
     * convex/orgs/deletion.ts deletes its data in batches, this row last.
     */
    deletedAt: v.optional(v.number()),
    deletedBy: v.optional(v.id("users")),
  }).index("by_slug", ["slug"]),

  /**
   * Slugs an organization had before, so old links still lead to it. A slug is here at
   * most once: whoever takes it next (a rename back, or another organization) removes it.
   */
  previousSlugs: defineTable({
    orgId: v.id("organizations"),
    slug: v.string(),
  })
    .index("by_slug", ["slug"])
    .index("by_orgId", ["orgId"]),

  memberships: defineTable({
    orgId: v.id("organizations"),
    userId: v.id("users"),
    role: roleValidator,
  })
    .index("by_orgId_and_userId", ["orgId", "userId"])
    .index("by_orgId_and_role", ["orgId", "role"])
    .index("by_userId", ["userId"]),

  /**
   * One connection per organization and provider. Secrets are vault ciphertexts
   * keyed by field (`accessToken`, `refreshToken`, `password`, …), each bound to the
   * org, the provider and the field name; `config` holds what is not secret. Status
   * and its reason change only through convex/connections/transitions.ts.
   */
  connections: defineTable({
    orgId: v.id("organizations"),
    providerId: v.string(),
    status: connectionStatusValidator,
    /** Why the connection is in error (`refresh_revoked`, `unauthorized`, …); the UI explains it. */
    statusReason: v.optional(statusReasonValidator),
    /** A safe, human sentence about the last failure. Never holds a secret. */
    lastError: v.optional(v.string()),
    accountId: v.optional(v.string()),
    accountName: v.optional(v.string()),
    scopes: v.array(v.string()),
    secrets: v.record(v.string(), v.string()),
    config: v.record(v.string(), v.string()),
    accessTokenExpiresAt: v.optional(v.number()),
    connectedAt: v.number(),
    connectedBy: v.id("users"),
    lastCheckedAt: v.optional(v.number()),

    // Token refresh and keep-alive (convex/refresh/). Absent on rows from before it.
    /** When the current access token was obtained (at connect or by the last refresh). */
    accessTokenIssuedAt: v.optional(v.number()),
    /** When this connection next needs a refresh, a retry or a keep-alive; unset when never. */
    nextRefreshAt: v.optional(v.number()),
    /** The scheduled job that will do it, so a reconnect or disconnect can cancel it. */
    refreshJobId: v.optional(v.id("_scheduled_functions")),
    /** Held while one action refreshes; everyone else waits for its result. */
    refreshLease: v.optional(v.object({ id: v.string(), expiresAt: v.number() })),
    lastRefreshedAt: v.optional(v.number()),
    /** Consecutive failed refreshes, since when, and when the next attempt is due. */
    refreshFailures: v.optional(v.number()),
    refreshFailingSince: v.optional(v.number()),
    refreshRetryAt: v.optional(v.number()),

    /** After a disconnect: the grant's revocation at the provider is still being tried, or was given up. */
    revocation: v.optional(v.union(v.literal("pending"), v.literal("failed"))),

    // Call counters (convex/calls/counters.ts): the dashboard reads this summary, never the
    // logs, and calls never write it: they count in `callCounters`, merged here at most once a minute.
    /** When a call was last sent, as of the last summary. */
    lastUsedAt: v.optional(v.number()),
    /** The hourly call counters of all the connection's `callCounters` shards, as of `at`. */
    callSummary: v.optional(callSummaryValidator),
    /** Counters written on the row before `callCounters` existed; the first summary moves them there. */
    callBuckets: v.optional(v.array(callBucketValidator)),
  })
    .index("by_orgId_and_providerId", ["orgId", "providerId"])
    .index("by_nextRefreshAt", ["nextRefreshAt"])
    // App-level webhooks (Slack, Zoom, a GitHub App) find their connections by the payload's account.
    .index("by_providerId_and_accountId", ["providerId", "accountId"]),

  /**
   * Revocations that failed in a way that says nothing about the token (no answer,
   * 429, 5xx) and are tried again (RFC 7009 §2.2.1: assume the token still exists).
   * `secrets` are the disconnected connection's ciphertexts, moved here unchanged (they
   * are bound to the org, provider and field, not to a row); deleted once revoked or
   * given up.
   */
  pendingRevocations: defineTable({
    orgId: v.id("organizations"),
    providerId: v.string(),
    connectionId: v.id("connections"),
    secrets: v.record(v.string(), v.string()),
    requestedBy: v.id("users"),
    attempts: v.number(),
    firstFailedAt: v.number(),
    nextAttemptAt: v.number(),
    lastError: v.optional(v.string()),
    jobId: v.optional(v.id("_scheduled_functions")),
  }).index("by_connectionId", ["connectionId"]),

  /**
   * One row per provider call made through the pipeline. Paths and excerpts are
   * redacted before they are written and excerpts are cut to 2 KB; nothing here is
   * a secret. Deleted after CALL_LOG_RETENTION_DAYS (30 by default).
   */
  callLogs: defineTable(callLogFields)
    .index("by_orgId_and_at", ["orgId", "at"])
    .index("by_orgId_and_providerId_and_at", ["orgId", "providerId", "at"])
    .index("by_orgId_and_correlationId", ["orgId", "correlationId"])
    .index("by_at", ["at"]),

  /**
   * What the call log counts per connection: hourly calls and errors, and when a call
   * was last sent. A connection has up to CALL_COUNTER_SHARDS rows; each log row adds
   * to one (picked by its id), so concurrent calls rarely write the same document and
   * never the connection itself. `summaryDueAt` is set while a summary job that will
   * count this shard is pending.
   */
  callCounters: defineTable({
    orgId: v.id("organizations"),
    connectionId: v.id("connections"),
    shard: v.number(),
    buckets: v.array(callBucketValidator),
    lastUsedAt: v.optional(v.number()),
    summaryDueAt: v.optional(v.number()),
  })
    .index("by_connectionId_and_shard", ["connectionId", "shard"])
    .index("by_orgId", ["orgId"]),

  /**
   * OAuth states in flight. Only a SHA-256 of the state is stored; the PKCE verifier
   * is a vault ciphertext. A consumed state is kept until it expires so a replay is
   * told apart from a forgery.
   */
  oauthStates: defineTable({
    stateHash: v.string(),
    orgId: v.id("organizations"),
    userId: v.id("users"),
    providerId: v.string(),
    codeVerifier: v.optional(v.string()),
    scopes: v.array(v.string()),
    returnTo: v.string(),
    mode: v.union(v.literal("popup"), v.literal("redirect")),
    expiresAt: v.number(),
    consumedAt: v.optional(v.number()),
  })
    .index("by_stateHash", ["stateHash"])
    .index("by_expiresAt", ["expiresAt"])
    .index("by_orgId", ["orgId"]),

  /** Who granted which scopes to which provider, and when. Kept after disconnect. */
  consents: defineTable({
    orgId: v.id("organizations"),
    providerId: v.string(),
    connectionId: v.id("connections"),
    userId: v.id("users"),
    scopes: v.array(v.string()),
    grantedAt: v.number(),
  }).index("by_orgId_and_providerId", ["orgId", "providerId"]),

  /** Who did what, in an organization. Never deleted with the thing it describes. */
  auditEvents: defineTable({
    orgId: v.id("organizations"),
    action: auditActionValidator,
    actor: actorValidator,
    providerId: v.optional(v.string()),
    subject: v.optional(v.string()),
    details: v.optional(v.record(v.string(), v.union(v.string(), v.number(), v.boolean(), v.null()))),
  })
    .index("by_orgId", ["orgId"])
    .index("by_orgId_and_providerId", ["orgId", "providerId"]),

  /**
   * Action results by idempotency key (convex/actions/idempotency.ts): a second run with
   * the same key within 24 hours gets the first result without calling the provider.
   */
  actionResults: defineTable({
    orgId: v.id("organizations"),
    idempotencyKey: v.string(),
    actionId: v.string(),
    /** SHA-256 of the action id and canonical input: the same key with other input is refused. */
    inputHash: v.string(),
    correlationId: v.string(),
    /** `running` while the first run is under way (a claim), `done` once its result is here. */
    state: v.union(v.literal("running"), v.literal("done")),
    result: v.optional(actionResultValidator),
    claimedAt: v.number(),
    expiresAt: v.number(),
  })
    .index("by_orgId_and_idempotencyKey", ["orgId", "idempotencyKey"])
    .index("by_expiresAt", ["expiresAt"]),

  /**
   * Workflows (convex/workflows/): a trigger and 1–20 steps, each a provider action with
   * an input template and a retry policy (lib/workflows/definition.ts). At most 100 per
   * organization. An enabled schedule keeps one pending `schedule.fire` job.
   */
  workflows: defineTable(workflowFields).index("by_orgId", ["orgId"]).index("by_orgId_and_eventType_and_enabled", ["orgId", "trigger.eventType", "enabled"]),

  /**
   * One row per run of a workflow: a copy of the steps it runs and each one's outcome,
   * advanced by the runner one step at a time (one write per step). The copy means
   * editing the workflow does not change a run under way. Deleted with their workflow.
   */
  workflowRuns: defineTable(workflowRunFields)
    .index("by_orgId_and_workflowId", ["orgId", "workflowId"])
    .index("by_workflowId_and_status", ["workflowId", "status"])
    .index("by_status", ["status"]),

  /**
   * API keys (convex/apiKeys/): only the SHA-256 of a key is stored, with its display
   * prefix and last four. A rotated key points at its replacement and works until
   * `graceEndsAt`; a revoked one stops at once. Authentication reads one row by hash.
   */
  apiKeys: defineTable(apiKeyFields).index("by_keyHash", ["keyHash"]).index("by_orgId", ["orgId"]),

  /** Requests per key and UTC day, and when it was last used that day: the page's chart and "last used". */
  apiKeyUsageDays: defineTable(apiKeyUsageDayFields)
    .index("by_keyId_and_dayStart", ["keyId", "dayStart"])
    .index("by_dayStart", ["dayStart"])
    .index("by_orgId", ["orgId"]),

  /**
   * One row per request made with a key: method, route pattern, status, latency, user
   * agent and address. Never the key or the Authorization header. Deleted after
   * API_KEY_USAGE_RETENTION_DAYS (30 by default).
   */
  apiKeyRequests: defineTable(apiKeyRequestFields).index("by_keyId_and_at", ["keyId", "at"]).index("by_at", ["at"]).index("by_orgId", ["orgId"]),
});
