/** Run history retention: finished runs older than the retention period go; runs under way and recent ones stay. */
import { describe, expect, inject, test, vi } from "vitest";
import { internal } from "../_generated/api";
import { worldPerTest } from "../calls/test.world";
import { releaseWorkflow, SLACK_SCOPES, workflowHelpers } from "./test.workflows";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const DAY_MS = 24 * 60 * 60_000;

describe("workflow run retention", () => {
  test("the daily purge deletes finished runs older than 30 days, a page at a time, and keeps the rest", async () => {
    const w = await setup(simulatorUrl, "slack", { extraScopes: SLACK_SCOPES });
    w.fakeClock();
    const { create, start, run, settle, until } = workflowHelpers(w);
    const workflowId = await create(releaseWorkflow());
    const old = [];
    for (let i = 0; i < 23; i += 1) old.push(await start(workflowId));
    await settle();
    // One more, waiting an hour to retry a failed step: still under way when it is old.
    const slow = await create(releaseWorkflow({ name: "Slow", steps: [{ ...releaseWorkflow().steps[0]!, retry: { maxAttempts: 3, initialDelayMs: 3_600_000 } }] }));
    await w.simulator.failNext("slack", "api", { kind: "status", status: 503 });
    const waiting = await start(slow);
    await until(waiting, (r) => r.status === "retrying");

    vi.setSystemTime(Date.now() + 31 * DAY_MS);
    const recent = await start(workflowId);
    await until(recent, (r) => r.status === "succeeded");

    const first = await w.t.mutation(internal.workflows.retention.purge, {});
    expect(first).toEqual({ deleted: 20, done: false });
    // The next page runs as its own scheduled transaction (the waiting retry is an hour out).
    vi.advanceTimersByTime(1);
    await w.t.finishInProgressScheduledFunctions();
    const remaining = await w.t.run((ctx) => ctx.db.query("workflowRuns").collect());
    expect(remaining.map((r) => r._id).sort()).toEqual([waiting, recent].sort());
    expect((await run(waiting)).status).toBe("retrying");
    for (const id of old) expect(await w.t.run((ctx) => ctx.db.get(id))).toBeNull();
  });

  test("nothing is deleted inside the retention period", async () => {
    const w = await setup(simulatorUrl, "slack", { extraScopes: SLACK_SCOPES });
    w.fakeClock();
    const { create, start, settle } = workflowHelpers(w);
    const runId = await start(await create(releaseWorkflow()));
    await settle();
    vi.setSystemTime(Date.now() + 29 * DAY_MS);
    expect(await w.t.mutation(internal.workflows.retention.purge, {})).toEqual({ deleted: 0, done: true });
    expect(await w.t.run((ctx) => ctx.db.get(runId))).not.toBeNull();
  });
});
