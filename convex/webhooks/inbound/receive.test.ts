/**
 * Receiving through the HTTP router, as a provider sends: a Standard Webhooks endpoint
 * (signed by the `standardwebhooks` library, not by our code), refusals that store
 * nothing and count against the endpoint, 404 for anything unknown, 413 past the cap,
 * exactly one event for 50 concurrent copies, Slack's app-level URL routed by team, and a Jira
 * dynamic-webhook endpoint verified with the deployment's OAuth client secret.
 */
import { SignJWT } from "jose";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, test, vi } from "vitest";
import { MAX_INBOUND_BODY_BYTES } from "../../../lib/inbound/store";
import { createHmac } from "node:crypto";
import { api } from "../../_generated/api";
import { createOrg, createUser, errorOf } from "../../test.helpers";
import { inboundWorld, insertConnection, post } from "./test.inbound";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  delete process.env.SLACK_SIGNING_SECRET;
});

const pathOf = (url: string) => new URL(url).pathname;

function standardSigned(secret: string, id: string, body: string, at = new Date()) {
  const signature = new Webhook(secret).sign(id, at, body);
  return { "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature };
}

describe("a Standard Webhooks endpoint", () => {
  test("a signed delivery is accepted, stored once with redacted headers and payload, and processed", async () => {
    const w = await inboundWorld();
    const { url, secret, endpointId } = await w.standardEndpoint();
    expect(secret).toMatch(/^whsec_/);
    const body = JSON.stringify({ type: "invoice.paid", data: { id: "in_1", api_key: "sk_live_hidden" } });
    const response = await post(w.t, pathOf(url), body, standardSigned(secret!, "msg_1", body));
    expect(response.status).toBe(200);
    await w.t.finishAllScheduledFunctions(() => undefined);
    const [event, ...rest] = await w.events();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: "webhook.invoice.paid", deliveryId: "msg_1", status: "processed", attempts: 1, endpointId, providerId: "custom-webhook" });
    expect(event!.headers["webhook-signature"]).toBe("[REDACTED]");
    expect(event!.payload).not.toContain("sk_live_hidden");
    expect(JSON.parse(event!.payload)).toEqual({ type: "invoice.paid", data: { id: "in_1", api_key: "[REDACTED]" } });
  });

  test.each([
    ["a tampered body", (s: string, b: string) => ({ body: b.replace("in_1", "in_2"), headers: standardSigned(s, "msg_1", b) }), "bad_signature"],
    ["the wrong secret", (_s: string, b: string) => ({ body: b, headers: standardSigned(`whsec_${Buffer.alloc(24, 9).toString("base64")}`, "msg_1", b) }), "bad_signature"],
    ["a stale timestamp", (s: string, b: string) => ({ body: b, headers: standardSigned(s, "msg_1", b, new Date(Date.now() - 10 * 60_000)) }), "stale_timestamp"],
    ["no signature", (s: string, b: string) => {
      const { "webhook-signature": _dropped, ...headers } = standardSigned(s, "msg_1", b);
      return { body: b, headers };
    }, "missing_signature"],
  ])("%s is refused with 401, stores nothing and counts against the endpoint", async (_name, make, reason) => {
    const w = await inboundWorld();
    const { url, secret, endpointId } = await w.standardEndpoint();
    const { body, headers } = make(secret!, JSON.stringify({ type: "invoice.paid", data: { id: "in_1" } }));
    const response = await post(w.t, pathOf(url), body, headers);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(secret!);
    expect(await w.events()).toEqual([]);
    expect(await w.endpoint(endpointId)).toMatchObject({ failedVerifications: 1, lastFailureReason: reason });
  });

  test("a rotated secret: both verify for a day, then only the new one; members may not rotate", async () => {
    vi.useFakeTimers({ toFake: ["Date"], shouldAdvanceTime: true });
    const w = await inboundWorld();
    const { url, secret, endpointId } = await w.standardEndpoint();
    const { secret: rotated } = await w.admin.as.action(api.webhooks.inbound.endpoints.rotateSecret, { orgId: w.orgId, endpointId });
    expect(rotated).not.toBe(secret);
    const body = (id: string) => JSON.stringify({ type: "invoice.paid", data: { id } });
    const send = (s: string, id: string) => post(w.t, pathOf(url), body(id), standardSigned(s, id, body(id)));
    expect((await send(secret!, "msg_old")).status).toBe(200);
    expect((await send(rotated, "msg_new")).status).toBe(200);
    vi.setSystemTime(Date.now() + 25 * 60 * 60_000);
    expect((await send(secret!, "msg_old_late")).status).toBe(401);
    expect((await send(rotated, "msg_new_late")).status).toBe(200);
    expect((await errorOf(w.member.as.action(api.webhooks.inbound.endpoints.rotateSecret, { orgId: w.orgId, endpointId }))).code).toBe("FORBIDDEN");
    expect(JSON.stringify(await w.endpoint(endpointId))).not.toContain(rotated);
  });

  test("unknown providers, endpoints and paths answer 404 and say nothing more", async () => {
    const w = await inboundWorld();
    const { url } = await w.standardEndpoint();
    const unknownId = "ie_" + "A".repeat(22);
    for (const path of ["/webhooks/nope", `/webhooks/custom-webhook/${unknownId}`, `/webhooks/github/${pathOf(url).split("/").at(-1)}`, "/webhooks/custom-webhook/x/y", "/webhooks/linear"]) {
      const response = await post(w.t, path, "{}");
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe("Not found");
    }
  });

  test("a body over the cap gets 413 and a counted failure", async () => {
    const w = await inboundWorld();
    const { url, endpointId } = await w.standardEndpoint();
    const response = await post(w.t, pathOf(url), new Uint8Array(MAX_INBOUND_BODY_BYTES + 1));
    expect(response.status).toBe(413);
    expect(await w.endpoint(endpointId)).toMatchObject({ failedVerifications: 1, lastFailureReason: "too_large" });
    expect(await w.events()).toEqual([]);
  });

  test("50 concurrent copies of one delivery make exactly one event", async () => {
    const w = await inboundWorld();
    const { url, secret } = await w.standardEndpoint();
    const body = JSON.stringify({ type: "invoice.paid", data: { id: "in_1" } });
    const headers = standardSigned(secret!, "msg_dup", body);
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(w.t, pathOf(url), body, headers)));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    await w.t.finishAllScheduledFunctions(() => undefined);
    const events = await w.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: "processed", attempts: 1 });
  });
});

function slackSigned(secret: string, body: string, at = Math.floor(Date.now() / 1000)) {
  const signature = "v0=" + createHmac("sha256", secret).update(`v0:${at}:${body}`).digest("hex");
  return { "x-slack-request-timestamp": String(at), "x-slack-signature": signature };
}

describe("Slack's app-level URL", () => {
  const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

  test("url_verification is answered with the challenge once the request is verified", async () => {
    process.env.SLACK_SIGNING_SECRET = SECRET;
    const w = await inboundWorld();
    const body = JSON.stringify({ token: "x", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
    const response = await post(w.t, "/webhooks/slack", body, slackSigned(SECRET, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" });
    const unsigned = await post(w.t, "/webhooks/slack", body);
    expect(unsigned.status).toBe(401);
  });

  test("tokens_revoked reaches every org that connected the workspace and turns each connection to error", async () => {
    process.env.SLACK_SIGNING_SECRET = SECRET;
    const w = await inboundWorld();
    const other = await createUser(w.t, "other@example.com");
    const otherOrg = await createOrg(w.t, "Other", [{ user: other, role: "owner" }]);
    const mine = await insertConnection(w.t, w.orgId, w.admin.userId, "slack", "T0001");
    const theirs = await insertConnection(w.t, otherOrg, other.userId, "slack", "T0001");
    const elsewhere = await insertConnection(w.t, otherOrg, other.userId, "github", "T0001");
    const body = JSON.stringify({
      token: "x",
      team_id: "T0001",
      api_app_id: "A1",
      type: "event_callback",
      event_id: "Ev01",
      event_time: 1,
      event: { type: "tokens_revoked", tokens: { bot: ["U1"] } },
    });
    const response = await post(w.t, "/webhooks/slack", body, slackSigned(SECRET, body));
    expect(response.status).toBe(200);
    await w.t.finishAllScheduledFunctions(() => undefined);
    for (const [orgId, connectionId] of [[w.orgId, mine], [otherOrg, theirs]] as const) {
      const [event] = await w.events(orgId);
      expect(event).toMatchObject({ type: "slack.tokens_revoked", connectionId, status: "processed", outcome: { connectionChanged: true } });
      const row = await w.t.run((ctx) => ctx.db.get(connectionId));
      expect(row).toMatchObject({ status: "error", statusReason: "provider_revoked", lastError: "Slack says the app's tokens were revoked." });
    }
    expect(await w.t.run((ctx) => ctx.db.get(elsewhere))).toMatchObject({ status: "connected" });
    const audit = await w.t.run((ctx) => ctx.db.query("auditEvents").withIndex("by_orgId", (q) => q.eq("orgId", w.orgId)).collect());
    expect(audit.map((a) => a.action)).toContain("integration.ended_by_provider");
  });

  test("an account nobody connected is acknowledged and dropped; no secret configured answers 404", async () => {
    process.env.SLACK_SIGNING_SECRET = SECRET;
    const w = await inboundWorld();
    const body = JSON.stringify({ team_id: "T9999", type: "event_callback", event_id: "Ev02", event: { type: "message" } });
    expect((await post(w.t, "/webhooks/slack", body, slackSigned(SECRET, body))).status).toBe(200);
    expect(await w.events()).toEqual([]);
    delete process.env.SLACK_SIGNING_SECRET;
    expect((await post(w.t, "/webhooks/slack", body, slackSigned(SECRET, body))).status).toBe(404);
  });
});

describe("a Jira dynamic-webhook endpoint (no secret of its own)", () => {
  const saved = { sim: process.env.SWITCHBOARD_PROVIDER_SIMULATOR_URL, id: process.env.JIRA_CLIENT_ID, secret: process.env.JIRA_CLIENT_SECRET };
  afterEach(() => {
    for (const [name, value] of [["SWITCHBOARD_PROVIDER_SIMULATOR_URL", saved.sim], ["JIRA_CLIENT_ID", saved.id], ["JIRA_CLIENT_SECRET", saved.secret]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  async function jiraEndpoint() {
    const w = await inboundWorld();
    const publicId = `ie_${"J".repeat(22)}`;
    await w.t.run((ctx) =>
      ctx.db.insert("inboundEndpoints", { orgId: w.orgId, publicId, providerId: "jira", scheme: "jira_dynamic", description: "Jira", state: "active", failedVerifications: 0, createdAt: Date.now() }),
    );
    return { w, path: `/webhooks/jira/${publicId}` };
  }
  const jwt = async (secret: string) =>
    `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("3m").sign(new TextEncoder().encode(secret))}`;
  const body = JSON.stringify({ webhookEvent: "jira:issue_created", issue: { key: "OPS-1" } });

  test("verified with the deployment's Jira OAuth client secret; refused, and logged, when the deployment has none", async () => {
    delete process.env.SWITCHBOARD_PROVIDER_SIMULATOR_URL;
    process.env.JIRA_CLIENT_ID = "jira-client";
    process.env.JIRA_CLIENT_SECRET = "jira-client-secret-9c1e";
    const { w, path } = await jiraEndpoint();
    expect((await post(w.t, path, body, { authorization: await jwt("jira-client-secret-9c1e"), "x-atlassian-webhook-identifier": "j-1" })).status).toBe(200);
    expect((await post(w.t, path, body, { authorization: await jwt("another-secret") })).status).toBe(401);
    const [event, ...rest] = await w.events();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: "jira.jira:issue_created", deliveryId: "j-1" });
    expect(event!.headers.authorization).toBe("Bearer [REDACTED]");

    delete process.env.JIRA_CLIENT_SECRET;
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect((await post(w.t, path, body, { authorization: await jwt("jira-client-secret-9c1e") })).status).toBe(401);
    expect(errors.mock.calls.flat().join(" ")).toMatch(/jira OAuth client is not configured/);
  });
});
