/**
 * The catalog's events are sent from where they happen: a provider connected and
 * disconnected through the real flows (against the provider simulator), an action run,
 * a workflow run. Afterwards no webhook secret is anywhere in the database or the logs.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "../../_generated/api";
import schema from "../../schema";
import { connectOAuth } from "../../test.helpers";
import { startReceiver, type Receiver } from "./test.receiver";
import { CONNECTED, webhookWorld } from "./test.webhooks";

let hook: Receiver | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await hook?.close();
});

describe("events from where they happen", () => {
  test("connect, an action, a workflow run and a disconnect each reach the endpoint; no secret is left anywhere", async () => {
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const w = await webhookWorld();
    hook = await startReceiver();
    const { endpointId, secret } = await w.create(hook.url, ["connection.*", "action.*", "workflow.*"]);
    const { secret: rotated } = await w.admin.as.action(api.webhooks.outbound.endpoints.rotateSecret, { orgId: w.orgId, endpointId });
    const types = async () => {
      await w.t.finishAllScheduledFunctions(() => undefined);
      return hook!.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
    };

    await connectOAuth(w.admin, w.orgId, "slack");
    expect((await types()).at(-1)).toMatchObject({ type: "connection.connected", data: { providerId: "slack" } });

    const ran = await w.admin.as.action(api.providerActions.tryIt.run, {
      orgId: w.orgId,
      actionId: "slack.post_message",
      input: { channel: "C0GENERAL", text: "hello" },
    });
    expect(ran.ok).toBe(true);
    expect((await types()).at(-1)).toMatchObject({ type: "action.succeeded", data: { actionId: "slack.post_message", correlationId: ran.correlationId } });

    const failed = await w.admin.as.action(api.providerActions.tryIt.run, { orgId: w.orgId, actionId: "github.create_issue", input: { owner: "o", repo: "r", title: "t" } });
    expect(failed.ok).toBe(false);
    expect((await types()).at(-1)).toMatchObject({ type: "action.failed", data: { actionId: "github.create_issue", code: failed.ok ? "" : failed.error.code } });

    const workflowId = await w.admin.as.mutation(api.workflows.definitions.create, {
      orgId: w.orgId,
      definition: {
        name: "Hello",
        trigger: { kind: "manual" },
        steps: [{ key: "post", name: "Post", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "hi" } }],
      },
    });
    await w.admin.as.mutation(api.workflows.runs.start, { orgId: w.orgId, workflowId });
    const afterRun = await types();
    expect(afterRun.map((p) => p.type)).toContain("workflow.run.completed");
    expect(afterRun.find((p) => p.type === "workflow.run.completed")).toMatchObject({ data: { workflowId, workflowName: "Hello" } });

    await w.admin.as.action(api.integrations.connections.disconnect, { orgId: w.orgId, providerId: "slack" });
    expect((await types()).map((p) => p.type)).toContain("connection.disconnected");

    // No webhook secret in any table, log line or answer after all of that: only vault ciphertext.
    const everything = await w.t.run(async (ctx) => {
      const rows: unknown[] = [];
      for (const table of Object.keys(schema.tables)) rows.push(...(await ctx.db.query(table as never).collect()));
      return JSON.stringify(rows);
    });
    for (const plain of [secret, rotated, secret.slice(6), rotated.slice(6)]) {
      expect(everything).not.toContain(plain);
      expect(logged.join("\n")).not.toContain(plain);
    }
    expect(everything).not.toContain("whsec_");
    const listed = await w.admin.as.query(api.webhooks.outbound.endpoints.list, { orgId: w.orgId });
    expect(JSON.stringify(listed)).not.toContain("whsec_");
  }, 30_000);

  test("an event whose data does not fit the catalog is dropped without breaking the caller", async () => {
    const w = await webhookWorld();
    hook = await startReceiver();
    await w.create(hook.url);
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await w.emit("connection.connected", { ...CONNECTED, providerId: 5 as unknown as string });
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect(hook.received).toHaveLength(0);
    expect(error).toHaveBeenCalledWith(expect.stringContaining("Webhook event dropped"));
  });
});
