/**
 * A step whose job crashes (the action throws: a bug, an out-of-memory, a deploy
 * mid-run) never reports; the recovery cron finds the run and the step's retry policy
 * takes over. The crash is made by wrapping the step contract's `runAction`, which the
 * runner calls directly.
 */
import { afterEach, describe, expect, inject, test, vi } from "vitest";
import { internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { worldPerTest } from "../calls/test.world";
import { releaseWorkflow, SLACK_SCOPES, workflowHelpers } from "./test.workflows";

const crashes = vi.hoisted(() => ({ left: 0 }));

vi.mock("../providerActions/run", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../providerActions/run")>();
  return {
    ...actual,
    runAction: async (...args: Parameters<typeof actual.runAction>) => {
      if (crashes.left > 0) {
        crashes.left--;
        throw new Error("the step's action crashed");
      }
      return actual.runAction(...args);
    },
  };
});

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
afterEach(() => {
  vi.restoreAllMocks();
});

async function world() {
  const w = await setup(simulatorUrl, "slack", { extraScopes: SLACK_SCOPES });
  w.fakeClock();
  // convex-test reports the failed job on the console; that is what these tests make happen.
  vi.spyOn(console, "error").mockImplementation(() => {});
  return { w, ...workflowHelpers(w) };
}

describe("a crashed step job", () => {
  test("leaves its run running with a failed job, until the cron records a retryable failure and the retry carries on", async () => {
    const { w, create, start, run, job, settle, slackBodies } = await world();
    const workflowId = await create(releaseWorkflow());
    crashes.left = 1;
    const runId: Id<"workflowRuns"> = await start(workflowId);
    const first = (await run(runId)).jobId!;
    await settle();
    expect((await job(first))!.state.kind).toBe("failed");
    expect(await run(runId)).toMatchObject({ status: "running", jobId: first, steps: [{ status: "running", attempts: 0 }, {}, {}] });
    expect(await slackBodies()).toEqual([]);

    expect(await w.t.mutation(internal.workflows.runner.recover, {})).toEqual({ recovered: 1 });
    const recovered = await run(runId);
    expect(recovered).toMatchObject({
      status: "retrying",
      steps: [{ status: "running", attempts: 1, error: { code: "provider_error", retryable: true } }, {}, {}],
    });
    expect(recovered.steps[0]!.nextAttemptAt).toBeGreaterThan(Date.now());

    await settle();
    const done = await run(runId);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(done.steps[0]!.correlationId).toMatch(/:post:2$/);
    expect(await slackBodies()).toHaveLength(3);
  });

  test("a step that crashes on its last allowed attempt fails the run", async () => {
    const { w, create, start, run, settle } = await world();
    const definition = releaseWorkflow();
    definition.steps[0] = { ...definition.steps[0]!, retry: { maxAttempts: 1, initialDelayMs: 1_000 } };
    crashes.left = 1;
    const runId = await start(await create(definition));
    await settle();
    await w.t.mutation(internal.workflows.runner.recover, {});
    await settle();
    const done = await run(runId);
    expect(done).toMatchObject({ status: "failed", steps: [{ status: "failed", attempts: 1, error: { code: "provider_error" } }, { status: "cancelled" }, { status: "cancelled" }] });
  });
});
