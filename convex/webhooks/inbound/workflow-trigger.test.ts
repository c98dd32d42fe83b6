/**
 * From a provider's delivery to a workflow's step: a GitHub App's `issues.opened`
 * (signed by @octokit/webhooks-methods) reaches the org that connected the installation,
 * is processed once, starts the event-triggered workflow whose step posts the issue's
 * title to the simulator's Slack, and is forwarded as an outbound event.
 */
import { sign } from "@octokit/webhooks-methods";
import { afterEach, describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../../calls/test.world";
import { SLACK_SCOPES, workflowHelpers } from "../../workflows/test.workflows";
import { insertConnection, post } from "./test.inbound";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const SECRET = "It's a Secret to Everybody";

afterEach(() => {
  delete process.env.GITHUB_APP_WEBHOOK_SECRET;
});

describe("an event-triggered workflow, from the webhook", () => {
  test("issues.opened starts the workflow once, with the payload as trigger data, even when GitHub redelivers", async () => {
    process.env.GITHUB_APP_WEBHOOK_SECRET = SECRET;
    const w = await setup(simulatorUrl, "slack", { extraScopes: SLACK_SCOPES });
    w.fakeClock();
    const { create, settle, slackBodies } = workflowHelpers(w);
    await insertConnection(w.t, w.orgId, w.admin.userId, "github", "777");
    await create({
      name: "Bugs to Slack",
      trigger: { kind: "event", eventType: "github.issues.*", filters: [{ path: "issue.labels.0.name", equals: "bug" }] },
      steps: [{ key: "post", name: "Announce", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "New bug: {{trigger.payload.issue.title}}" } }],
    });
    const body = JSON.stringify({
      action: "opened",
      issue: { number: 7, title: "Crash on save", labels: [{ name: "bug" }] },
      repository: { full_name: "octo/app" },
      installation: { id: 777 },
      sender: { login: "octo" },
    });
    const headers = { "x-github-event": "issues", "x-github-delivery": "d-777-1", "x-hub-signature-256": await sign(SECRET, body) };
    expect((await post(w.t, "/webhooks/github", body, headers)).status).toBe(200);
    expect((await post(w.t, "/webhooks/github", body, headers)).status).toBe(200);
    await settle();

    const events = await w.t.run((ctx) => ctx.db.query("inboundEvents").collect());
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "github.issues.opened", status: "processed", outcome: { workflowRuns: 1, forwardedAs: "github.issues.opened" } });
    const runs = await w.t.run((ctx) => ctx.db.query("workflowRuns").collect());
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "succeeded", trigger: { kind: "event" } });
    expect((await slackBodies()).map((b) => (b as { text?: string }).text)).toContain("New bug: Crash on save");
  });
});
