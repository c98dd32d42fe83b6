/**
 * The public API end to end on a backend connected to the provider simulator: each
 * route with a working key, what a key's writes leave behind (audit events and call
 * logs with the key as actor, the usage log), the per-key rate limit under a burst, and
 * a scan that finds the key nowhere but as its hash, and a webhook secret nowhere but sealed.
 */
import { describe, expect, inject, test, vi } from "vitest";
import { hashApiKey } from "../../lib/api-keys";
import { api } from "../_generated/api";
import schema from "../schema";
import { worldPerTest, type World } from "../calls/test.world";
import { callApi, makeKey } from "./test.api";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

const SCOPES = ["connections:read", "actions:read", "actions:run", "workflows:run", "calls:read"];
const POST = { channel: "C0GENERAL", text: "from the API" };

async function keyed(w: World, settings: { scopes?: string[]; rateLimitPerMinute?: number; providerIds?: string[] } = {}) {
  const made = await makeKey(w.admin, w.orgId, { scopes: SCOPES, ...settings });
  return { ...made, call: (request: Parameters<typeof callApi>[1]) => callApi(w.t, request, made.key) };
}

describe("the public API with a working key", () => {
  test("connections: a page at a time, and one by provider", async () => {
    const w = await setup(simulatorUrl, "slack");
    await w.connect("github");
    const { call } = await keyed(w);
    const first = await call({ method: "GET", path: "/v1/connections?limit=1" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ data: [{ provider_id: "github", status: "connected" }], next_cursor: expect.any(String) });
    const second = await call({ method: "GET", path: `/v1/connections?limit=1&cursor=${first.body!.next_cursor}` });
    expect(second.body).toMatchObject({ data: [{ provider_id: "slack", display_name: "Slack" }], next_cursor: null });
    expect((await call({ method: "GET", path: "/v1/connections?cursor=nonsense" })).body).toMatchObject({ code: "invalid_request", errors: { cursor: expect.any(String) } });
    expect((await call({ method: "GET", path: "/v1/connections?limit=500" })).body).toMatchObject({ code: "invalid_request", errors: { limit: expect.any(String) } });
    expect((await call({ method: "GET", path: "/v1/connections/slack" })).body).toMatchObject({ provider_id: "slack", scopes: expect.arrayContaining(["chat:write"]) });
    expect((await call({ method: "GET", path: "/v1/connections/asana" })).body).toMatchObject({ code: "not_found" });
  });

  test("actions: the connected providers' actions with JSON Schemas; a run honours its Idempotency-Key", async () => {
    const w = await setup(simulatorUrl, "slack");
    const { id: keyId, call } = await keyed(w);
    const listed = await call({ method: "GET", path: "/v1/actions?limit=100" });
    const data = listed.body!.data as Array<{ id: string; provider_id: string; input_schema: { type?: string } }>;
    expect(data.length).toBeGreaterThan(1);
    expect(new Set(data.map((action) => action.provider_id))).toEqual(new Set(["slack"]));
    expect(data.find((action) => action.id === "slack.post_message")!.input_schema).toMatchObject({ type: "object" });

    const run = { method: "POST", path: "/v1/actions/slack.post_message/run", body: { input: POST }, headers: { "Idempotency-Key": "deploy-7" } };
    const first = await call(run);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ action_id: "slack.post_message", output: { channel: "C0GENERAL" }, correlation_id: expect.any(String) });
    const again = await call(run);
    expect(again.body).toEqual(first.body);
    expect(await w.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })).toHaveLength(1);

    // The call log and the audit trail name the key as the actor.
    const [log] = await w.logs();
    expect(log!.actor).toMatchObject({ kind: "apiKey", id: keyId });
    const audit = (await w.audit()).filter((event) => event.action === "action.run");
    expect(audit[0]).toMatchObject({ actor: { kind: "apiKey", id: keyId }, providerId: "slack" });
    const trace = await call({ method: "GET", path: `/v1/calls/${first.body!.correlation_id}` });
    expect(trace.body).toMatchObject({ correlation_id: first.body!.correlation_id, calls: [{ provider_id: "slack", method: "POST", status: 200, outcome: "ok" }] });

    const invalid = await call({ method: "POST", path: "/v1/actions/slack.post_message/run", body: { input: { channel: "" } } });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ code: "invalid_input", errors: { channel: expect.any(String) }, retryable: false });
    expect((await call({ method: "POST", path: "/v1/actions/slack.post_message/run", body: { nope: 1 } })).body).toMatchObject({
      code: "invalid_request",
      errors: { "body.input": expect.any(String) },
    });
    expect((await call({ method: "POST", path: "/v1/actions/slack.launch/run", body: { input: {} } })).body).toMatchObject({ code: "not_found" });
  });

  test("workflows: a run started with a key runs, is audited as the key, and is read back", async () => {
    const w = await setup(simulatorUrl, "slack");
    const { id: keyId, call } = await keyed(w);
    const workflowId = await w.admin.as.mutation(api.workflows.definitions.create, {
      orgId: w.orgId,
      definition: {
        name: "Notify",
        trigger: { kind: "manual" },
        steps: [{ key: "post", name: "Post", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "{{trigger.text}}" } }],
      },
    });
    const started = await call({ method: "POST", path: `/v1/workflows/${workflowId}/runs`, body: { input: { text: "released" } } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ workflow_id: workflowId, status: "running", trigger_kind: "manual" });
    await w.t.finishAllScheduledFunctions(() => {});
    const read = await call({ method: "GET", path: `/v1/workflow-runs/${started.body!.id}` });
    expect(read.body).toMatchObject({ status: "succeeded", steps: [{ key: "post", status: "succeeded", correlation_id: expect.any(String) }] });
    const audit = (await w.audit()).find((event) => event.action === "workflow.run_started");
    expect(audit).toMatchObject({ actor: { kind: "apiKey", id: keyId } });
    await w.admin.as.mutation(api.workflows.definitions.setEnabled, { orgId: w.orgId, workflowId, enabled: false });
    expect((await call({ method: "POST", path: `/v1/workflows/${workflowId}/runs`, body: {} })).body).toMatchObject({ code: "conflict" });
    expect((await call({ method: "POST", path: "/v1/workflows/nope/runs", body: {} })).body).toMatchObject({ code: "not_found" });
    expect((await call({ method: "GET", path: "/v1/workflow-runs/nope" })).body).toMatchObject({ code: "not_found" });
  });

  test("unknown routes and methods answer problems; answers carry the RateLimit fields", async () => {
    const w = await setup(simulatorUrl, "");
    const { call } = await keyed(w, { rateLimitPerMinute: 10 });
    const missing = await call({ method: "GET", path: "/v1/nothing" });
    expect(missing.status).toBe(404);
    const wrong = await call({ method: "DELETE", path: "/v1/connections" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("Allow")).toBe("GET");
    const ok = await call({ method: "GET", path: "/v1/connections" });
    expect(ok.headers.get("RateLimit-Policy")).toBe('"per-key";q=10;w=60');
    expect(ok.headers.get("RateLimit-Limit")).toBe("10");
    expect(ok.headers.get("RateLimit-Remaining")).toBe("9");
    expect(ok.headers.get("RateLimit")).toMatch(/^"per-key";r=9;t=\d+$/);
  });
});

describe("the per-key rate limit", () => {
  test("200 concurrent requests on a key limited to 60 a minute: exactly 60 succeed, the rest get 429 with Retry-After", async () => {
    const w = await setup(simulatorUrl, "");
    const { call, id } = await keyed(w, { rateLimitPerMinute: 60 });
    const answers = await Promise.all(Array.from({ length: 200 }, () => call({ method: "GET", path: "/v1/connections" })));
    const ok = answers.filter((answer) => answer.status === 200);
    const limited = answers.filter((answer) => answer.status === 429);
    expect(ok).toHaveLength(60);
    expect(limited).toHaveLength(140);
    for (const answer of limited) {
      expect(answer.body).toMatchObject({ code: "rate_limited", retryable: true });
      expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(Number(answer.headers.get("Retry-After"))).toBeLessThanOrEqual(60);
      expect(answer.headers.get("RateLimit-Remaining")).toBe("0");
    }
    const usage = await w.admin.as.query(api.apiKeys.usage.forKey, { orgId: w.orgId, keyId: id });
    expect(usage.days).toMatchObject([{ requests: 200, errors: 140 }]);
  });
});

describe("the key is never kept", () => {
  test("after a run of every kind of request, no table holds the key, only its hash", async () => {
    const w = await setup(simulatorUrl, "slack");
    const { key, call } = await keyed(w, { scopes: [...SCOPES, "webhooks:read", "webhooks:write"] });
    const answers = [
      await call({ method: "GET", path: "/v1/connections" }),
      await call({ method: "GET", path: "/v1/actions" }),
      await call({ method: "POST", path: "/v1/actions/slack.post_message/run", body: { input: POST } }),
      await call({ method: "POST", path: "/v1/actions/slack.post_message/run", body: { input: { channel: key } } }),
      await call({ method: "GET", path: `/v1/calls/${key}` }),
      await callApi(w.t, { method: "GET", path: "/v1/connections" }, `${key.slice(0, -1)}x`),
      await call({ method: "GET", path: "/v1/webhook-endpoints" }),
    ];
    const tables = await w.t.run(async (ctx) => {
      const names = ["apiKeys", "apiKeyRequests", "apiKeyUsageDays", "auditEvents", "callLogs", "rateLimits", "actionResults", "connections"] as const;
      return Object.fromEntries(await Promise.all(names.map(async (name) => [name, await ctx.db.query(name).collect()] as const)));
    });
    const stored = JSON.stringify(tables);
    expect(stored).toContain(await hashApiKey(key));
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(4, -6));
    // Answers never echo it either, not even in an error about it.
    for (const answer of answers) expect(answer.text).not.toContain(key.slice(4, -6));
    // What the simulator received carries no key either.
    expect(JSON.stringify(await w.simulator.apiCalls({ providerId: "slack" }))).not.toContain(key.slice(4, -6));
  });

  test("a webhook endpoint's secrets made through the API are nowhere but in their answers and the vault ciphertext", async () => {
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    try {
      const w = await setup(simulatorUrl, "");
      const { call } = await keyed(w, { scopes: ["webhooks:read", "webhooks:write"] });
      const created = await call({ method: "POST", path: "/v1/webhook-endpoints", body: { url: "https://hooks.example.com/scan", filter: ["*"] } });
      expect(created.status).toBe(201);
      const id = created.body!.id as string;
      const rotated = await call({ method: "POST", path: `/v1/webhook-endpoints/${id}/rotate-secret` });
      const secrets = [created.body!.secret as string, rotated.body!.secret as string];
      for (const secret of secrets) expect(secret).toMatch(/^whsec_.{20,}/);
      const reads = [
        await call({ method: "GET", path: "/v1/webhook-endpoints" }),
        await call({ method: "GET", path: `/v1/webhook-endpoints/${id}` }),
        await call({ method: "PATCH", path: `/v1/webhook-endpoints/${id}`, body: { description: "scanned" } }),
      ];
      const tables = await w.t.run(async (ctx) => {
        const rows: Record<string, unknown[]> = {};
        for (const table of Object.keys(schema.tables)) rows[table] = await ctx.db.query(table as never).collect();
        return rows;
      });
      // The endpoint row holds both secrets sealed (the rotated one and the one still signing)…
      const [endpoint] = tables.webhookEndpoints as Array<{ publicId: string; secret: { ciphertext: string }; previousSecret?: { ciphertext: string } }>;
      expect(endpoint).toMatchObject({ publicId: id, secret: { ciphertext: expect.any(String) }, previousSecret: { ciphertext: expect.any(String) } });
      // …and no table (the usage log and audit trail included), log line or later answer holds either in the clear.
      expect(tables.apiKeyRequests!.length).toBeGreaterThan(0);
      const stored = JSON.stringify(tables);
      for (const secret of secrets) {
        for (const part of [secret, secret.slice("whsec_".length)]) {
          expect(stored).not.toContain(part);
          expect(logged.join("\n")).not.toContain(part);
          for (const read of reads) expect(read.text).not.toContain(part);
        }
      }
      expect(stored).not.toContain("whsec_");
    } finally {
      vi.restoreAllMocks();
    }
  });
});
