/** Validators of the call log: its row, shared by the schema and the record mutation. */
import { v } from "convex/values";
import { actorValidator, callMethodValidator, callOutcomeValidator, requestPurposeValidator } from "../shared/validators";

/** One hour of call counts of a connection (see lib/pipeline/counters.ts). */
export const callBucketValidator = v.object({ hourStart: v.number(), calls: v.number(), errors: v.number() });

/** A connection's counters as the dashboard reads them: every shard merged, as of `at`. */
export const callSummaryValidator = v.object({ buckets: v.array(callBucketValidator), at: v.number() });

/** How a call got its token: it refreshed it, or waited for a refresh someone else was making. */
export const callRefreshValidator = v.union(v.literal("refreshed"), v.literal("waited"));

/** The fields of one `callLogs` row: the table's schema and the record mutation's argument. */
export const callLogFields = {
  orgId: v.id("organizations"),
  /** Absent when the provider was not connected at all. */
  connectionId: v.optional(v.id("connections")),
  providerId: v.string(),
  actor: actorValidator,
  /** Why the request was made (a call, a Test click, keep-alive, a refresh, …); absent on rows older than the field: a call. */
  purpose: v.optional(requestPurposeValidator),
  method: callMethodValidator,
  /** Relative to the API base, with its query; secret values redacted. */
  path: v.string(),
  /** The provider's HTTP status; null when no answer came (refused, network, timeout). */
  status: v.union(v.number(), v.null()),
  outcome: callOutcomeValidator,
  latencyMs: v.number(),
  attempts: v.number(),
  refresh: v.optional(callRefreshValidator),
  correlationId: v.string(),
  request: v.string(),
  response: v.optional(v.string()),
  /** True when the provider's answer was longer than the pipeline reads and was cut. */
  responseTruncated: v.optional(v.boolean()),
  errorCode: v.optional(v.string()),
  errorMessage: v.optional(v.string()),
  at: v.number(),
};
