/**
 * Call counters live in their own table: calls never write the connection row that
 * every open dashboard subscribes to; a summary merges the counters onto it at the
 * end of the minute, once, however many calls there were.
 */
import { describe, expect, inject, test } from "vitest";
import { CALL_COUNTER_BUCKET_MS } from "../../lib/pipeline";
import { api, internal } from "../_generated/api";
import { invalidates, readSetOf, recordDatabase } from "../test.syscalls";
import { CALL_COUNTER_SHARDS, CALL_SUMMARY_INTERVAL_MS, summaryDueAfter } from "./counters";
import { worldPerTest, type World } from "./test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

async function dashboard(w: World) {
  const list = await w.member.as.query(api.integrations.connections.list, { orgId: w.orgId });
  return list.providers.find((provider) => provider.id === "github")!.connection!;
}

const shards = (w: World) => w.t.run((ctx) => ctx.db.query("callCounters").collect());

/** A connected GitHub on a fake clock one second into a minute, so a minute of calls does not cross into the next. */
async function connectedAtMinuteStart() {
  const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
  w.fakeClock(summaryDueAfter(Date.now()) + 1_000);
  return w;
}

describe("call counters", () => {
  test("100 calls leave the connection row untouched; one summary at the end of the minute writes it once, exactly", async () => {
    const w = await connectedAtMinuteStart();
    const before = await w.connection();
    expect(await dashboard(w)).toMatchObject({ calls24h: 2, errors24h: 0, lastUsedAt: null });
    const list = await readSetOf("integrations/connections:list", () =>
      w.member.as.query(api.integrations.connections.list, { orgId: w.orgId }),
    );
    expect(list.ids.has(before._id)).toBe(true);

    const recorded = recordDatabase();
    try {
      await w.simulator.failNext("github", "api", { kind: "status", status: 404 }, 10);
      // Ten at a time, as concurrent workflow steps would call.
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(Array.from({ length: 10 }, (_, i) => w.call({ path: `/repos/acme/app/issues/${batch * 10 + i}` })));
      }
      const connectionWrites = () => recorded.writes.filter((write) => write.id === before._id);
      expect(connectionWrites()).toEqual([]);
      // The same row, field for field: nothing about the connection changed.
      expect(await w.connection()).toEqual(before);
      // So the dashboard's query had no reason to re-run: no write touched what it read.
      expect(recorded.writes.filter((write) => invalidates(list, write))).toEqual([]);
      expect(await dashboard(w)).toMatchObject({ calls24h: 2, errors24h: 0 });

      await w.settleCounters();
      expect(connectionWrites()).toHaveLength(1);
      expect(recorded.writes.filter((write) => invalidates(list, write)).map((write) => write.by)).toEqual([
        "calls/counters:summarise",
      ]);
    } finally {
      recorded.stop();
    }

    const calls = await w.logs();
    expect(calls).toHaveLength(100);
    expect(await dashboard(w)).toMatchObject({
      calls24h: 102,
      errors24h: 10,
      lastUsedAt: Math.max(...calls.map((row) => row.at)),
    });
    // Concurrent calls spread over the shards; together they hold every count.
    const rows = await shards(w);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.length).toBeLessThanOrEqual(CALL_COUNTER_SHARDS);
    expect(rows.flatMap((row) => row.buckets).reduce((sum, bucket) => sum + bucket.calls, 0)).toBe(102);
    expect(rows.every((row) => row.summaryDueAt === undefined)).toBe(true);
  });

  test("the summary is written at most once a minute, and not at all when nothing changed", async () => {
    const w = await connectedAtMinuteStart();
    const { _id } = await w.connection();
    const recorded = recordDatabase();
    try {
      for (let minute = 0; minute < 3; minute++) {
        for (let i = 0; i < 5; i++) await w.call({ path: `/user/repos?page=${i}` });
        await w.settleCounters();
        expect((await dashboard(w)).calls24h).toBe(2 + 5 * (minute + 1));
      }
      const summaries = recorded.writes.filter((write) => write.id === _id);
      expect(summaries).toHaveLength(3);
      // The other shards' jobs for the same minutes found it done: one write per minute.
      expect(new Set(summaries.map((write) => write.by))).toEqual(new Set(["calls/counters:summarise"]));
      // A quiet minute: no job, no write.
      await w.settleCounters();
      expect(recorded.writes.filter((write) => write.id === _id)).toHaveLength(3);
    } finally {
      recorded.stop();
    }
    // Summaries run at the end of the minute the calls fell in.
    expect((await w.connection()).callSummary!.at % CALL_SUMMARY_INTERVAL_MS).toBeLessThan(5_000);
  });

  test("a summary with nothing new to count writes nothing", async () => {
    const w = await connectedAtMinuteStart();
    for (let i = 0; i < 8; i++) await w.call({ path: `/user/repos?page=${i}` });
    const { _id } = await w.connection();
    const due = summaryDueAfter(Date.now());
    await w.t.mutation(internal.calls.counters.summarise, { connectionId: _id, dueAt: due });
    const summarised = await w.connection();
    const recorded = recordDatabase();
    try {
      // Again, as the other shards' jobs of the same minute (or a retried job) would.
      await w.t.mutation(internal.calls.counters.summarise, { connectionId: _id, dueAt: due });
      await w.t.mutation(internal.calls.counters.summarise, { connectionId: _id, dueAt: due + CALL_SUMMARY_INTERVAL_MS });
      expect(recorded.writes.filter((write) => write.id === _id)).toEqual([]);
    } finally {
      recorded.stop();
    }
    expect(await w.connection()).toEqual(summarised);
  });

  test("a shard whose summary job was lost does not stall the counters: the next call schedules another", async () => {
    const w = await connectedAtMinuteStart();
    const { _id: connectionId } = await w.connection();
    await w.call({ path: "/user/repos" });
    // As if the pending job had failed: cancel it and leave its mark behind, long overdue.
    await w.t.run(async (ctx) => {
      for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
        if (job.state.kind === "pending" && job.name === "calls/counters:summarise") await ctx.scheduler.cancel(job._id);
      }
      // Every shard marked, so no call can find one unmarked.
      const overdue = Date.now() - 10 * CALL_SUMMARY_INTERVAL_MS;
      const rows = await ctx.db.query("callCounters").collect();
      for (let shard = 0; shard < CALL_COUNTER_SHARDS; shard++) {
        const row = rows.find((r) => r.shard === shard);
        if (row) await ctx.db.patch(row._id, { summaryDueAt: overdue });
        else await ctx.db.insert("callCounters", { orgId: w.orgId, connectionId, shard, buckets: [], summaryDueAt: overdue });
      }
    });
    for (let i = 0; i < 8; i++) await w.call({ path: `/user/repos?page=${i}` });
    await w.settleCounters();
    expect(await dashboard(w)).toMatchObject({ calls24h: 11 });
  });

  test("Switchboard's own requests count but are not use; a refused call counts as an error and is not use either", async () => {
    const w = await connectedAtMinuteStart();
    await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: "github" });
    await w.call({ path: "https://evil.example/x" }).catch(() => undefined);
    await w.settleCounters();
    expect(await dashboard(w)).toMatchObject({ calls24h: 4, errors24h: 1, lastUsedAt: null });
    await w.call({ path: "/user" });
    const { at } = (await w.logs()).at(-1)!;
    await w.settleCounters();
    expect(await dashboard(w)).toMatchObject({ calls24h: 5, lastUsedAt: at });
  });

  test("counters written on the row before the counters table are kept, moved to it by the first summary", async () => {
    const w = await connectedAtMinuteStart();
    const row = await w.connection();
    const hourStart = Date.now() - (Date.now() % CALL_COUNTER_BUCKET_MS);
    // A row as the previous version left it: counters on the row, no shards, no summary.
    await w.t.run(async (ctx) => {
      for (const shard of await ctx.db.query("callCounters").collect()) await ctx.db.delete(shard._id);
      await ctx.db.patch(row._id, { callSummary: undefined, callBuckets: [{ hourStart, calls: 9, errors: 3 }] });
    });
    expect(await dashboard(w)).toMatchObject({ calls24h: 9, errors24h: 3 });
    await w.call({ path: "/user/repos" });
    await w.settleCounters();
    expect(await dashboard(w)).toMatchObject({ calls24h: 10, errors24h: 3 });
    expect((await w.connection()).callBuckets).toBeUndefined();
    // Once moved, a second summary does not count them again.
    await w.call({ path: "/user/repos" });
    await w.settleCounters();
    expect(await dashboard(w)).toMatchObject({ calls24h: 11, errors24h: 3 });
  });
});
