/// <reference types="vite/client" />
/**
 * A Slack-connected org for workflow tests, and small readers for what they assert on.
 * (Two dots in the name: Convex, the test module map and the sandbox all skip this file.)
 */
import { vi } from "vitest";
import type { WorkflowDefinitionInput } from "../../lib/workflows";
import { api } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import type { World } from "../calls/test.world";

/** What the Slack actions in these workflows need beyond the defaults. */
export const SLACK_SCOPES = ["reactions:write", "users:read"];

/** Post in #general, reply in its thread, react to it: the three-step workflow of the tests. */
export function releaseWorkflow(extra: Partial<WorkflowDefinitionInput> = {}): WorkflowDefinitionInput {
  return {
    name: "Release notes",
    trigger: { kind: "manual", sampleInput: { title: "v1.0" } },
    steps: [
      { key: "post", name: "Announce", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "Releasing {{trigger.title}}" } },
      {
        key: "reply",
        name: "Notes in the thread",
        actionId: "slack.reply_in_thread",
        input: { channel: "{{steps.post.output.channel}}", threadTs: "{{steps.post.output.ts}}", text: "Notes for {{trigger.title}}" },
      },
      {
        key: "react",
        name: "Tick it",
        actionId: "slack.add_reaction",
        input: { channel: "C0GENERAL", timestamp: "{{steps.post.output.ts}}", name: "white_check_mark" },
      },
    ],
    ...extra,
  };
}

export function workflowHelpers(w: World) {
  const create = (definition: WorkflowDefinitionInput) =>
    w.admin.as.mutation(api.workflows.definitions.create, { orgId: w.orgId, definition });
  const start = (workflowId: Id<"workflows">, input?: Record<string, unknown>) =>
    w.admin.as.mutation(api.workflows.runs.start, { orgId: w.orgId, workflowId, ...(input ? { input } : {}) });
  const run = async (runId: Id<"workflowRuns">): Promise<Doc<"workflowRuns">> => (await w.t.run((ctx) => ctx.db.get(runId)))!;
  const workflow = async (workflowId: Id<"workflows">): Promise<Doc<"workflows"> | null> => w.t.run((ctx) => ctx.db.get(workflowId));
  const job = (jobId: Id<"_scheduled_functions">) => w.t.run((ctx) => ctx.db.system.get(jobId));
  /** Runs every scheduled function, moving the fake clock on to each (call after `w.fakeClock()`). */
  const settle = () => w.t.finishAllScheduledFunctions(vi.runAllTimers);
  /** Waits, on the real clock, until the run is in one of these states. */
  const until = async (runId: Id<"workflowRuns">, check: (run: Doc<"workflowRuns">) => boolean, timeoutMs = 8_000) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const current = await run(runId);
      if (check(current)) return current;
      if (performance.now() > deadline) throw new Error(`timed out waiting; the run is ${current.status}`);
      await w.t.finishInProgressScheduledFunctions();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const slackBodies = async () => (await w.simulator.apiCalls({ providerId: "slack" })).map((call) => call.body);
  return { create, start, run, workflow, job, settle, until, slackBodies };
}
