/**
 * What the org can do with its connections: the actions of each connected provider, with
 * their JSON Schemas (for forms, and later the public API) and whether the connection's
 * granted scopes allow each one. Members see the same list, read-only.
 */
import { v } from "convex/values";
import { actionSpec, actionsOfProvider, missingScope } from "../../lib/actions";
import { orgQuery } from "../functions";
import { findConnection } from "../integrations/store";
import { providerOrThrow } from "../shared/env";
import type { Id } from "../_generated/dataModel";
import type { QueryCtx } from "../_generated/server";

/**
 * One action as the org sees it: its spec, and what stops it from running now. The JSON
 * Schemas travel as JSON text: Convex values cannot hold `$`-prefixed keys (`$schema`,
 * `$defs`, `$ref`), which JSON Schema uses.
 */
function orgAction(
  action: Parameters<typeof actionSpec>[0],
  connection: { status: string; scopes: string[] } | null,
) {
  const live = connection !== null && connection.status !== "disconnected";
  const { inputSchema, outputSchema, ...spec } = actionSpec(action);
  return {
    ...spec,
    inputSchemaJson: JSON.stringify(inputSchema),
    outputSchemaJson: JSON.stringify(outputSchema),
    /** Why it cannot run now: not connected, or the scope to grant on reconnect. */
    blockedBy: !live
      ? ({ kind: "not_connected" } as const)
      : ((scope) => (scope ? ({ kind: "missing_scope", scope } as const) : null))(missingScope(action.scopes, connection.scopes)),
  };
}

/** The actions of one provider (connected or not), for its page. */
export const forProvider = orgQuery({
  role: "member",
  args: { providerId: v.string() },
  handler: async (ctx, { providerId }) => {
    const provider = providerOrThrow(providerId);
    const row = await findConnection(ctx, ctx.org._id, provider.id);
    return actionsOfProvider(provider.id).map((action) => orgAction(action, row));
  },
});

/** Every action of every provider the org has connected (a connection per provider; bounded by the catalog). */
export const available = orgQuery({
  role: "member",
  args: {},
  handler: async (ctx) => availableActions(ctx, ctx.org._id),
});

/** What `available` answers, for the public API too. */
export async function availableActions(ctx: QueryCtx, orgId: Id<"organizations">) {
  // One connection per provider: at most the catalog's size.
  const rows = await ctx.db
    .query("connections")
    .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId))
    .take(200);
  return rows
    .filter((row) => row.status !== "disconnected")
    .flatMap((row) => actionsOfProvider(row.providerId).map((action) => orgAction(action, row)));
}
