/**
 * Database writes per workflow step: a three-step Slack workflow (post, reply in its
 * thread, react) run to the end on convex-test's scheduler, every write recorded at the
 * syscalls with the function that made it. The target is one write of the step's state
 * (the run document) per step, plus what the step's call writes (its log row and a
 * counter shard); the run's start and end are counted apart.
 */
import { api } from "../convex/_generated/api";
import type { Doc, Id } from "../convex/_generated/dataModel";
import { recordDatabase } from "../convex/test.syscalls";
import type { Backend } from "./backend";

const STEP_STATE = "workflows/runner:recordStep";
const CALL_LOG = "calls/logs:record";
const START = "workflows/runs:start";

type Admin = Pick<Backend, "mutation">;

export async function benchWorkflowWrites(t: Backend, admin: Admin, orgId: Id<"organizations">) {
  const workflowId = await admin.mutation(api.workflows.definitions.create, {
    orgId,
    definition: {
      name: "Bench release",
      trigger: { kind: "manual", sampleInput: { title: "v1" } },
      steps: [
        { key: "post", name: "Post", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "Releasing {{trigger.title}}" } },
        { key: "reply", name: "Reply", actionId: "slack.reply_in_thread", input: { channel: "C0GENERAL", threadTs: "{{steps.post.output.ts}}", text: "Notes" } },
        { key: "react", name: "React", actionId: "slack.add_reaction", input: { channel: "C0GENERAL", timestamp: "{{steps.post.output.ts}}", name: "tada" } },
      ],
    },
  });
  const recorder = recordDatabase();
  let run: Doc<"workflowRuns"> | null = null;
  try {
    const runId = await admin.mutation(api.workflows.runs.start, { orgId, workflowId });
    const deadline = Date.now() + 30_000;
    for (;;) {
      await t.finishInProgressScheduledFunctions();
      run = await t.run((ctx) => ctx.db.get(runId));
      if (run && ["succeeded", "failed", "cancelled"].includes(run.status)) break;
      if (Date.now() > deadline) throw new Error(`the bench run did not finish: ${run?.status}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    recorder.stop();
  }
  if (run?.status !== "succeeded") throw new Error(`the bench run ended ${run?.status}`);
  const writes = recorder.writes.filter((w) => w.by !== "calls/counters:summarise");
  const steps = run.steps.length;
  const of = (by: string, table?: string) => writes.filter((w) => w.by === by && (table === undefined || w.table === table)).length;
  return {
    steps,
    stepStateWritesPerStep: of(STEP_STATE, "workflowRuns") / steps,
    /** The last step's record also ends the workflow's newest-run summary. */
    workflowSummaryWrites: of(STEP_STATE, "workflows"),
    callLogWritesPerStep: of(CALL_LOG) / steps,
    startWrites: of(START),
    otherWrites: writes.filter((w) => ![STEP_STATE, CALL_LOG, START].includes(w.by)).map((w) => `${w.by} ${w.kind} ${w.table}`),
  };
}
