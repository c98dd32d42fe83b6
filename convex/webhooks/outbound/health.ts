/**
 * An endpoint's health for the settings page: how many attempts succeeded over the
 * last 24 hours, and the same counts per hour for its chart. Helpers for queries.
 */
import type { Id } from "../../_generated/dataModel";
import type { QueryCtx } from "../../_generated/server";

export const HEALTH_WINDOW_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** Attempts read per endpoint for its health; a busier endpoint's rate is over its latest ones. */
const MAX_ATTEMPTS_READ = 2_000;

export type EndpointHealth = {
  attempts: number;
  delivered: number;
  /** Delivered attempts over all attempts in the window, 0..1; null when there were none. */
  successRate: number | null;
  /** Per-hour counts (start of the hour, delivered and failed), for lib/charts.ts's bucketCounts. */
  hourly: Array<{ start: number; values: { delivered: number; failed: number } }>;
};

export async function endpointHealth(ctx: QueryCtx, endpointId: Id<"webhookEndpoints">, now: number): Promise<EndpointHealth> {
  const rows = await ctx.db
    .query("webhookAttempts")
    .withIndex("by_endpointId_and_at", (q) => q.eq("endpointId", endpointId).gte("at", now - HEALTH_WINDOW_MS))
    .order("desc")
    .take(MAX_ATTEMPTS_READ);
  const hours = new Map<number, { delivered: number; failed: number }>();
  let delivered = 0;
  for (const row of rows) {
    const start = Math.floor(row.at / HOUR_MS) * HOUR_MS;
    const bucket = hours.get(start) ?? { delivered: 0, failed: 0 };
    if (row.outcome === "delivered") {
      bucket.delivered++;
      delivered++;
    } else bucket.failed++;
    hours.set(start, bucket);
  }
  return {
    attempts: rows.length,
    delivered,
    successRate: rows.length === 0 ? null : delivered / rows.length,
    hourly: [...hours].map(([start, values]) => ({ start, values })).sort((a, b) => a.start - b.start),
  };
}
