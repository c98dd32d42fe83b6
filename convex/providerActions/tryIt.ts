/**
 * An admin running an action from the provider page ("Try it"), and the lookups that fill
 * its form's dropdowns. Both go through the step contract, as the admin.
 */
import { v } from "convex/values";
import { getAction } from "../../lib/actions";
import { orgAction } from "../functions";
import { runAction } from "./run";
import type { ActionResult } from "./validators";

export const run = orgAction({
  role: "admin",
  args: { actionId: v.string(), input: v.any() },
  handler: async (ctx, { actionId, input }): Promise<ActionResult> =>
    runAction(ctx, { orgId: ctx.org._id, actionId, input, actor: { kind: "user", id: ctx.userId } }),
});

/** One page of a lookup's options; only lookup actions, so a form cannot run a write through it. */
export const lookup = orgAction({
  role: "admin",
  args: { actionId: v.string(), input: v.any() },
  handler: async (ctx, { actionId, input }): Promise<ActionResult> => {
    const action = getAction(actionId);
    if (!action || action.kind !== "lookup") {
      return {
        ok: false,
        error: { code: "invalid_input", message: `"${actionId}" is not a lookup.`, retryable: false },
        correlationId: "none",
      };
    }
    return runAction(ctx, { orgId: ctx.org._id, actionId, input, actor: { kind: "user", id: ctx.userId } });
  },
});
