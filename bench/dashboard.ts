/**
 * How often an open dashboard's `integrations/connections:list` would re-run while
 * one connection makes 100 calls. Convex re-runs a subscribed query when a write
 * touches what it read, so the measure is the writes (recorded at convex-test's
 * syscalls, with the function that made each) to a document the query read or to a
 * table it read a range of. The counters' summary, which runs at the end of a
 * minute, is run once after the calls as the scheduler would (and counted apart).
 */
import { api, internal } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { invalidates, readSetOf, recordDatabase } from "../convex/test.syscalls";
import type { Backend } from "./backend";

const CALLS = 100;
const SUMMARY = "calls/counters:summarise";
const LIST = "integrations/connections:list";

type Client = Pick<Backend, "query">;

export async function benchDashboard(t: Backend, admin: Client, orgId: Id<"organizations">) {
  const list = await readSetOf(LIST, () => admin.query(api.integrations.connections.list, { orgId }));
  const recorder = recordDatabase();
  const startedAt = Date.now();
  try {
    for (let i = 0; i < CALLS; i++) {
      await t.action(internal.calls.pipeline.call, {
        orgId,
        providerId: "github",
        method: "GET",
        path: `/repos/acme/app/issues/${i}`,
        actor: { kind: "system", label: "bench" },
      });
    }
    const minutesCrossed = Math.floor(Date.now() / 60_000) - Math.floor(startedAt / 60_000);
    const during = recorder.writes.filter((write) => invalidates(list, write));
    // The summaries still pending run now, as they will at the end of the minute (the
    // jobs stay scheduled; when they run, they find nothing new and write nothing).
    const pending = await t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.state.kind === "pending" && job.name === SUMMARY),
    );
    for (const job of pending) {
      await t.mutation(internal.calls.counters.summarise, job.args[0] as { connectionId: Id<"connections">; dueAt: number });
    }
    const all = recorder.writes.filter((write) => invalidates(list, write));
    return {
      calls: CALLS,
      byCalls: during.filter((write) => write.by !== SUMMARY).length,
      bySummaries: all.filter((write) => write.by === SUMMARY).length,
      summaryJobs: pending.length,
      minutesCrossed,
      writes: recorder.writes.length,
    };
  } finally {
    recorder.stop();
  }
}
