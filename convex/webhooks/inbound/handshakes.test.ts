/**
 * The handshakes through the HTTP router, and app-level routing for GitHub: Asana's
 * X-Hook-Secret (taken once, then it signs), Notion's verification token (shown to an
 * admin once), Graph's validationToken echo, Trello's HEAD check, Zoom's URL validation,
 * a GitHub App delivery signed by @octokit/webhooks-methods. After it all, no secret is
 * in any table or in the logs.
 */
import { sign } from "@octokit/webhooks-methods";
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, test, vi } from "vitest";
import { api } from "../../_generated/api";
import type { Id } from "../../_generated/dataModel";
import type { Backend } from "../../test.helpers";
import { errorOf } from "../../test.helpers";
import schema from "../../schema";
import { newEndpointPublicId } from "./endpoints";
import { inboundWorld, insertConnection, post } from "./test.inbound";

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.GITHUB_APP_WEBHOOK_SECRET;
  delete process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
  delete process.env.LINKEDIN_CLIENT_ID;
  delete process.env.LINKEDIN_CLIENT_SECRET;
});

/** An endpoint waiting for its provider's handshake, as subscriptions create them. */
async function awaitingEndpoint(t: Backend, orgId: Id<"organizations">, providerId: string, scheme: "asana" | "notion" | "microsoft_graph" | "trello") {
  const publicId = newEndpointPublicId();
  const endpointId = await t.run((ctx) =>
    ctx.db.insert("inboundEndpoints", {
      orgId,
      publicId,
      providerId,
      scheme,
      description: providerId,
      state: "awaiting_handshake",
      failedVerifications: 0,
      createdAt: Date.now(),
    }),
  );
  return { endpointId, path: `/webhooks/${providerId}/${publicId}` };
}

describe("handshakes", () => {
  test("Asana: the first X-Hook-Secret is echoed and kept sealed; it then signs deliveries; a second handshake is refused", async () => {
    const w = await inboundWorld();
    const { endpointId, path } = await awaitingEndpoint(w.t, w.orgId, "asana", "asana");
    const hookSecret = "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81";
    const shake = await post(w.t, path, "", { "x-hook-secret": hookSecret });
    expect(shake.status).toBe(200);
    expect(shake.headers.get("x-hook-secret")).toBe(hookSecret);
    const row = await w.endpoint(endpointId);
    expect(row.state).toBe("active");
    expect(JSON.stringify(row)).not.toContain(hookSecret);

    const body = JSON.stringify({ events: [{ action: "added", resource: { gid: "1", resource_type: "task" } }] });
    const signed = createHmac("sha256", hookSecret).update(body).digest("hex");
    expect((await post(w.t, path, body, { "x-hook-signature": signed })).status).toBe(200);
    expect((await w.events()).map((e) => e.type)).toEqual(["asana.task.added"]);

    expect((await post(w.t, path, "", { "x-hook-secret": "another" })).status).toBe(401);
  });

  test("Notion: the verification token is kept, shown to an admin exactly once, then signs deliveries", async () => {
    const w = await inboundWorld();
    const created = await w.admin.as.action(api.webhooks.inbound.endpoints.create, { orgId: w.orgId, providerId: "notion", description: "Docs workspace" });
    expect(created.secret).toBeNull();
    const path = new URL(created.url).pathname;
    const unverified = await post(w.t, path, JSON.stringify({ type: "page.created", id: "e1" }), { "x-notion-signature": "sha256=00" });
    expect(unverified.status).toBe(401);

    const token = "secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl";
    expect((await post(w.t, path, JSON.stringify({ verification_token: token }))).status).toBe(200);
    expect((await errorOf(w.member.as.action(api.webhooks.inbound.endpoints.revealVerificationToken, { orgId: w.orgId, endpointId: created.endpointId }))).code).toBe("FORBIDDEN");
    const shown = await w.admin.as.action(api.webhooks.inbound.endpoints.revealVerificationToken, { orgId: w.orgId, endpointId: created.endpointId });
    expect(shown.token).toBe(token);
    const again = await errorOf(w.admin.as.action(api.webhooks.inbound.endpoints.revealVerificationToken, { orgId: w.orgId, endpointId: created.endpointId }));
    expect(again).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("shown once already") });

    const body = JSON.stringify({ id: "evt_1", type: "page.created", workspace_id: "w1" });
    const signature = "sha256=" + createHmac("sha256", token).update(body).digest("hex");
    expect((await post(w.t, path, body, { "x-notion-signature": signature })).status).toBe(200);
    expect((await w.events()).map((e) => e.type)).toEqual(["notion.page.created"]);
  });

  test("Graph: validationToken is echoed as plain text; Trello: HEAD answers 200; unknown endpoints still 404", async () => {
    const w = await inboundWorld();
    const graph = await awaitingEndpoint(w.t, w.orgId, "microsoft", "microsoft_graph");
    const echoed = await w.t.fetch(`${graph.path}?validationToken=${encodeURIComponent("Validation: Testing client application reachability")}`, { method: "POST", body: "" });
    expect(echoed.status).toBe(200);
    expect(echoed.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await echoed.text()).toBe("Validation: Testing client application reachability");

    const trello = await awaitingEndpoint(w.t, w.orgId, "trello", "trello");
    expect((await w.t.fetch(trello.path, { method: "HEAD" })).status).toBe(200);
    expect((await w.t.fetch(trello.path, { method: "GET" })).status).toBe(404);
    expect((await w.t.fetch(`/webhooks/trello/${newEndpointPublicId()}`, { method: "HEAD" })).status).toBe(404);
  });

  test("Zoom: endpoint.url_validation is answered with the HMAC of the plain token once the request is verified", async () => {
    process.env.ZOOM_WEBHOOK_SECRET_TOKEN = "zoom-secret-token";
    const w = await inboundWorld();
    const body = JSON.stringify({ event: "endpoint.url_validation", payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }, event_ts: 1 });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = "v0=" + createHmac("sha256", "zoom-secret-token").update(`v0:${ts}:${body}`).digest("hex");
    const response = await post(w.t, "/webhooks/zoom", body, { "x-zm-request-timestamp": ts, "x-zm-signature": signature });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: createHmac("sha256", "zoom-secret-token").update("qgg8vlvZRS6UYooatFL8Aw").digest("hex"),
    });
  });
});

describe("LinkedIn's app-level URL", () => {
  test("GET ?challengeCode= is answered with the HMAC of the code under the app's client secret; deliveries are verified with it", async () => {
    process.env.LINKEDIN_CLIENT_ID = "li-client";
    process.env.LINKEDIN_CLIENT_SECRET = "li-client-secret";
    const w = await inboundWorld();
    const code = "890e4665-4dfe-4ab1-b689-ed553bceeed0";
    const validated = await w.t.fetch(`/webhooks/linkedin?challengeCode=${code}`, { method: "GET" });
    expect(validated.status).toBe(200);
    expect(await validated.json()).toEqual({ challengeCode: code, challengeResponse: createHmac("sha256", "li-client-secret").update(code).digest("hex") });
    expect((await w.t.fetch("/webhooks/linkedin", { method: "GET" })).status).toBe(404);

    const body = JSON.stringify({ type: "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", notifications: [{ notificationId: 7, action: "COMMENT" }] });
    const signature = createHmac("sha256", "li-client-secret").update(`hmacsha256=${body}`).digest("hex");
    expect((await post(w.t, "/webhooks/linkedin", body, { "x-li-signature": signature })).status).toBe(200);
    expect((await post(w.t, "/webhooks/linkedin", body, { "x-li-signature": "hmacsha256=00" })).status).toBe(401);
    // A payload names organizations, not the member a connection holds: nothing is stored for anyone.
    expect(await w.events()).toEqual([]);
  });

  test("without the LinkedIn OAuth client configured the URL answers 404", async () => {
    const w = await inboundWorld();
    expect((await w.t.fetch("/webhooks/linkedin?challengeCode=abc", { method: "GET" })).status).toBe(404);
  });
});

describe("a GitHub App's deliveries", () => {
  test("installation deleted, signed by @octokit/webhooks-methods, reaches the installation's connection and ends it; a redelivery is dropped", async () => {
    process.env.GITHUB_APP_WEBHOOK_SECRET = "It's a Secret to Everybody";
    const logged: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
    }
    const w = await inboundWorld();
    const connectionId = await insertConnection(w.t, w.orgId, w.admin.userId, "github", "4242");
    const body = JSON.stringify({ action: "deleted", installation: { id: 4242, account: { login: "octo" } }, sender: { login: "octo" } });
    const headers = {
      "x-github-event": "installation",
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": await sign("It's a Secret to Everybody", body),
    };
    expect((await post(w.t, "/webhooks/github", body, headers)).status).toBe(200);
    expect((await post(w.t, "/webhooks/github", body, headers)).status).toBe(200);
    await w.t.finishAllScheduledFunctions(() => undefined);
    const events = await w.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "github.installation.deleted", connectionId, status: "processed" });
    expect(await w.t.run((ctx) => ctx.db.get(connectionId))).toMatchObject({ status: "error", statusReason: "provider_uninstalled", lastError: "GitHub says the app was uninstalled." });

    const tampered = await post(w.t, "/webhooks/github", body.replace("deleted", "created"), headers);
    expect(tampered.status).toBe(401);

    // The scan: no webhook secret in any table, nor in anything logged.
    const secrets = ["It's a Secret to Everybody", headers["x-hub-signature-256"]];
    const dump = await w.t.run(async (ctx) => {
      const rows: unknown[] = [];
      for (const table of Object.keys(schema.tables)) rows.push(...(await ctx.db.query(table as never).collect()));
      return JSON.stringify(rows);
    });
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
      expect(logged.join("\n")).not.toContain(secret);
    }
  });
});
