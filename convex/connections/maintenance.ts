/**
 * Keeps a connection's refresh/keep-alive job in step with its row: one scheduled
 * job per connection at `nextRefreshAt`, moved whenever what it depends on changes
 * (a new token, a failure, a reconnect) and cancelled when there is nothing to do.
 * Helpers for mutations; not a function module.
 */
import type { Provider } from "../../lib/providers";
import { nextMaintenanceAt, type MaintenanceInput } from "../../lib/refresh/plan";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { MutationCtx } from "../_generated/server";
import { resolvedProvider } from "../shared/env";

/** The catalog entry of a row (endpoints pointed at the simulator when it is on), or null. */
export function providerOfRow(row: Pick<Doc<"connections">, "providerId">): Provider | null {
  return resolvedProvider(row.providerId);
}

/** True when this row can refresh its token: the provider supports it and a refresh token is stored. */
export function isRefreshable(row: Doc<"connections">, provider: Provider | null): boolean {
  return provider?.authKind === "oauth2" && provider.refresh.supported && row.secrets.refreshToken !== undefined;
}

/** The row as the refresh plan (lib/refresh/plan.ts) sees it. */
export function maintenanceInput(row: Doc<"connections">, provider: Provider | null): MaintenanceInput {
  return {
    // A provider that left the catalog is never maintained again.
    status: provider ? row.status : "disconnected",
    authKind: provider?.authKind ?? "webhook_url",
    refreshable: isRefreshable(row, provider),
    marginMs: provider?.refreshMarginMs,
    accessTokenExpiresAt: row.accessTokenExpiresAt,
    accessTokenIssuedAt: row.accessTokenIssuedAt ?? row.connectedAt,
    lastActivityAt: Math.max(row.connectedAt, row.lastUsedAt ?? 0, row.lastRefreshedAt ?? 0, row.lastCheckedAt ?? 0),
    retryAt: row.refreshRetryAt,
  };
}

/**
 * Cancels a job that has not started. A running job is left alone: it is usually
 * the caller itself, and Convex would cancel whatever that job schedules next.
 */
export async function cancelPendingJob(ctx: MutationCtx, jobId: Id<"_scheduled_functions"> | undefined) {
  if (!jobId) return;
  const job = await ctx.db.system.get(jobId);
  if (job?.state.kind === "pending") await ctx.scheduler.cancel(jobId);
}

/**
 * Re-plans a connection from its current row: cancels the pending job and schedules
 * one at the new `nextRefreshAt`, or none. Call it after every change to the token,
 * its failures or the status, in the same mutation.
 */
export async function replan(ctx: MutationCtx, connectionId: Id<"connections">, now = Date.now()): Promise<number | null> {
  const row = await ctx.db.get(connectionId);
  if (!row) return null;
  const at = nextMaintenanceAt(maintenanceInput(row, providerOfRow(row)), now);
  if (at === row.nextRefreshAt && row.refreshJobId && (await isPending(ctx, row.refreshJobId))) return at;
  await cancelPendingJob(ctx, row.refreshJobId);
  const refreshJobId =
    at === null ? undefined : await ctx.scheduler.runAt(at, internal.refresh.worker.maintain, { connectionId });
  await ctx.db.patch(connectionId, { nextRefreshAt: at ?? undefined, refreshJobId });
  return at;
}

async function isPending(ctx: MutationCtx, jobId: Id<"_scheduled_functions">): Promise<boolean> {
  return (await ctx.db.system.get(jobId))?.state.kind === "pending";
}

/** Stops all automatic work on a connection (disconnect, or an error only a person can fix). */
export async function stopMaintenance(ctx: MutationCtx, row: Doc<"connections">) {
  await cancelPendingJob(ctx, row.refreshJobId);
  await ctx.db.patch(row._id, { nextRefreshAt: undefined, refreshJobId: undefined, refreshLease: undefined });
}
