/**
 * The job behind `nextRefreshAt`: scheduled per connection, and started by the sweep
 * for any that were missed. It looks at the row as it is now (the plan may have
 * moved since it was scheduled) and refreshes, tests (keep-alive) or only re-plans.
 */
import { v } from "convex/values";
import { runTestRequest } from "../../lib/connect/verify";
import { maintenanceDue, type MaintenanceDue } from "../../lib/refresh/plan";
import { connectionApiBase, type Provider } from "../../lib/providers";
import { maintenanceInput, providerOfRow } from "../connections/maintenance";
import { KEEP_ALIVE_ACTOR } from "../connections/transitions";
import { internalAction } from "../functions";
import { internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import type { ActionCtx } from "../_generated/server";
import { loggedTransport, newCorrelationId } from "../shared/providerHttp";
import { decryptRowSecrets } from "../shared/secrets";
import { refreshSingleFlight } from "./singleFlight";

export const maintain = internalAction({
  args: { connectionId: v.id("connections") },
  handler: async (ctx, { connectionId }): Promise<MaintenanceDue> => {
    const row: Doc<"connections"> | null = await ctx.runQuery(internal.refresh.state.get, { connectionId });
    if (!row) return { action: "none", reason: "not_live" };
    const provider = providerOfRow(row);
    const due = maintenanceDue(maintenanceInput(row, provider), Date.now());
    switch (due.action) {
      case "none":
        await ctx.runMutation(internal.refresh.state.replan, { connectionId });
        return due;
      case "refresh":
        if (provider?.authKind !== "oauth2") throw new Error("Invariant: only OAuth connections refresh.");
        // A job never waits on a refresh in flight: whoever holds the lease re-plans.
        await refreshSingleFlight(ctx, provider, connectionId, { kind: "scheduled" }, due.reason, { wait: false });
        return due;
      case "test":
        await keepAliveTest(ctx, provider!, row);
        return due;
      default:
        return due satisfies never;
    }
  },
});

/**
 * Keep-alive for a connection that cannot refresh: the provider's own test request
 * (read-only "who am I" calls; webhooks are never tested, that would post a message).
 */
async function keepAliveTest(ctx: ActionCtx, provider: Provider, row: Doc<"connections">) {
  const broken = (reason: "unauthorized" | "decrypt_failed", message: string) =>
    ctx.runMutation(internal.refresh.state.markBroken, {
      connectionId: row._id,
      reason,
      failedSecrets: row.secrets,
      actor: KEEP_ALIVE_ACTOR,
      message,
      source: "keep_alive",
    });
  const secrets = await decryptRowSecrets(row);
  if (!secrets) {
    await broken("decrypt_failed", "The stored credential could not be decrypted. Reconnect to fix it.");
    return;
  }
  const send = loggedTransport(ctx, {
    orgId: row.orgId,
    provider,
    connectionId: row._id,
    actor: KEEP_ALIVE_ACTOR,
    correlationId: newCorrelationId(),
    secrets: Object.values(secrets),
    apiBase: connectionApiBase(provider, row.config),
  });
  const outcome = await runTestRequest(provider, { secrets, config: row.config }, "keep_alive", send);
  if (outcome.ok) {
    await ctx.runMutation(internal.refresh.state.recordKeepAlive, { connectionId: row._id, result: "ok" });
  } else if (outcome.reason === "unauthorized") {
    await broken("unauthorized", outcome.message);
  } else {
    await ctx.runMutation(internal.refresh.state.recordKeepAlive, {
      connectionId: row._id,
      result: "unavailable",
      message: outcome.message,
    });
  }
}
