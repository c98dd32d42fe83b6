/** Workflow runs against the simulator's Slack: steps, retries, failures, cancels, recovery and what each step writes. */
import { describe, expect, inject, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { worldPerTest } from "../calls/test.world";
import { errorOf } from "../test.helpers";
import { recordDatabase } from "../test.syscalls";
import { releaseWorkflow, SLACK_SCOPES, workflowHelpers } from "./test.workflows";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,128}$/;

async function world() {
  const w = await setup(simulatorUrl, "slack", { extraScopes: SLACK_SCOPES });
  w.fakeClock();
  return { w, ...workflowHelpers(w) };
}

describe("a three-step Slack workflow", () => {
  test("posts, replies in the thread with the post's ts and the trigger's title, reacts; the history says exactly what happened", async () => {
    const { w, create, start, run, settle, slackBodies } = await world();
    const workflowId = await create(releaseWorkflow());
    const runId = await start(workflowId, { title: "v2.0" });
    await settle();

    const done = await run(runId);
    expect(done).toMatchObject({ status: "succeeded", currentStep: 2, trigger: { kind: "manual", input: { title: "v2.0" } } });
    expect(done.jobId).toBeUndefined();
    expect(done.finishedAt).toBeGreaterThanOrEqual(done.createdAt);
    const [post, reply, react] = done.steps;
    const ts = post!.output.ts as string;
    expect(ts).toMatch(/^\d+\.\d{6}$/);
    expect(await slackBodies()).toEqual([
      { channel: "C0GENERAL", text: "Releasing v2.0" },
      { channel: "C0GENERAL", thread_ts: ts, text: "Notes for v2.0" },
      { channel: "C0GENERAL", timestamp: ts, name: "white_check_mark" },
    ]);
    expect(post).toMatchObject({ status: "succeeded", attempts: 1, input: { channel: "C0GENERAL", text: "Releasing v2.0" }, output: { channel: "C0GENERAL", ts } });
    expect(reply).toMatchObject({ status: "succeeded", attempts: 1, input: { channel: "C0GENERAL", threadTs: ts, text: "Notes for v2.0" } });
    expect(react).toMatchObject({ status: "succeeded", attempts: 1, output: { reacted: true } });
    for (const step of done.steps) {
      expect(step.error).toBeUndefined();
      expect(step.startedAt! <= step.finishedAt!).toBe(true);
      expect(step.correlationId).toMatch(CORRELATION_ID);
      expect(step.correlationId).toBe(`wf:${runId.replace(/[^A-Za-z0-9._-]/g, "-")}:${step.key}:1`);
    }

    // Each step's correlation id finds its call's log row, made as the workflow.
    const logs = await w.logs();
    expect(logs.map((row) => row.correlationId)).toEqual(done.steps.map((step) => step.correlationId));
    expect(logs.map((row) => row.path)).toEqual(["/chat.postMessage", "/chat.postMessage", "/reactions.add"]);
    for (const row of logs) expect(row.actor).toEqual({ kind: "workflow", id: workflowId, label: "Release notes" });
    const found = await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId: reply!.correlationId! });
    expect(found).toEqual([expect.objectContaining({ path: "/chat.postMessage", actor: "Workflow “Release notes”" })]);

    // Members read the same history.
    const shown = await w.member.as.query(api.workflows.runs.get, { orgId: w.orgId, runId });
    expect(shown).toMatchObject({
      id: runId,
      workflowId,
      workflowName: "Release notes",
      status: "succeeded",
      triggerKind: "manual",
      trigger: { kind: "manual", input: { title: "v2.0" } },
      actor: { kind: "user", label: "admin@example.com" },
      nextAttemptAt: null,
      steps: [
        { key: "post", actionTitle: "Post a message to a channel", providerId: "slack", status: "succeeded", output: { channel: "C0GENERAL", ts }, error: null, note: null },
        { key: "reply", status: "succeeded", correlationId: reply!.correlationId },
        { key: "react", status: "succeeded", input: { channel: "C0GENERAL", timestamp: ts, name: "white_check_mark" } },
      ],
    });
    const audit = (await w.audit()).filter((event) => event.action.startsWith("workflow."));
    expect(audit.map((event) => [event.action, event.subject])).toEqual([
      ["workflow.created", "Release notes"],
      ["workflow.run_started", "Release notes"],
    ]);
    expect(audit[1]!.details).toEqual({ workflowId, runId });
  });

  test("a step costs one write of the run document, plus its call's log row and counter; the run's start and end mark the workflow", async () => {
    const { create, start, run, workflow, settle } = await world();
    const workflowId = await create(releaseWorkflow());
    const recorded = recordDatabase();
    let runId: Id<"workflowRuns">;
    try {
      runId = await start(workflowId);
      await settle();
    } finally {
      recorded.stop();
    }
    const done = await run(runId);
    expect(done.status).toBe("succeeded");
    expect((await workflow(workflowId))!.lastRun).toEqual({ runId, status: "succeeded", createdAt: done.createdAt, finishedAt: done.finishedAt });
    const writes = recorded.writes.filter((write) => write.by !== "calls/counters:summarise");
    const byFunction = (name: string) => writes.filter((write) => write.by === name).map((write) => `${write.kind} ${write.table}`);
    // Starting: the run, then its first job's id on it, the workflow's lastRun; and the audit event.
    expect(byFunction("workflows/runs:start")).toEqual(["insert workflowRuns", "patch workflowRuns", "patch workflows", "insert auditEvents"]);
    // Each step: one patch of the run; the last one also ends the workflow's lastRun…
    expect(byFunction("workflows/runner:recordStep")).toEqual(["patch workflowRuns", "patch workflowRuns", "patch workflowRuns", "patch workflows"]);
    // …and its call's log row and counter shard.
    const logWrites = byFunction("calls/logs:record");
    expect(logWrites.filter((write) => write === "insert callLogs")).toHaveLength(3);
    expect(logWrites.every((write) => write === "insert callLogs" || / callCounters$/.test(write))).toBe(true);
    expect(logWrites.length).toBeLessThanOrEqual(6);
    // Nothing else writes.
    expect([...new Set(writes.map((write) => write.by))].sort()).toEqual(["calls/logs:record", "workflows/runner:recordStep", "workflows/runs:start"]);
  });

  test("editing the workflow while it runs does not change the run", async () => {
    const { w, create, start, run, settle, until, slackBodies } = await world();
    const workflowId = await create(releaseWorkflow({ steps: [{ ...releaseWorkflow().steps[0]!, retry: { maxAttempts: 2, initialDelayMs: 60_000 } }, releaseWorkflow().steps[1]!] }));
    await w.simulator.failNext("slack", "api", { kind: "rate_limit", retryAfterSeconds: 1 });
    const runId = await start(workflowId);
    await until(runId, (current) => current.status === "retrying");
    await w.admin.as.mutation(api.workflows.definitions.update, {
      orgId: w.orgId,
      workflowId,
      definition: releaseWorkflow({ name: "Renamed", steps: [{ key: "post", name: "Other", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "changed" } }] }),
    });
    await settle();
    const done = await run(runId);
    expect(done).toMatchObject({ status: "succeeded", workflowName: "Release notes" });
    expect(done.steps.map((step) => step.key)).toEqual(["post", "reply"]);
    expect((await slackBodies()).map((body) => (body as { text: string }).text)).toEqual(["Releasing v1.0", "Releasing v1.0", "Notes for v1.0"]);
  });
});

describe("failures", () => {
  test("a rate-limited step waits as long as Slack asked, is tried again, and the run goes on", async () => {
    const { w, create, start, run, settle, until, job, slackBodies } = await world();
    const definition = releaseWorkflow();
    definition.steps[0] = { ...definition.steps[0]!, retry: { maxAttempts: 3, initialDelayMs: 1_000 } };
    const workflowId = await create(definition);
    await w.simulator.failNext("slack", "api", { kind: "rate_limit", retryAfterSeconds: 2 });
    const runId = await start(workflowId);

    const waiting = await until(runId, (current) => current.status === "retrying");
    const post = waiting.steps[0]!;
    expect(post).toMatchObject({ status: "running", attempts: 1, error: { code: "rate_limited", retryable: true, retryAfterMs: 2_000 } });
    expect(post.correlationId).toMatch(/:post:1$/);
    const [limited] = await w.logs();
    expect(limited!.correlationId).toBe(post.correlationId);
    // Slack's 2 seconds, not the policy's 1.
    expect(post.nextAttemptAt! - limited!.at).toBeGreaterThanOrEqual(2_000);
    expect(post.nextAttemptAt! - limited!.at).toBeLessThan(3_000);
    expect((await job(waiting.jobId!))!.scheduledTime).toBe(post.nextAttemptAt);
    const shown = await w.member.as.query(api.workflows.runs.list, { orgId: w.orgId, workflowId, paginationOpts: { numItems: 10, cursor: null } });
    expect(shown.page).toEqual([expect.objectContaining({ id: runId, status: "retrying", nextAttemptAt: post.nextAttemptAt })]);

    await settle();
    const done = await run(runId);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(done.steps[0]!.error).toBeUndefined();
    expect(done.steps[0]!.nextAttemptAt).toBeUndefined();
    expect(done.steps[0]!.correlationId).toMatch(/:post:2$/);
    expect((await w.logs()).map((row) => [row.correlationId, row.status])).toEqual([
      [post.correlationId, 429],
      [done.steps[0]!.correlationId, 200],
      [done.steps[1]!.correlationId, 200],
      [done.steps[2]!.correlationId, 200],
    ]);
    expect(await slackBodies()).toHaveLength(4);
  });

  test("a failure that is not retryable ends the run failed at once; the steps after it are cancelled", async () => {
    const { w, create, start, run, settle, slackBodies } = await world();
    const definition = releaseWorkflow();
    definition.steps[1] = { ...definition.steps[1]!, input: { ...definition.steps[1]!.input, channel: "C0NOPE" } };
    const runId = await start(await create(definition));
    await settle();
    const done = await run(runId);
    expect(done).toMatchObject({ status: "failed", currentStep: 1 });
    expect(done.finishedAt).toBeDefined();
    expect(done.steps.map((step) => step.status)).toEqual(["succeeded", "failed", "cancelled"]);
    expect(done.steps[1]).toMatchObject({
      attempts: 1,
      error: { code: "invalid_input", providerCode: "channel_not_found", retryable: false, fields: { channel: expect.any(String) } },
    });
    expect(done.steps[2]!.attempts).toBe(0);
    expect(await slackBodies()).toHaveLength(2);
    expect(await w.logs()).toHaveLength(2);
  });

  test("a retryable failure on every attempt fails the run after the last one", async () => {
    const { w, create, start, run, settle } = await world();
    const definition = releaseWorkflow();
    definition.steps[0] = { ...definition.steps[0]!, retry: { maxAttempts: 2, initialDelayMs: 1_000 } };
    await w.simulator.failNext("slack", "api", { kind: "status", status: 503 }, 2);
    const runId = await start(await create(definition));
    await settle();
    const done = await run(runId);
    expect(done.status).toBe("failed");
    expect(done.steps[0]).toMatchObject({ status: "failed", attempts: 2, error: { code: "provider_error", retryable: true, status: 503 } });
    expect(done.steps.slice(1).map((step) => step.status)).toEqual(["cancelled", "cancelled"]);
  });

  test("an input that cannot be filled in fails the step as invalid_input before anything is sent", async () => {
    const { w, create, start, run, settle } = await world();
    const definition = releaseWorkflow({ trigger: { kind: "manual", sampleInput: {} } });
    const runId = await start(await create(definition));
    await settle();
    const done = await run(runId);
    expect(done.status).toBe("failed");
    expect(done.steps[0]).toMatchObject({
      status: "failed",
      attempts: 1,
      error: { code: "invalid_input", retryable: false, fields: { text: "Nothing is called trigger.title." } },
    });
    expect(done.steps[0]!.input).toBeUndefined();
    expect(await w.logs()).toEqual([]);
  });

  test("a step whose connection is gone fails as not_connected", async () => {
    const { w, create, start, run, settle } = await world();
    const workflowId = await create(releaseWorkflow());
    await w.admin.as.action(api.integrations.connections.disconnect, { orgId: w.orgId, providerId: "slack" });
    const runId = await start(workflowId);
    await settle();
    expect((await run(runId)).steps[0]).toMatchObject({ status: "failed", error: { code: "not_connected" } });
  });
});

describe("cancelling", () => {
  test("a run cancelled while a retry waits sends nothing more; its steps and job are cancelled", async () => {
    const { w, create, start, run, settle, until, job, slackBodies } = await world();
    const definition = releaseWorkflow();
    definition.steps[0] = { ...definition.steps[0]!, retry: { maxAttempts: 3, initialDelayMs: 60_000 } };
    await w.simulator.failNext("slack", "api", { kind: "rate_limit", retryAfterSeconds: 1 });
    const runId = await start(await create(definition));
    const waiting = await until(runId, (current) => current.status === "retrying");

    expect(await errorOf(w.member.as.mutation(api.workflows.runs.cancel, { orgId: w.orgId, runId }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await w.admin.as.mutation(api.workflows.runs.cancel, { orgId: w.orgId, runId })).toEqual({ cancelled: true });
    expect((await job(waiting.jobId!))!.state.kind).toBe("canceled");
    await settle();

    const cancelled = await run(runId);
    expect(cancelled).toMatchObject({ status: "cancelled" });
    expect(cancelled.jobId).toBeUndefined();
    expect(cancelled.finishedAt).toBeDefined();
    expect(cancelled.steps.map((step) => step.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(cancelled.steps[0]).toMatchObject({ attempts: 1, error: { code: "rate_limited" } });
    expect(cancelled.steps[0]!.nextAttemptAt).toBeUndefined();
    expect(await slackBodies()).toHaveLength(1);
    // Again: nothing to cancel.
    expect(await w.admin.as.mutation(api.workflows.runs.cancel, { orgId: w.orgId, runId })).toEqual({ cancelled: false });
    expect((await w.audit()).filter((event) => event.action === "workflow.run_cancelled")).toHaveLength(1);
    const shown = await w.member.as.query(api.workflows.definitions.get, { orgId: w.orgId, workflowId: cancelled.workflowId });
    expect(shown!.lastRun).toEqual({ id: runId, status: "cancelled", createdAt: cancelled.createdAt, finishedAt: cancelled.finishedAt });
  });

  test("an older run ending leaves the workflow's lastRun on the newer one", async () => {
    const { w, create, start, settle, workflow } = await world();
    const workflowId = await create(releaseWorkflow());
    const older = await start(workflowId);
    const newer = await start(workflowId);
    await w.admin.as.mutation(api.workflows.runs.cancel, { orgId: w.orgId, runId: older });
    expect((await workflow(workflowId))!.lastRun).toMatchObject({ runId: newer, status: "running" });
    await settle();
    expect((await workflow(workflowId))!.lastRun).toMatchObject({ runId: newer, status: "succeeded" });
  });

  test("a run cancelled while its step is under way keeps that step's result and schedules nothing after it", async () => {
    const { w, create, start, run, settle, slackBodies } = await world();
    const workflowId = await create(releaseWorkflow());
    const runId = await start(workflowId);
    // The report of the first step arrives after the cancel, as from a job already under way.
    const before = await run(runId);
    await w.t.run(async (ctx) => ctx.scheduler.cancel(before.jobId!));
    await w.admin.as.mutation(api.workflows.runs.cancel, { orgId: w.orgId, runId });
    await w.t.mutation(internal.workflows.runner.recordStep, {
      runId,
      stepIndex: 0,
      attempt: 1,
      input: { channel: "C0GENERAL", text: "Releasing v1.0" },
      result: { ok: true, output: { channel: "C0GENERAL", ts: "1.000001" }, correlationId: "wf:late:post:1" },
    });
    await settle();
    const done = await run(runId);
    expect(done.status).toBe("cancelled");
    expect(done.steps.map((step) => step.status)).toEqual(["succeeded", "cancelled", "cancelled"]);
    expect(done.jobId).toBeUndefined();
    expect(await slackBodies()).toEqual([]);
    // A second report of the same attempt is ignored.
    await w.t.mutation(internal.workflows.runner.recordStep, {
      runId,
      stepIndex: 0,
      attempt: 1,
      result: { ok: false, error: { code: "timeout", message: "late", retryable: true }, correlationId: "wf:late:post:1" },
    });
    expect((await run(runId)).steps[0]!.status).toBe("succeeded");
  });
});

describe("recovery", () => {
  test("a running run whose job is gone gets a retryable failure for its step, then goes on", async () => {
    const { w, create, start, run, settle } = await world();
    const runId = await start(await create(releaseWorkflow()));
    const stuck = await run(runId);
    // The job disappears before it ran (as if lost): the run would stay running forever.
    await w.t.run(async (ctx) => ctx.scheduler.cancel(stuck.jobId!));
    // A run with a live job is left alone.
    const other = await start(await create(releaseWorkflow({ name: "Other" })));
    await w.t.run(async (ctx) => {
      const job = (await ctx.db.get(other))!.jobId!;
      await ctx.scheduler.cancel(job);
      await ctx.db.patch(other, { jobId: await ctx.scheduler.runAfter(3_600_000, internal.workflows.runner.runStep, { runId: other }) });
    });

    expect(await w.t.mutation(internal.workflows.runner.recover, {})).toEqual({ recovered: 1 });
    const recovered = await run(runId);
    expect(recovered.status).toBe("retrying");
    expect(recovered.steps[0]).toMatchObject({
      status: "running",
      attempts: 1,
      error: { code: "provider_error", retryable: true, message: expect.stringMatching(/stopped before it reported/) },
    });
    expect(recovered.steps[0]!.correlationId).toMatch(/:post:1$/);
    expect((await run(other)).status).toBe("running");

    await w.t.run(async (ctx) => ctx.scheduler.cancel((await ctx.db.get(other))!.jobId!));
    await w.t.run(async (ctx) => ctx.db.patch(other, { status: "cancelled" }));
    await settle();
    const done = await run(runId);
    expect(done.status).toBe("succeeded");
    expect(done.steps[0]).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(done.steps[0]!.correlationId).toMatch(/:post:2$/);
  });

  test("recovery looks at running runs, then at retrying ones in a follow-up job", async () => {
    const { w, create, start, run } = await world();
    const workflowId = await create(releaseWorkflow());
    const runIds: Id<"workflowRuns">[] = [];
    for (let i = 0; i < 3; i++) runIds.push(await start(workflowId));
    await w.t.run(async (ctx) => {
      for (const id of runIds) {
        await ctx.scheduler.cancel((await ctx.db.get(id))!.jobId!);
        await ctx.db.patch(id, { jobId: undefined });
      }
      // A retrying run whose retry job is gone.
      await ctx.db.patch(runIds[2]!, { status: "retrying" });
    });
    expect(await w.t.mutation(internal.workflows.runner.recover, {})).toEqual({ recovered: 2 });
    expect((await run(runIds[2]!)).steps[0]!.attempts).toBe(0);
    vi.advanceTimersByTime(0);
    await w.t.finishInProgressScheduledFunctions();
    for (const id of runIds) expect(await run(id)).toMatchObject({ status: "retrying", steps: [{ attempts: 1 }, {}, {}] });
    // Those now wait for their retries: nothing more to recover.
    expect(await w.t.mutation(internal.workflows.runner.recover, { status: "retrying", cursor: null })).toEqual({ recovered: 0 });
  });
});
