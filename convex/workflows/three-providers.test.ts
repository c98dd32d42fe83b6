/**
 * The workflow the product exists for, across three providers: a GitHub issue, a Slack
 * message with the issue's URL, a custom webhook with both; with a retryable failure that
 * succeeds on retry, and a run cancelled while it waits to retry.
 */
import { describe, expect, inject, test } from "vitest";
import type { WorkflowDefinitionInput } from "../../lib/workflows";
import { api } from "../_generated/api";
import { worldPerTest, type World } from "../calls/test.world";
import { workflowHelpers } from "./test.workflows";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

const triage = (webhookRetry = { maxAttempts: 3, initialDelayMs: 1_000 }): WorkflowDefinitionInput => ({
  name: "Triage crash reports",
  trigger: { kind: "manual", sampleInput: { title: "Crash on save" } },
  steps: [
    { key: "create_issue", name: "Open an issue", actionId: "github.create_issue", input: { repository: "octo-org/app", title: "{{trigger.title}}", labels: ["crash"] } },
    {
      key: "notify",
      name: "Tell the channel",
      actionId: "slack.post_message",
      input: { channel: "C0GENERAL", text: "New crash report: {{steps.create_issue.output.url}}" },
      retry: { maxAttempts: 3, initialDelayMs: 1_000 },
    },
    {
      key: "forward",
      name: "Forward to the on-call tool",
      actionId: "custom-webhook.send_request",
      input: { body: { issue: "{{steps.create_issue.output.url}}", number: "{{steps.create_issue.output.number}}", slackTs: "{{steps.notify.output.ts}}" } },
      retry: webhookRetry,
    },
  ],
});

async function world() {
  const w = await setup(simulatorUrl, "github");
  await w.connect("slack");
  const hookUrl = await w.simulator.webhookUrl("custom-webhook");
  await w.admin.as.action(api.integrations.credentials.connect, {
    orgId: w.orgId,
    providerId: "custom-webhook",
    values: { url: hookUrl, method: "POST", authMode: "bearer", bearerToken: "receiver-token" },
  });
  w.fakeClock();
  return { w, hookUrl, ...workflowHelpers(w) };
}

const webhookBodies = async (w: World) => (await w.simulator.apiCalls({ providerId: "custom-webhook" })).slice(1).map((c) => c.body);

describe("GitHub issue → Slack message → custom webhook", () => {
  test("each step gets what the earlier ones gave; Slack's 429 is retried after its Retry-After", async () => {
    const { w, create, start, run, settle } = await world();
    await w.simulator.failNext("slack", "api", { kind: "rate_limit", retryAfterSeconds: 2 });
    const workflowId = await create(triage());
    const runId = await start(workflowId);
    await settle();

    const done = await run(runId);
    expect(done.status).toBe("succeeded");
    const [issue, notify, forward] = done.steps;
    const url = issue!.output.url as string;
    expect(url).toMatch(/^https:\/\/github\.com\/octo-org\/app\/issues\/\d+$/);
    expect(notify).toMatchObject({ status: "succeeded", attempts: 2 });
    expect(forward).toMatchObject({ status: "succeeded", attempts: 1, output: { status: 200 } });

    const [created] = await w.simulator.apiCalls({ providerId: "github", apiPath: "/repos/octo-org/app/issues", method: "POST" });
    expect(created!.body).toEqual({ title: "Crash on save", labels: ["crash"] });
    const posts = await w.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" });
    expect(posts.map((p) => p.body)).toEqual([
      { channel: "C0GENERAL", text: `New crash report: ${url}` },
      { channel: "C0GENERAL", text: `New crash report: ${url}` },
    ]);
    expect(await webhookBodies(w)).toEqual([{ issue: url, number: issue!.output.number, slackTs: notify!.output.ts }]);
    const [delivery] = (await w.simulator.webhookDeliveries({ providerId: "custom-webhook" })).slice(-1);
    expect(delivery!.headers.authorization).toBe("Bearer receiver-token");

    // Every step's call is in the log under its correlation id, the retried one twice.
    const logs = await w.logs();
    for (const step of done.steps) expect(logs.some((row) => row.correlationId === step.correlationId)).toBe(true);
    expect(logs.filter((row) => row.path === "/chat.postMessage")).toHaveLength(2);
  });

  test("a run waiting to retry the webhook is cancelled: nothing more is sent, the rest is cancelled", async () => {
    const { w, create, start, run, until } = await world();
    await w.simulator.failNext("custom-webhook", "api", { kind: "status", status: 503 }, 5);
    const workflowId = await create(triage({ maxAttempts: 5, initialDelayMs: 600_000 }));
    const runId = await start(workflowId);
    const waiting = await until(runId, (r) => r.status === "retrying");
    expect(waiting.steps.map((s) => s.status)).toEqual(["succeeded", "succeeded", "running"]);
    expect(waiting.steps[2]).toMatchObject({ attempts: 1, error: { code: "provider_error", retryable: true } });

    await w.admin.as.mutation(api.workflows.runs.cancel, { orgId: w.orgId, runId });
    await w.t.finishAllScheduledFunctions(() => {});
    const cancelled = await run(runId);
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.steps[2]!.status).toBe("cancelled");
    expect(await w.simulator.apiCalls({ providerId: "custom-webhook" })).toHaveLength(2); // the connect check and the one failed attempt
  });
});
