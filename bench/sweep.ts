/**
 * Refresh sweep cost with 1,000 and with 20,000 connections, the same 50 of them
 * overdue. The cost that matters on Convex is what a transaction reads (it is what
 * is billed and what the per-transaction limits count), so documents read and index
 * ranges are the measure; wall time is printed too. A sweep that filtered the whole
 * table is measured beside it for contrast.
 */
import type { GenericMutationCtx } from "convex/server";
import type { DataModel } from "../convex/_generated/dataModel";
import { SWEEP_GRACE_MS, sweepOverdue } from "../convex/refresh/sweep";
import { backend } from "./backend";

const DUE = 50;
const INSERT_BATCH = 2_000;

type Metrics = { documentsRead: number; databaseQueries: number; wallMs: number; scheduled: number };

async function metricsOf(ctx: GenericMutationCtx<DataModel>) {
  const metrics = await ctx.meta.getTransactionMetrics();
  return { documentsRead: metrics.documentsRead.used, databaseQueries: metrics.databaseQueries.used };
}

/** A backend holding `total` connections: `DUE` overdue, a tenth never planned (disconnected), the rest later. */
async function seeded(total: number, now: number) {
  const t = backend({ transactionLimits: true });
  const { orgId, userId } = await t.run(async (ctx) => {
    const userId = await ctx.db.insert("users", { email: "sweep@example.com" });
    const orgId = await ctx.db.insert("organizations", { name: "Sweep", slug: "sweep", createdBy: userId });
    return { orgId, userId };
  });
  for (let start = 0; start < total; start += INSERT_BATCH) {
    await t.run(async (ctx) => {
      for (let i = start; i < Math.min(total, start + INSERT_BATCH); i++) {
        const due = i < DUE;
        const planned = i % 10 !== 9 || due;
        await ctx.db.insert("connections", {
          orgId,
          providerId: `p${i}`,
          status: planned ? "connected" : "disconnected",
          scopes: [],
          secrets: {},
          config: {},
          connectedAt: now - 86_400_000,
          connectedBy: userId,
          nextRefreshAt: !planned ? undefined : due ? now - SWEEP_GRACE_MS - 60_000 - i : now + 60_000 + ((i * 7919) % 86_400_000),
        });
      }
    });
  }
  return t;
}

async function measureSweep(total: number): Promise<{ indexed: Metrics; fullScan: Metrics }> {
  const now = Date.now();
  const t = await seeded(total, now);
  const indexed = await t.run(async (ctx) => {
    const before = await metricsOf(ctx);
    const start = performance.now();
    const { scheduled } = await sweepOverdue(ctx, now);
    const wallMs = performance.now() - start;
    const after = await metricsOf(ctx);
    // The jobs it started would try to refresh fake rows; cancel them before they run.
    for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
      if (job.state.kind === "pending") await ctx.scheduler.cancel(job._id);
    }
    return {
      documentsRead: after.documentsRead - before.documentsRead,
      databaseQueries: after.databaseQueries - before.databaseQueries,
      wallMs,
      scheduled,
    };
  });
  const fullScan = await t.run(async (ctx) => {
    const before = await metricsOf(ctx);
    const start = performance.now();
    const overdue = (await ctx.db.query("connections").collect()).filter(
      (row) => row.nextRefreshAt !== undefined && row.nextRefreshAt <= now - SWEEP_GRACE_MS,
    );
    const wallMs = performance.now() - start;
    const after = await metricsOf(ctx);
    return {
      documentsRead: after.documentsRead - before.documentsRead,
      databaseQueries: after.databaseQueries - before.databaseQueries,
      wallMs,
      scheduled: overdue.length,
    };
  });
  return { indexed, fullScan };
}

export async function benchSweep() {
  const small = await measureSweep(1_000);
  const large = await measureSweep(20_000);
  return { small, large };
}
