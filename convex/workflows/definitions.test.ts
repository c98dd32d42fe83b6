/** Workflows through their public API: definitions checked, tenants kept apart, schedules kept, steps tested. */
import { describe, expect, inject, test, vi } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { worldPerTest } from "../calls/test.world";
import { createOrg, createUser, errorOf } from "../test.helpers";
import { WORKFLOWS_PER_ORG_MAX } from "./model";
import { releaseWorkflow, SLACK_SCOPES, workflowHelpers } from "./test.workflows";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

async function world() {
  const w = await setup(simulatorUrl, "slack", { extraScopes: SLACK_SCOPES });
  w.fakeClock();
  return { w, ...workflowHelpers(w) };
}

/** The `fields` of a coded INVALID_INPUT error. */
async function fieldsOf(promise: Promise<unknown>): Promise<Record<string, string>> {
  const error = (await errorOf(promise)) as { code: string; fields?: Record<string, string> };
  expect(error.code).toBe("INVALID_INPUT");
  return error.fields!;
}

describe("definitions", () => {
  test("a created workflow is listed and read by members with its steps' actions; it starts turned on", async () => {
    const { w, create } = await world();
    const workflowId = await create(releaseWorkflow({ description: "Tells #general" }));
    const listed = await w.member.as.query(api.workflows.definitions.list, { orgId: w.orgId });
    expect(listed).toEqual([
      {
        id: workflowId,
        name: "Release notes",
        description: "Tells #general",
        trigger: { kind: "manual", sampleInput: { title: "v1.0" } },
        steps: [
          expect.objectContaining({ key: "post", actionId: "slack.post_message", actionTitle: "Post a message to a channel", providerId: "slack", retry: { maxAttempts: 3, initialDelayMs: 5_000 } }),
          expect.objectContaining({ key: "reply", actionTitle: "Reply in a thread", input: releaseWorkflow().steps[1]!.input }),
          expect.objectContaining({ key: "react", actionTitle: "Add a reaction" }),
        ],
        enabled: true,
        createdAt: expect.any(Number),
        updatedAt: expect.any(Number),
        nextRunAt: null,
        lastRun: null,
      },
    ]);
    expect(await w.member.as.query(api.workflows.definitions.get, { orgId: w.orgId, workflowId })).toEqual(listed[0]);
    const [created] = (await w.audit()).filter((event) => event.action === "workflow.created");
    expect(created).toMatchObject({ subject: "Release notes", actor: { kind: "user", id: w.admin.userId }, details: { workflowId } });
  });

  test("the list is by name and shows each workflow's last run", async () => {
    const { w, create, start, settle } = await world();
    const b = await create(releaseWorkflow({ name: "b" }));
    await create(releaseWorkflow({ name: "A" }));
    const first = await start(b);
    await settle();
    const second = await start(b);
    const listed = await w.member.as.query(api.workflows.definitions.list, { orgId: w.orgId });
    expect(listed.map((workflow) => workflow.name)).toEqual(["A", "b"]);
    expect(listed[1]!.lastRun).toEqual({ id: second, status: "running", createdAt: expect.any(Number), finishedAt: null });
    await settle();
    const runs = await w.member.as.query(api.workflows.runs.list, { orgId: w.orgId, workflowId: b, paginationOpts: { numItems: 1, cursor: null } });
    expect(runs.page.map((run) => run.id)).toEqual([second]);
    const next = await w.member.as.query(api.workflows.runs.list, { orgId: w.orgId, workflowId: b, paginationOpts: { numItems: 1, cursor: runs.continueCursor } });
    expect(next.page).toEqual([
      {
        id: first,
        workflowId: b,
        workflowName: "b",
        status: "succeeded",
        triggerKind: "manual",
        createdAt: expect.any(Number),
        finishedAt: expect.any(Number),
        currentStep: 2,
        nextAttemptAt: null,
        steps: [
          { key: "post", name: "Announce", actionId: "slack.post_message", status: "succeeded", attempts: 1 },
          { key: "reply", name: "Notes in the thread", actionId: "slack.reply_in_thread", status: "succeeded", attempts: 1 },
          { key: "react", name: "Tick it", actionId: "slack.add_reaction", status: "succeeded", attempts: 1 },
        ],
      },
    ]);
  });

  test("invalid definitions are INVALID_INPUT with a message per field, and nothing is stored", async () => {
    const { w, create } = await world();
    const steps = releaseWorkflow().steps;
    expect(await fieldsOf(create(releaseWorkflow({ steps: [{ ...steps[0]!, actionId: "slack.launch_rocket" }] })))).toEqual({
      "steps.0.actionId": 'There is no action called "slack.launch_rocket".',
    });
    expect(await fieldsOf(create(releaseWorkflow({ steps: [steps[0]!, { ...steps[1]!, key: "post" }] })))).toEqual({
      "steps.1.key": "Another step is already called post.",
    });
    expect(await fieldsOf(create(releaseWorkflow({ steps: [{ ...steps[0]!, input: { channel: "C0GENERAL", text: "{{steps.reply.output.ts}}" } }, steps[1]!] })))).toEqual({
      "steps.0.input.text": "Nothing earlier is called steps.reply",
    });
    expect(await fieldsOf(create(releaseWorkflow({ name: "", trigger: { kind: "schedule", everyMinutes: 1, input: {} } })))).toEqual({
      name: "Give it a name.",
      "trigger.everyMinutes": "Runs are at least 5 minutes apart.",
    });
    const error = await errorOf(create(releaseWorkflow({ name: "" })));
    expect(error.message).toBe("The workflow is not valid: check name.");
    expect(await w.t.run((ctx) => ctx.db.query("workflows").collect())).toEqual([]);
  });

  test("update replaces the definition; invalid edits change nothing", async () => {
    const { w, create, workflow } = await world();
    const workflowId = await create(releaseWorkflow({ description: "old" }));
    await w.admin.as.mutation(api.workflows.definitions.update, {
      orgId: w.orgId,
      workflowId,
      definition: releaseWorkflow({ name: "New name", steps: [releaseWorkflow().steps[0]!] }),
    });
    const updated = (await workflow(workflowId))!;
    expect(updated).toMatchObject({ name: "New name", steps: [expect.objectContaining({ key: "post" })] });
    expect(updated.description).toBeUndefined();
    expect(await fieldsOf(w.admin.as.mutation(api.workflows.definitions.update, { orgId: w.orgId, workflowId, definition: { name: "x" } }))).toMatchObject({
      trigger: expect.any(String),
      steps: expect.any(String),
    });
    expect((await workflow(workflowId))!.name).toBe("New name");
    expect((await w.audit()).filter((event) => event.action === "workflow.updated")).toEqual([expect.objectContaining({ subject: "New name" })]);
  });

  test(`an organization has at most ${WORKFLOWS_PER_ORG_MAX} workflows`, async () => {
    const { w, create } = await world();
    await create(releaseWorkflow());
    const [row] = await w.t.run((ctx) => ctx.db.query("workflows").collect());
    const { _id: _, _creationTime: __, ...copy } = row!;
    await w.t.run(async (ctx) => {
      for (let i = 1; i < WORKFLOWS_PER_ORG_MAX; i++) await ctx.db.insert("workflows", copy);
    });
    expect(await errorOf(create(releaseWorkflow()))).toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/at most 100/) });
  });

  test("another organization's workflows and runs answer like missing ones", async () => {
    const { w, create, start, settle } = await world();
    const workflowId = await create(releaseWorkflow());
    const runId = await start(workflowId);
    await settle();
    const outsider = await createUser(w.t, "outsider@example.com");
    const otherOrg = await createOrg(w.t, "Other", [{ user: outsider, role: "owner" }]);
    const as = outsider.as;
    const org = { orgId: otherOrg };
    expect(await as.query(api.workflows.definitions.get, { ...org, workflowId })).toBeNull();
    expect(await as.query(api.workflows.definitions.list, org)).toEqual([]);
    expect(await as.query(api.workflows.runs.get, { ...org, runId })).toBeNull();
    expect((await as.query(api.workflows.runs.list, { ...org, workflowId, paginationOpts: { numItems: 10, cursor: null } })).page).toEqual([]);
    const notFound = { code: "NOT_FOUND" };
    expect(await errorOf(as.mutation(api.workflows.definitions.update, { ...org, workflowId, definition: releaseWorkflow() }))).toMatchObject(notFound);
    expect(await errorOf(as.mutation(api.workflows.definitions.setEnabled, { ...org, workflowId, enabled: false }))).toMatchObject(notFound);
    expect(await errorOf(as.mutation(api.workflows.definitions.remove, { ...org, workflowId }))).toMatchObject(notFound);
    expect(await errorOf(as.mutation(api.workflows.runs.start, { ...org, workflowId }))).toMatchObject(notFound);
    expect(await errorOf(as.mutation(api.workflows.runs.cancel, { ...org, runId }))).toMatchObject(notFound);
    expect(await errorOf(as.action(api.workflows.runs.testStep, { ...org, workflowId, stepKey: "post" }))).toMatchObject(notFound);
    // And a missing one is the same.
    await w.t.run(async (ctx) => ctx.db.delete(workflowId));
    expect(await errorOf(w.admin.as.mutation(api.workflows.runs.start, { orgId: w.orgId, workflowId }))).toMatchObject({
      code: "NOT_FOUND",
      message: "There is no such workflow.",
    });
    expect(await w.member.as.query(api.workflows.definitions.get, { orgId: w.orgId, workflowId })).toBeNull();
  });
});

describe("starting runs", () => {
  test("without input a run gets the sample input; a given input must be a JSON object of at most 32 KB", async () => {
    const { w, create, start, run, settle } = await world();
    const workflowId = await create(releaseWorkflow());
    const runId = await start(workflowId);
    expect((await run(runId)).trigger).toEqual({ kind: "manual", input: { title: "v1.0" } });
    const bad = (input: unknown) => fieldsOf(w.admin.as.mutation(api.workflows.runs.start, { orgId: w.orgId, workflowId, input }));
    expect(await bad([1])).toEqual({ input: "A run's input is a JSON object." });
    expect(await bad({ text: "x".repeat(32 * 1024) })).toEqual({ input: "A run's input is at most 32 KB." });
    await settle();
  });

  test("a workflow turned off does not run; turned on again, it does", async () => {
    const { w, create, start, workflow } = await world();
    const workflowId = await create(releaseWorkflow());
    const setEnabled = (enabled: boolean) => w.admin.as.mutation(api.workflows.definitions.setEnabled, { orgId: w.orgId, workflowId, enabled });
    await setEnabled(false);
    await setEnabled(false);
    expect((await workflow(workflowId))!.enabled).toBe(false);
    expect(await errorOf(start(workflowId))).toMatchObject({ code: "CONFLICT", message: "This workflow is turned off; turn it on to run it." });
    await setEnabled(true);
    expect(await start(workflowId)).toEqual(expect.any(String));
    expect((await w.audit()).filter((event) => event.action.startsWith("workflow.") && event.action.endsWith("abled")).map((event) => event.action)).toEqual([
      "workflow.disabled",
      "workflow.enabled",
    ]);
  });
});

describe("schedule triggers", () => {
  const every5 = () => releaseWorkflow({ name: "Every 5", trigger: { kind: "schedule", everyMinutes: 5, input: { title: "scheduled" } } });

  test("an enabled schedule keeps one job; each fire starts a run and schedules the next", async () => {
    const { w, create, workflow, job, until } = await world();
    const created = Date.now();
    const workflowId = await create(every5());
    const first = (await workflow(workflowId))!;
    expect(first.nextRunAt! - created).toBeGreaterThanOrEqual(5 * 60_000);
    expect(first.nextRunAt! - created).toBeLessThan(5 * 60_000 + 2_000);
    expect(await job(first.scheduleJobId!)).toMatchObject({ name: "workflows/schedule:fire", scheduledTime: first.nextRunAt, state: { kind: "pending" } });
    expect((await w.member.as.query(api.workflows.definitions.get, { orgId: w.orgId, workflowId }))!.nextRunAt).toBe(first.nextRunAt);

    vi.advanceTimersByTime(5 * 60_000 + 1_000);
    await w.t.finishInProgressScheduledFunctions();
    const second = (await workflow(workflowId))!;
    expect(second.nextRunAt).toBe(first.nextRunAt! + 5 * 60_000);
    expect((await job(second.scheduleJobId!))!.state.kind).toBe("pending");
    const [runRow] = await w.t.run((ctx) => ctx.db.query("workflowRuns").collect());
    expect(runRow).toMatchObject({ trigger: { kind: "schedule", input: { title: "scheduled" } }, actor: { kind: "system", label: "Schedule" } });
    const done = await until(runRow!._id, (current) => current.status === "succeeded");
    expect(done.steps[0]!.input).toEqual({ channel: "C0GENERAL", text: "Releasing scheduled" });
    const shown = await w.member.as.query(api.workflows.runs.get, { orgId: w.orgId, runId: runRow!._id });
    expect(shown!.actor).toEqual({ kind: "system", label: "Schedule" });
    // Scheduled runs are not audited one by one.
    expect((await w.audit()).filter((event) => event.action === "workflow.run_started")).toEqual([]);
  });

  test("a fire while the last run is still under way skips that run; a stale job does nothing", async () => {
    const { w, create, workflow, start, run } = await world();
    const workflowId = await create(every5());
    const busy = await start(workflowId);
    await w.t.run(async (ctx) => ctx.scheduler.cancel((await ctx.db.get(busy))!.jobId!));
    const before = (await workflow(workflowId))!;
    await w.t.mutation(internal.workflows.schedule.fire, { workflowId, dueAt: before.nextRunAt! - 1 });
    expect((await workflow(workflowId))!.scheduleJobId).toBe(before.scheduleJobId);
    await w.t.mutation(internal.workflows.schedule.fire, { workflowId, dueAt: before.nextRunAt! });
    const after = (await workflow(workflowId))!;
    expect(after.nextRunAt).toBe(before.nextRunAt! + 5 * 60_000);
    expect((await w.t.run((ctx) => ctx.db.query("workflowRuns").collect())).map((row) => row._id)).toEqual([busy]);
    expect((await run(busy)).trigger.kind).toBe("manual");
  });

  test("updating replaces the job, turning off cancels it, removing cancels it and deletes the runs", async () => {
    const { w, create, workflow, job, start, run } = await world();
    const workflowId = await create(every5());
    const created = (await workflow(workflowId))!;
    await w.admin.as.mutation(api.workflows.definitions.update, {
      orgId: w.orgId,
      workflowId,
      definition: { ...every5(), trigger: { kind: "schedule", everyMinutes: 60, input: {} } },
    });
    const updated = (await workflow(workflowId))!;
    expect((await job(created.scheduleJobId!))!.state.kind).toBe("canceled");
    expect(updated.scheduleJobId).not.toBe(created.scheduleJobId);
    expect(updated.nextRunAt! - Date.now()).toBeGreaterThan(59 * 60_000);
    expect((await job(updated.scheduleJobId!))!.state.kind).toBe("pending");

    await w.admin.as.mutation(api.workflows.definitions.setEnabled, { orgId: w.orgId, workflowId, enabled: false });
    const off = (await workflow(workflowId))!;
    expect((await job(updated.scheduleJobId!))!.state.kind).toBe("canceled");
    expect(off.scheduleJobId).toBeUndefined();
    expect(off.nextRunAt).toBeUndefined();
    await w.admin.as.mutation(api.workflows.definitions.setEnabled, { orgId: w.orgId, workflowId, enabled: true });
    const on = (await workflow(workflowId))!;
    expect((await job(on.scheduleJobId!))!.state.kind).toBe("pending");

    // To manual: no job.
    await w.admin.as.mutation(api.workflows.definitions.update, { orgId: w.orgId, workflowId, definition: releaseWorkflow() });
    const manual = (await workflow(workflowId))!;
    expect(manual.scheduleJobId).toBeUndefined();
    expect((await job(on.scheduleJobId!))!.state.kind).toBe("canceled");

    await w.admin.as.mutation(api.workflows.definitions.update, { orgId: w.orgId, workflowId, definition: every5() });
    const again = (await workflow(workflowId))!;
    const runId = await start(workflowId);
    const stepJob = (await run(runId)).jobId!;
    await w.admin.as.mutation(api.workflows.definitions.remove, { orgId: w.orgId, workflowId });
    expect(await workflow(workflowId)).toBeNull();
    expect((await job(again.scheduleJobId!))!.state.kind).toBe("canceled");
    vi.advanceTimersByTime(0);
    await w.t.finishInProgressScheduledFunctions();
    expect(await w.t.run((ctx) => ctx.db.query("workflowRuns").collect())).toEqual([]);
    expect(["canceled", "success"]).toContain((await job(stepJob))!.state.kind);
    expect((await w.audit()).filter((event) => event.action === "workflow.removed")).toEqual([expect.objectContaining({ subject: "Every 5", details: { workflowId } })]);
  });

  test("removing a workflow with many runs deletes them a batch at a time", async () => {
    const { w, create } = await world();
    const workflowId = await create(releaseWorkflow());
    const row = (await w.t.run((ctx) => ctx.db.get(workflowId)))!;
    await w.t.run(async (ctx) => {
      for (let i = 0; i < 50; i++) {
        await ctx.db.insert("workflowRuns", {
          orgId: row.orgId,
          workflowId,
          workflowName: row.name,
          status: "succeeded",
          trigger: { kind: "manual", input: {} },
          actor: { kind: "system" },
          steps: [],
          currentStep: 0,
          createdAt: i,
        });
      }
    });
    const first = await w.t.mutation(internal.workflows.definitions.purgeRuns, { orgId: row.orgId, workflowId });
    expect(first).toEqual({ deleted: 20 });
    expect(await w.t.run((ctx) => ctx.db.query("workflowRuns").collect())).toHaveLength(30);
    vi.advanceTimersByTime(0);
    await w.t.finishAllScheduledFunctions(vi.runAllTimers);
    expect(await w.t.run((ctx) => ctx.db.query("workflowRuns").collect())).toEqual([]);
  });
});

describe("testing a step", () => {
  test("a step without references runs for real with the sample input; the call is the admin's", async () => {
    const { w, create, slackBodies } = await world();
    const workflowId = await create(releaseWorkflow());
    const result = await w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey: "post" });
    expect(result).toMatchObject({ ok: true, output: { channel: "C0GENERAL", ts: expect.any(String) } });
    expect(await slackBodies()).toEqual([{ channel: "C0GENERAL", text: "Releasing v1.0" }]);
    const [log] = await w.logs();
    expect(log).toMatchObject({ correlationId: result.correlationId, actor: { kind: "user", id: w.admin.userId } });
    expect(await w.t.run((ctx) => ctx.db.query("workflowRuns").collect())).toEqual([]);
  });

  test("references to earlier steps use the latest succeeded run's outputs, and say so when there is none", async () => {
    const { w, create, start, run, settle, slackBodies } = await world();
    const workflowId = await create(releaseWorkflow());
    const before = await w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey: "reply" });
    expect(before).toMatchObject({
      ok: false,
      error: {
        code: "invalid_input",
        retryable: false,
        message: "No run has succeeded with steps.post yet, so there is no output to test with: run the workflow once, then test this step.",
        fields: { channel: "Nothing is called steps.post.output.channel." },
      },
    });
    expect(before.correlationId).toEqual(expect.any(String));
    expect(await slackBodies()).toEqual([]);

    const runId = await start(workflowId, { title: "v3" });
    await settle();
    const ts = (await run(runId)).steps[0]!.output.ts as string;
    const tested = await w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey: "reply" });
    expect(tested).toMatchObject({ ok: true });
    expect((await slackBodies()).at(-1)).toEqual({ channel: "C0GENERAL", thread_ts: ts, text: "Notes for v1.0" });

    // Unsaved edits are what is tested.
    const edited = releaseWorkflow({ trigger: { kind: "manual", sampleInput: { title: "draft" } } });
    edited.steps[1] = { ...edited.steps[1]!, input: { ...edited.steps[1]!.input, text: "Edited {{trigger.title}}" } };
    await w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey: "reply", definition: edited });
    expect((await slackBodies()).at(-1)).toEqual({ channel: "C0GENERAL", thread_ts: ts, text: "Edited draft" });
  });

  test("an invalid edited definition, or a step that is not there, is INVALID_INPUT", async () => {
    const { w, create } = await world();
    const workflowId = await create(releaseWorkflow());
    const test = (stepKey: string, definition?: unknown) =>
      w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey, ...(definition ? { definition } : {}) });
    expect(await fieldsOf(test("post", releaseWorkflow({ name: "" })))).toEqual({ name: "Give it a name." });
    expect(await fieldsOf(test("nope"))).toEqual({ stepKey: "The workflow has no step called nope." });
  });

  test("a failed test answers the step contract's error", async () => {
    const { w, create } = await world();
    const definition = releaseWorkflow();
    definition.steps[0] = { ...definition.steps[0]!, input: { channel: "C0NOPE", text: "x" } };
    const workflowId: Id<"workflows"> = await create(definition);
    expect(await w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey: "post" })).toMatchObject({
      ok: false,
      error: { code: "invalid_input", providerCode: "channel_not_found" },
    });
  });
});
