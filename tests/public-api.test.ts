/**
 * The public API over real HTTP: the offline Convex sandbox serves convex/http.ts on its
 * site port, the provider simulator plays Slack, and every route of the document is
 * driven with openapi-fetch, typed by the types openapi-typescript generates from the
 * document (tests/public-api/openapi-types.ts, checked to be up to date here).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import createClient from "openapi-fetch";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { OPERATION_IDS, ROUTES } from "../lib/public-api";
import { generatedTypes, TYPES_FILE } from "../scripts/public-api-types";
import { startSandbox, type Sandbox } from "../tools/convex-sandbox/server.mjs";
import { startSimulator } from "../tools/provider-simulator/server";
import type { paths } from "./public-api/openapi-types";

const CONVEX_DIR = fileURLToPath(new URL("../convex", import.meta.url));
const ref = <K extends "query" | "mutation" | "action">(kind: K, name: string) => makeFunctionReference<K>(name);

let sandbox: Sandbox;
let simulator: Awaited<ReturnType<typeof startSimulator>>;
let key: string;
let workflowId: string;
/** A Standard Webhooks endpoint of the org: its URL on the site port and its whsec_ secret. */
let inbound: { url: string; secret: string };
let client: ReturnType<typeof createClient<paths>>;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, autoApprove: true });
  sandbox = await startSandbox({
    convexDir: CONVEX_DIR,
    port: 0,
    sitePort: 0,
    quiet: true,
    envFile: null,
    crons: false,
    env: { SWITCHBOARD_PROVIDER_SIMULATOR_URL: simulator.url },
  });
  const convex = new ConvexHttpClient(sandbox.url);
  const signedUp = (await convex.action(ref("action", "auth:signIn"), {
    provider: "password",
    params: { email: "api@example.com", password: "correct-horse-battery-9", flow: "signUp" },
  })) as { tokens: { token: string } };
  convex.setAuth(signedUp.tokens.token);
  const { orgId } = (await convex.mutation(ref("mutation", "orgs/organizations:create"), { name: "API Org" })) as { orgId: string };
  const { authorizeUrl } = (await convex.action(ref("action", "integrations/oauth:start"), {
    orgId,
    providerId: "slack",
    mode: "redirect",
    returnTo: "/o/api-org/settings/integrations",
  })) as { authorizeUrl: string };
  const location = new URL((await fetch(authorizeUrl, { redirect: "manual" })).headers.get("location")!);
  await convex.action(ref("action", "integrations/oauth:complete"), {
    providerId: "slack",
    state: location.searchParams.get("state"),
    code: location.searchParams.get("code"),
  });
  workflowId = (await convex.mutation(ref("mutation", "workflows/definitions:create"), {
    orgId,
    definition: { name: "Notify", trigger: { kind: "manual" }, steps: [{ key: "post", name: "Post", actionId: "slack.post_message", input: { channel: "C0GENERAL", text: "{{trigger.text}}" } }] },
  })) as string;
  inbound = (await convex.action(ref("action", "webhooks/inbound/endpoints:create"), { orgId, providerId: "custom-webhook", description: "Billing" })) as typeof inbound;
  ({ key } = (await convex.action(ref("action", "apiKeys/keys:create"), {
    orgId,
    name: "Sandbox key",
    scopes: ["connections:read", "actions:read", "actions:run", "workflows:run", "events:read", "calls:read", "webhooks:read", "webhooks:write"],
  })) as { key: string });
  client = createClient<paths>({ baseUrl: sandbox.siteUrl, headers: { Authorization: `Bearer ${key}` } });
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  await simulator?.close();
});

describe("the generated client types", () => {
  test("are what openapi-typescript generates from the document now", async () => {
    expect(readFileSync(TYPES_FILE, "utf8"), "run: node --import tsx scripts/public-api-types.ts").toBe(await generatedTypes());
  });
});

describe("every route over HTTP with openapi-fetch", () => {
  const driven = new Set<string>();

  test("GET /v1/openapi.json answers the document", async () => {
    const { data, response } = await createClient<paths>({ baseUrl: sandbox.siteUrl }).GET("/v1/openapi.json");
    driven.add("getOpenApiDocument");
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ openapi: "3.1.0", info: { title: "Switchboard API" } });
  });

  test("connections", async () => {
    const list = await client.GET("/v1/connections", { params: { query: { limit: 10 } } });
    driven.add("listConnections");
    expect(list.data).toMatchObject({ data: [{ provider_id: "slack", status: "connected" }], next_cursor: null });
    expect(list.response.headers.get("RateLimit-Limit")).toBe("60");
    const one = await client.GET("/v1/connections/{providerId}", { params: { path: { providerId: "slack" } } });
    driven.add("getConnection");
    expect(one.data?.display_name).toBe("Slack");
    const missing = await client.GET("/v1/connections/{providerId}", { params: { path: { providerId: "github" } } });
    expect(missing.response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(missing.error).toMatchObject({ code: "not_found", status: 404 });
  });

  test("actions: list and run, then the run's call by its correlation id", async () => {
    const list = await client.GET("/v1/actions", { params: { query: { limit: 100 } } });
    driven.add("listActions");
    expect(list.data?.data.map((action) => action.id)).toContain("slack.post_message");
    const run = await client.POST("/v1/actions/{actionId}/run", {
      params: { path: { actionId: "slack.post_message" }, header: { "Idempotency-Key": "sandbox-1" } },
      body: { input: { channel: "C0GENERAL", text: "over HTTP" } },
    });
    driven.add("runAction");
    expect(run.response.status).toBe(200);
    expect(run.data).toMatchObject({ action_id: "slack.post_message", output: { channel: "C0GENERAL" } });
    const calls = await client.GET("/v1/calls/{correlationId}", { params: { path: { correlationId: run.data!.correlation_id } } });
    driven.add("getCalls");
    expect(calls.data?.calls).toMatchObject([{ provider_id: "slack", status: 200 }]);
  });

  test("workflows: start a run and read it until it ends", async () => {
    const started = await client.POST("/v1/workflows/{workflowId}/runs", {
      params: { path: { workflowId } },
      body: { input: { text: "shipped" } },
    });
    driven.add("startWorkflowRun");
    expect(started.response.status).toBe(201);
    let status = started.data!.status;
    for (let i = 0; i < 50 && (status === "running" || status === "queued"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const read = await client.GET("/v1/workflow-runs/{runId}", { params: { path: { runId: started.data!.id } } });
      status = read.data!.status;
    }
    driven.add("getWorkflowRun");
    expect(status).toBe("succeeded");
  });

  test("webhook endpoints: create (the secret shown once), list, read, change, rotate, delete", async () => {
    // A filter nothing in this file emits: no delivery goes out to the example address.
    const created = await client.POST("/v1/webhook-endpoints", {
      body: { url: "https://hooks.example.com/sandbox", description: "Sandbox", filter: ["connection.disconnected"] },
    });
    driven.add("createWebhookEndpoint");
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ id: expect.stringMatching(/^ep_/), enabled: true, secret: expect.stringMatching(/^whsec_/) });
    const endpointId = created.data!.id;
    const secret = created.data!.secret;

    const list = await client.GET("/v1/webhook-endpoints", { params: { query: { limit: 10 } } });
    driven.add("listWebhookEndpoints");
    expect(list.data).toMatchObject({ data: [{ id: endpointId, url: "https://hooks.example.com/sandbox" }], next_cursor: null });
    const one = await client.GET("/v1/webhook-endpoints/{endpointId}", { params: { path: { endpointId } } });
    driven.add("getWebhookEndpoint");
    expect(one.data).toMatchObject({ id: endpointId, description: "Sandbox", filter: ["connection.disconnected"] });
    for (const answer of [list, one]) expect(JSON.stringify(answer.data)).not.toContain(secret);

    const changed = await client.PATCH("/v1/webhook-endpoints/{endpointId}", { params: { path: { endpointId } }, body: { enabled: false, description: "Paused" } });
    driven.add("updateWebhookEndpoint");
    expect(changed.data).toMatchObject({ enabled: false, disabled_reason: "manual", description: "Paused" });

    const rotated = await client.POST("/v1/webhook-endpoints/{endpointId}/rotate-secret", { params: { path: { endpointId } } });
    driven.add("rotateWebhookEndpointSecret");
    expect(rotated.data?.secret).toMatch(/^whsec_/);
    expect(rotated.data?.secret).not.toBe(secret);
    expect(Date.parse(rotated.data!.previous_secret_expires_at)).toBeGreaterThan(Date.now());

    const unsafe = await client.POST("/v1/webhook-endpoints", { body: { url: "https://169.254.169.254/latest" } });
    expect(unsafe.response.status).toBe(422);
    expect(unsafe.response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(unsafe.error).toMatchObject({ code: "unsafe_url", errors: { "body.url": expect.any(String) } });

    const deleted = await client.DELETE("/v1/webhook-endpoints/{endpointId}", { params: { path: { endpointId } } });
    driven.add("deleteWebhookEndpoint");
    expect(deleted.data).toEqual({ id: endpointId, deleted: true });
    const gone = await client.GET("/v1/webhook-endpoints/{endpointId}", { params: { path: { endpointId } } });
    expect(gone.error).toMatchObject({ code: "not_found", status: 404 });
  });

  test("events: a signed delivery to the site port, listed and read back", async () => {
    const body = JSON.stringify({ type: "invoice.paid", data: { id: "in_sandbox", password: "hunter2" } });
    const at = new Date();
    const delivered = await fetch(`${sandbox.siteUrl}${new URL(inbound.url).pathname}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": "msg_sandbox",
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": new Webhook(inbound.secret).sign("msg_sandbox", at, body),
      },
      body,
    });
    expect(delivered.status).toBe(200);
    const list = await client.GET("/v1/events", { params: { query: { limit: 10, type: "webhook.invoice.paid" } } });
    driven.add("listEvents");
    expect(list.data).toMatchObject({ data: [{ delivery_id: "msg_sandbox", provider_id: "custom-webhook" }], next_cursor: null });
    const one = await client.GET("/v1/events/{eventId}", { params: { path: { eventId: list.data!.data[0]!.id } } });
    driven.add("getEvent");
    expect(one.data).toMatchObject({ payload: { data: { id: "in_sandbox", password: "[REDACTED]" } }, payload_format: "json", headers: { "webhook-signature": "[REDACTED]" } });
    expect(JSON.stringify(one.data)).not.toContain(inbound.secret);
    const wrong = await client.GET("/v1/events", { params: { query: { status: "done" as "pending" } } });
    expect(wrong.response.status).toBe(400);
    expect(wrong.error).toMatchObject({ code: "invalid_request", errors: { status: "One of pending, processed, failed, dead." } });
  });

  test("a refused key is a problem over the wire too", async () => {
    const stranger = createClient<paths>({ baseUrl: sandbox.siteUrl, headers: { Authorization: "Bearer sbk_nope" } });
    const answer = await stranger.GET("/v1/connections");
    expect(answer.response.status).toBe(401);
    expect(answer.response.headers.get("WWW-Authenticate")).toContain("invalid_token");
    expect(answer.error).toMatchObject({ code: "malformed_key" });
  });

  test("every route of the table was driven", () => {
    expect([...driven].sort()).toEqual([...OPERATION_IDS].sort());
    expect(Object.keys(ROUTES)).toHaveLength(OPERATION_IDS.length);
  });
});
