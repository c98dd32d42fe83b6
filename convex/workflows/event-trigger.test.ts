/** Event triggers: which workflows an inbound event starts, with what trigger data, against the simulator's Slack. */
import { describe, expect, inject, test } from "vitest";
import type { WorkflowDefinitionInput } from "../../lib/workflows";
import { api } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { worldPerTest } from "../calls/test.world";
import { EVENT_ACTOR, startWorkflowsForEvent, type InboundEventForWorkflows } from "./events";
import { releaseWorkflow, SLACK_SCOPES, workflowHelpers } from "./test.workflows";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

async function world() {
  const w = await setup(simulatorUrl, "slack", { extraScopes: SLACK_SCOPES });
  w.fakeClock();
  const helpers = workflowHelpers(w);
  const event = (patch: Partial<InboundEventForWorkflows> = {}): InboundEventForWorkflows => ({
    orgId: w.orgId,
    eventId: "evt_1",
    providerId: "github",
    connectionId: null,
    type: "github.issues.opened",
    receivedAt: 1_700_000_000_000,
    payload: { action: "opened", issue: { number: 7, title: "Crash on save", state: "open", labels: [{ name: "bug" }] } },
    ...patch,
  });
  /** Delivers an event as the inbound processing does: inside a mutation. */
  const deliver = (patch: Partial<InboundEventForWorkflows> = {}) => w.t.run((ctx) => startWorkflowsForEvent(ctx, event(patch)));
  const runs = () => w.t.run((ctx) => ctx.db.query("workflowRuns").collect());
  return { w, ...helpers, event, deliver, runs };
}

/** One Slack post that reads the event: `{{trigger.payload.…}}` and the trigger's own fields. */
function onEvent(trigger: Record<string, unknown>, name = "Issue to Slack"): WorkflowDefinitionInput {
  return {
    name,
    trigger: { kind: "event", ...trigger } as WorkflowDefinitionInput["trigger"],
    steps: [
      {
        key: "post",
        name: "Announce",
        actionId: "slack.post_message",
        input: { channel: "C0GENERAL", text: "#{{trigger.payload.issue.number}} {{trigger.payload.issue.title}} ({{trigger.type}} from {{trigger.providerId}})" },
      },
    ],
  };
}

describe("an event-triggered workflow", () => {
  test("a matching event starts exactly one run with the event as trigger data; the step reads the payload", async () => {
    const { w, create, run, settle, slackBodies, deliver, runs, workflow } = await world();
    const workflowId = await create(onEvent({ eventType: "github.issues.opened", filters: [{ path: "issue.state", equals: "open" }] }));
    expect((await workflow(workflowId))!.scheduleJobId).toBeUndefined();

    const runIds = await deliver({ connectionId: "conn_1" });
    expect(runIds).toHaveLength(1);
    await settle();

    const done = await run(runIds[0]!);
    expect(done).toMatchObject({
      workflowId,
      status: "succeeded",
      actor: EVENT_ACTOR,
      trigger: {
        kind: "event",
        input: {
          eventId: "evt_1",
          type: "github.issues.opened",
          providerId: "github",
          connectionId: "conn_1",
          receivedAt: 1_700_000_000_000,
          payload: { action: "opened", issue: { number: 7, title: "Crash on save", state: "open", labels: [{ name: "bug" }] } },
        },
      },
    });
    expect(await slackBodies()).toEqual([{ channel: "C0GENERAL", text: "#7 Crash on save (github.issues.opened from github)" }]);
    expect(await runs()).toHaveLength(1);
    expect((await workflow(workflowId))!.lastRun).toMatchObject({ runId: runIds[0], status: "succeeded" });
    // Shown like any run, as started by Switchboard for an event; not audited one by one.
    const shown = await w.member.as.query(api.workflows.runs.get, { orgId: w.orgId, runId: runIds[0]! });
    expect(shown).toMatchObject({ triggerKind: "event", actor: { kind: "system", label: "Event" } });
    expect((await w.audit()).map((e) => e.action).filter((action) => action.startsWith("workflow."))).toEqual(["workflow.created"]);
  });

  test("a prefix takes every type under it; every matching workflow starts, each event its own run", async () => {
    const { create, deliver, runs, settle } = await world();
    const all = await create(onEvent({ eventType: "github.*" }, "All GitHub"));
    const issues = await create(onEvent({ eventType: "github.issues.*" }, "Issues"));
    const exact = await create(onEvent({ eventType: "github.issues.opened" }, "Opened"));
    await create(onEvent({ eventType: "github.issues.closed" }, "Closed"));
    await create(onEvent({ eventType: "slack.*" }, "Slack"));

    const first = await deliver();
    const second = await deliver({ eventId: "evt_2" });
    const started = await runs();
    expect(started.filter((r) => first.includes(r._id)).map((r) => r.workflowId).sort()).toEqual([all, issues, exact].sort());
    expect(second).toHaveLength(3);
    expect(await deliver({ type: "github.push", payload: { ref: "refs/heads/main" } })).toHaveLength(1);
    expect((await runs()).filter((r) => r.workflowId === all)).toHaveLength(3);
    await settle();
  });

  test("another type, a filter that fails or a path that is missing start nothing; every filter must match", async () => {
    const { create, deliver, runs } = await world();
    await create(onEvent({ eventType: "github.issues.opened", filters: [{ path: "issue.state", equals: "open" }, { path: "issue.labels.0.name", equals: "bug" }] }));
    expect(await deliver({ type: "github.issues.closed" })).toEqual([]);
    expect(await deliver({ type: "slack.message" })).toEqual([]);
    expect(await deliver({ payload: { issue: { state: "open", labels: [{ name: "question" }] } } })).toEqual([]);
    expect(await deliver({ payload: { issue: { state: "closed", labels: [{ name: "bug" }] } } })).toEqual([]);
    expect(await deliver({ payload: { issue: { state: "open" } } })).toEqual([]);
    expect(await deliver({ payload: null })).toEqual([]);
    expect(await runs()).toEqual([]);
    expect(await deliver({ payload: { issue: { state: "open", labels: [{ name: "bug" }] } } })).toHaveLength(1);
  });

  test("a workflow turned off starts nothing; turned on again, it does", async () => {
    const { w, create, deliver, runs } = await world();
    const workflowId = await create(onEvent({ eventType: "github.*" }));
    await w.admin.as.mutation(api.workflows.definitions.setEnabled, { orgId: w.orgId, workflowId, enabled: false });
    expect(await deliver()).toEqual([]);
    expect(await runs()).toEqual([]);
    await w.admin.as.mutation(api.workflows.definitions.setEnabled, { orgId: w.orgId, workflowId, enabled: true });
    expect(await deliver()).toHaveLength(1);
  });

  test("manual and scheduled workflows are never started by an event, nor another org's", async () => {
    const { w, create, deliver, runs } = await world();
    await create(releaseWorkflow());
    await create(releaseWorkflow({ name: "Every hour", trigger: { kind: "schedule", everyMinutes: 60, input: { title: "x" } } }));
    const changed = await create(onEvent({ eventType: "github.*" }));
    // An event workflow changed to a manual one is no longer looked up by its old type.
    await w.admin.as.mutation(api.workflows.definitions.update, { orgId: w.orgId, workflowId: changed, definition: releaseWorkflow({ name: "Now manual" }) });
    expect(await deliver()).toEqual([]);
    const elsewhere = await w.t.run(async (ctx) => {
      const user = await ctx.db.insert("users", { email: "other@example.com" });
      return await ctx.db.insert("organizations", { name: "Other", slug: "other", createdBy: user });
    });
    await create(onEvent({ eventType: "github.*" }));
    expect(await deliver({ orgId: elsewhere })).toEqual([]);
    expect(await runs()).toEqual([]);
  });

  test("a scheduled workflow changed to an event trigger loses its schedule and runs for events", async () => {
    const { w, create, deliver, workflow, job } = await world();
    const workflowId = await create(releaseWorkflow({ trigger: { kind: "schedule", everyMinutes: 60, input: { title: "x" } } }));
    const scheduled = (await workflow(workflowId))!;
    expect(scheduled.nextRunAt).toEqual(expect.any(Number));
    await w.admin.as.mutation(api.workflows.definitions.update, { orgId: w.orgId, workflowId, definition: onEvent({ eventType: "github.*" }) });
    const changed = (await workflow(workflowId))!;
    expect(changed.scheduleJobId).toBeUndefined();
    expect(changed.nextRunAt).toBeUndefined();
    expect((await job(scheduled.scheduleJobId!))!.state.kind).toBe("canceled");
    expect(await deliver()).toHaveLength(1);
  });

  test("an event too large for a run's input starts a run without its payload, saying why; filters still read the whole payload", async () => {
    const { create, deliver, run, settle } = await world();
    const workflowId = await create({
      ...onEvent({ eventType: "github.push", filters: [{ path: "ref", equals: "refs/heads/main" }] }),
      steps: [{ key: "post", name: "Announce", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "Push to {{trigger.payload.ref}}" } }],
    });
    const payload = { ref: "refs/heads/main", commits: [{ message: "x".repeat(40 * 1024) }] };
    expect(await deliver({ type: "github.push", payload: { ...payload, ref: "refs/heads/dev" } })).toEqual([]);
    const [runId] = await deliver({ type: "github.push", payload });
    await settle();
    const done = await run(runId as Id<"workflowRuns">);
    expect(done.workflowId).toBe(workflowId);
    expect(done.trigger.input).toMatchObject({ eventId: "evt_1", type: "github.push", payload: null, payloadNote: "The payload was left out: the event is 41 KB, more than a run's input may be (32 KB)." });
    expect(done.status).toBe("failed");
    expect(done.steps[0]).toMatchObject({ status: "failed", error: { code: "invalid_input", message: expect.stringContaining("trigger.payload.ref") } });
  });
});

describe("by hand", () => {
  test("Run now and Test step use the sample event", async () => {
    const { w, create, start, run, settle, slackBodies } = await world();
    const sampleEvent = { eventId: "evt_sample", type: "github.issues.opened", providerId: "github", connectionId: null, receivedAt: 0, payload: { issue: { number: 1, title: "Sample" } } };
    const workflowId = await create(onEvent({ eventType: "github.issues.opened", sampleEvent }));
    const tested = await w.admin.as.action(api.workflows.runs.testStep, { orgId: w.orgId, workflowId, stepKey: "post" });
    expect(tested).toMatchObject({ ok: true });
    const runId = await start(workflowId);
    await settle();
    expect(await run(runId)).toMatchObject({ status: "succeeded", trigger: { kind: "manual", input: sampleEvent } });
    expect(await slackBodies()).toEqual([
      { channel: "C0GENERAL", text: "#1 Sample (github.issues.opened from github)" },
      { channel: "C0GENERAL", text: "#1 Sample (github.issues.opened from github)" },
    ]);
  });
});
