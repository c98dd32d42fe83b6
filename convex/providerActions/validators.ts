/** Validators of the action step contract (what `internal.providerActions.run.run` takes and answers). */
import { v, type Infer } from "convex/values";
import { literals } from "convex-helpers/validators";
import { ACTION_ERROR_CODES } from "../../lib/actions/errors";
import { actorValidator } from "../shared/validators";

export const actionErrorValidator = v.object({
  code: literals(...ACTION_ERROR_CODES),
  message: v.string(),
  retryable: v.boolean(),
  retryAfterMs: v.optional(v.number()),
  fields: v.optional(v.record(v.string(), v.string())),
  providerCode: v.optional(v.string()),
  status: v.optional(v.number()),
});

export const actionResultValidator = v.union(
  v.object({ ok: v.literal(true), output: v.any(), correlationId: v.string() }),
  v.object({ ok: v.literal(false), error: actionErrorValidator, correlationId: v.string() }),
);
export type ActionResult = Infer<typeof actionResultValidator>;

export const runActionArgs = {
  orgId: v.id("organizations"),
  /** `slack.post_message`: see lib/actions/catalog.ts. */
  actionId: v.string(),
  /** Checked against the action's input schema. */
  input: v.any(),
  /** The same key within 24 hours returns the first result without calling the provider again. */
  idempotencyKey: v.optional(v.string()),
  /** Ties the call log row to the caller's trace (a workflow run); one is made when absent. */
  correlationId: v.optional(v.string()),
  actor: actorValidator,
};
export const runActionArgsValidator = v.object(runActionArgs);
export type RunActionArgs = Infer<typeof runActionArgsValidator>;
