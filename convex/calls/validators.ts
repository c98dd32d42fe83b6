/** Validators shared by the call pipeline, its logs and the schema. */
import { v, type Infer } from "convex/values";
import type { CallMethod, CallOutcome } from "../../lib/pipeline";

/** Who a call is made for: a person, an API key, or Switchboard itself (workflows, keep-alive). */
export const callActorValidator = v.object({
  kind: v.union(v.literal("user"), v.literal("apiKey"), v.literal("system")),
  id: v.optional(v.string()),
  label: v.optional(v.string()),
});
export type CallActor = Infer<typeof callActorValidator>;

export const callMethodValidator = v.union(
  v.literal("GET"),
  v.literal("HEAD"),
  v.literal("POST"),
  v.literal("PUT"),
  v.literal("PATCH"),
  v.literal("DELETE"),
);

export const callOutcomeValidator = v.union(
  v.literal("ok"),
  v.literal("client_error"),
  v.literal("unauthorized"),
  v.literal("rate_limited"),
  v.literal("server_error"),
  v.literal("network_error"),
  v.literal("timeout"),
  v.literal("refused"),
  v.literal("not_connected"),
  v.literal("credential_error"),
  v.literal("provider_unavailable"),
);

// The validators restate lib/pipeline's unions; these fail to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodsAgree: Same<Infer<typeof callMethodValidator>, CallMethod> = true;
const outcomesAgree: Same<Infer<typeof callOutcomeValidator>, CallOutcome> = true;
void methodsAgree;
void outcomesAgree;

/** One hour of call counts on a connection (see lib/pipeline/counters.ts). */
export const callBucketValidator = v.object({ hourStart: v.number(), calls: v.number(), errors: v.number() });

/** How a call got its token: it refreshed it, or waited for a refresh someone else was making. */
export const callRefreshValidator = v.union(v.literal("refreshed"), v.literal("waited"));

/** The fields of one `callLogs` row: the table's schema and the record mutation's argument. */
export const callLogFields = {
  orgId: v.id("organizations"),
  /** Absent when the provider was not connected at all. */
  connectionId: v.optional(v.id("connections")),
  providerId: v.string(),
  actor: callActorValidator,
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
  errorCode: v.optional(v.string()),
  errorMessage: v.optional(v.string()),
  at: v.number(),
};
