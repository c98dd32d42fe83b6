/**
 * Webhook subscriptions registered by API, against the provider simulator: GitHub
 * repository and organization hooks, Linear webhooks, Microsoft Graph subscriptions (with
 * the real validation handshake against our URL, renewal before expiry, lifecycle
 * notifications). Each: what the provider recorded, a sealed secret only, a delivery
 * signed with that secret accepted, unsubscribe and disconnect deleting it there.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, beforeEach, describe, expect, inject, test, vi } from "vitest";
import { GITHUB_REPO_EVENTS, GOOGLE_CHANNEL_MAX_LIFETIME_MS, GRAPH_OUTLOOK_MAX_LIFETIME_MS, JIRA_WEBHOOK_LIFETIME_MS, RENEW_AT_MOST_AFTER_MS, RENEW_BEFORE_EXPIRY_MS } from "../../../lib/inbound/subscriptions";
import { api, internal } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import { worldPerTest, type World } from "../../calls/test.world";
import { errorOf, type Backend } from "../../test.helpers";
import { serveConvexSite } from "../../test.site";
import schema from "../../schema";
import { post } from "./test.inbound";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Everything the functions logged during the test, for the secret scan. */
const logged: string[] = [];
beforeEach(() => {
  logged.length = 0;
  for (const level of ["log", "info", "warn", "error"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" ")));
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

const pathOf = (url: string) => new URL(url).pathname;

// What the simulator keeps of each (tools/provider-simulator/apis/github.ts, linear.ts,
// microsoft.ts), restated: importing the simulator's modules here would pull its whole
// Node program into the Convex typecheck.
type GitHubHook = { id: number; target: string; name: string; active: boolean; events: string[]; config: { url: string; content_type: string; insecure_ssl: string; secret?: string }; created_at: string };
type LinearWebhook = { id: string; url: string; enabled: boolean; secret: string; teamId: string | null; allPublicTeams: boolean; resourceTypes: string[] };
type AsanaWebhook = { gid: string; resource: string; target: string; active: boolean; secret: string };
type CalendarChannel = { id: string; resourceId: string; calendarId: string; address: string; token: string | null; expiration: number; stopped: boolean };
type GraphSubscription = { id: string; resource: string; changeType: string; notificationUrl: string; lifecycleNotificationUrl: string | null; expirationDateTime: string; clientState: string | null; validatedUrls: string[]; renewals: number };
/** The simulator's Engineering team (tools/provider-simulator/apis/linear.ts). */
const ENGINEERING_TEAM = "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e";

/** The deployment's HTTP actions on a real port, CONVEX_SITE_URL pointed at them (Graph validates our URL over HTTP). */
async function serveSite(t: Backend): Promise<string> {
  const site = await serveConvexSite(t);
  closers.push(() => site.close());
  process.env.CONVEX_SITE_URL = site.url;
  return site.url;
}

/** A server on 127.0.0.1 that CONVEX_SITE_URL points at, closed after the test. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.CONVEX_SITE_URL = url;
  return url;
}

const endpoints = (w: World): Promise<Doc<"inboundEndpoints">[]> =>
  w.t.run((ctx) => ctx.db.query("inboundEndpoints").withIndex("by_orgId", (q) => q.eq("orgId", w.orgId)).collect());
const endpoint = async (w: World, id: Id<"inboundEndpoints">) => (await w.t.run((ctx) => ctx.db.get(id)))!;
const events = (w: World) => w.t.run((ctx) => ctx.db.query("inboundEvents").withIndex("by_orgId_and_receivedAt", (q) => q.eq("orgId", w.orgId)).collect());
const jobState = (w: World, id: Id<"_scheduled_functions"> | undefined) => w.t.run(async (ctx) => (id ? ((await ctx.db.system.get(id))?.state.kind ?? null) : null));

const subscribe = (w: World, providerId: string, resource: string) => w.admin.as.action(api.webhooks.inbound.subscriptions.subscribe, { orgId: w.orgId, providerId, resource });
const unsubscribe = (w: World, endpointId: Id<"inboundEndpoints">) => w.admin.as.action(api.webhooks.inbound.subscriptions.unsubscribe, { orgId: w.orgId, endpointId });
const disconnect = (w: World, providerId: string) => w.admin.as.action(api.integrations.connections.disconnect, { orgId: w.orgId, providerId });

/** Waits for the scheduler (real timers) until `check` holds. */
async function eventually(w: World, check: () => Promise<boolean>) {
  for (let i = 0; i < 100; i += 1) {
    await w.t.finishInProgressScheduledFunctions();
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the condition never held");
}

/** The endpoint holds a ciphertext; no table (call logs included) and nothing logged holds the secret. */
async function expectSealed(w: World, row: Doc<"inboundEndpoints">, secret: string) {
  expect(row.secret?.ciphertext).toEqual(expect.any(String));
  const dump = await w.t.run(async (ctx) => {
    const rows: unknown[] = [];
    for (const table of Object.keys(schema.tables)) rows.push(...(await ctx.db.query(table as never).collect()));
    return JSON.stringify(rows);
  });
  expect(dump).toContain(row.secret!.ciphertext);
  expect(dump).not.toContain(secret);
  expect(logged.join("\n")).not.toContain(secret);
}

describe("GitHub hooks", () => {
  const hooks = async (w: World) => ((await w.simulator.world("github")).hooks ?? []) as GitHubHook[];

  test("a repository hook: registered with our URL and secret, a signed delivery accepted, unsubscribe deletes it and the URL answers 404", async () => {
    const w = await setup(simulatorUrl, "github");
    const { endpointId, publicId, url } = await subscribe(w, "github", "octo-org/app");
    expect(url).toBe(`http://127.0.0.1:3211/webhooks/github/${publicId}`);
    const [hook, ...others] = await hooks(w);
    expect(others).toEqual([]);
    expect(hook).toMatchObject({ target: "repo:octo-org/app", name: "web", active: true, events: [...GITHUB_REPO_EVENTS], config: { url, content_type: "json", insecure_ssl: "0", secret: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const row = await endpoint(w, endpointId);
    expect(row).toMatchObject({ providerId: "github", scheme: "github", state: "active", connectionId: (await w.connection())._id, subscription: { externalId: String(hook!.id), resource: "octo-org/app" } });
    expect(row.subscription?.expiresAt).toBeUndefined();
    await expectSealed(w, row, hook!.config.secret!);
    const [sent] = await w.simulator.apiCalls({ providerId: "github", apiPath: "/repos/octo-org/app/hooks" });
    expect(sent).toMatchObject({ method: "POST" });

    const body = JSON.stringify({ action: "opened", issue: { number: 7 }, repository: { full_name: "octo-org/app" } });
    const headers = { "x-github-event": "issues", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958", "x-hub-signature-256": await sign(hook!.config.secret!, body) };
    expect((await post(w.t, pathOf(url), body, headers)).status).toBe(200);
    expect((await post(w.t, pathOf(url), body, { ...headers, "x-hub-signature-256": await sign("another secret", body) })).status).toBe(401);
    await w.t.finishInProgressScheduledFunctions();
    expect(await events(w)).toEqual([expect.objectContaining({ type: "github.issues.opened", endpointId })]);

    expect(await unsubscribe(w, endpointId)).toBeNull();
    expect(await hooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
    expect((await post(w.t, pathOf(url), body, headers)).status).toBe(404);
    const audit = (await w.audit()).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(["inbound.endpoint_created", "inbound.endpoint_removed"]));
  });

  test("an organization hook needs admin:org_hook: without it nothing is sent and no endpoint is left; with it, it is made", async () => {
    const w = await setup(simulatorUrl, "github");
    const missing = await errorOf(subscribe(w, "github", "org:octo-org"));
    expect(missing).toMatchObject({ code: "RECONNECT_REQUIRED", message: "GitHub was connected without the scope admin:org_hook; reconnect it and grant admin:org_hook." });
    expect(await w.simulator.apiCalls({ providerId: "github", apiPath: "/orgs/octo-org/hooks" })).toEqual([]);
    expect(await endpoints(w)).toEqual([]);

    await w.connect("github", ["admin:org_hook"]);
    const { url } = await subscribe(w, "github", "org:octo-org");
    expect(await hooks(w)).toEqual([expect.objectContaining({ target: "org:octo-org", config: expect.objectContaining({ url }) })]);
    expect((await errorOf(subscribe(w, "github", "org:octo-org"))).code).toBe("CONFLICT");
  });

  test("GitHub's refusals (422 Validation Failed, 404) are said in its words and leave no endpoint", async () => {
    const w = await setup(simulatorUrl, "github");
    const full: GitHubHook[] = Array.from({ length: 20 }, (_, i) => ({
      id: 1000 + i,
      target: "repo:octo-org/app",
      name: "web",
      active: true,
      events: ["push"],
      config: { url: `https://elsewhere.example/${i}`, content_type: "json", insecure_ssl: "0" },
      created_at: "2026-01-01T00:00:00Z",
    }));
    await w.simulator.patchWorld("github", { hooks: full });
    const refused = await errorOf(subscribe(w, "github", "octo-org/app"));
    expect(refused).toEqual(expect.objectContaining({ code: "INVALID_INPUT", message: expect.stringMatching(/^GitHub refused: Validation Failed: The "push" event cannot have more than 20 hooks/) }));
    const missing = await errorOf(subscribe(w, "github", "octo-org/nope"));
    expect(missing).toEqual(expect.objectContaining({ code: "INVALID_INPUT", message: "GitHub refused: Not Found" }));
    expect(await endpoints(w)).toEqual([]);
    expect((await errorOf(subscribe(w, "github", "not a repo"))).code).toBe("INVALID_INPUT");
    expect((await errorOf(subscribe(w, "slack", "x"))).code).toBe("INVALID_INPUT");
  });

  test("a delete GitHub does not answer keeps the endpoint (to try again); one GitHub no longer has counts as gone", async () => {
    const w = await setup(simulatorUrl, "github");
    const { endpointId } = await subscribe(w, "github", "octo-org/app");
    await w.simulator.failNext("github", "api", { kind: "status", status: 503 }, 3);
    const failed = await errorOf(unsubscribe(w, endpointId));
    expect(failed).toMatchObject({ code: "PROVIDER_UNAVAILABLE", message: expect.stringMatching(/^The subscription was not deleted at the provider, so it is kept: GitHub answered HTTP 503\./) });
    expect((await endpoints(w)).map((e) => e._id)).toEqual([endpointId]);
    expect(await hooks(w)).toHaveLength(1);
    await w.simulator.patchWorld("github", { hooks: [] });
    expect(await unsubscribe(w, endpointId)).toBeNull();
    expect(await endpoints(w)).toEqual([]);
  });

  test("disconnecting GitHub deletes its hooks at GitHub and their endpoints", async () => {
    const w = await setup(simulatorUrl, "github");
    const first = await subscribe(w, "github", "octo-org/app");
    await subscribe(w, "github", "octo-org/repo-001");
    expect(await hooks(w)).toHaveLength(2);
    await disconnect(w, "github");
    expect(await hooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
    expect((await post(w.t, pathOf(first.url), "{}")).status).toBe(404);
  });

  test("subscribing without a connection is NOT_CONNECTED, and a member may not subscribe", async () => {
    const w = await setup(simulatorUrl, "");
    expect((await errorOf(subscribe(w, "github", "octo-org/app"))).code).toBe("NOT_CONNECTED");
    const asMember = await errorOf(w.member.as.action(api.webhooks.inbound.subscriptions.subscribe, { orgId: w.orgId, providerId: "github", resource: "octo-org/app" }));
    expect(asMember.code).toBe("FORBIDDEN");
  });
});

describe("Linear webhooks", () => {
  const webhooks = async (w: World) => ((await w.simulator.world("linear")).webhooks ?? []) as LinearWebhook[];

  function linearSigned(secret: string, payload: Record<string, unknown>) {
    const body = JSON.stringify({ ...payload, webhookTimestamp: Date.now() });
    return { body, headers: { "linear-delivery": crypto.randomUUID(), "linear-event": "Issue", "linear-signature": createHmac("sha256", secret).update(body).digest("hex") } };
  }

  test("a team's webhook: Linear's secret stored sealed, a signed delivery accepted, unsubscribe deletes it", async () => {
    const w = await setup(simulatorUrl, "linear", { extraScopes: ["admin"] });
    const { endpointId, url } = await subscribe(w, "linear", ENGINEERING_TEAM);
    const [webhook, ...others] = await webhooks(w);
    expect(others).toEqual([]);
    expect(webhook).toMatchObject({ url, teamId: ENGINEERING_TEAM, allPublicTeams: false, enabled: true, resourceTypes: expect.arrayContaining(["Issue", "Comment"]) });
    const row = await endpoint(w, endpointId);
    expect(row).toMatchObject({ scheme: "linear", state: "active", subscription: { externalId: webhook!.id, resource: ENGINEERING_TEAM } });
    await expectSealed(w, row, webhook!.secret);

    const good = linearSigned(webhook!.secret, { action: "create", type: "Issue", organizationId: "sim-org", data: { id: "i1" } });
    expect((await post(w.t, pathOf(url), good.body, good.headers)).status).toBe(200);
    const forged = linearSigned("not linear's secret", { action: "create", type: "Issue", data: { id: "i2" } });
    expect((await post(w.t, pathOf(url), forged.body, forged.headers)).status).toBe(401);
    await w.t.finishInProgressScheduledFunctions();
    expect(await events(w)).toEqual([expect.objectContaining({ type: "linear.Issue.create" })]);

    await unsubscribe(w, endpointId);
    expect(await webhooks(w)).toEqual([]);
    expect((await post(w.t, pathOf(url), good.body, good.headers)).status).toBe(404);
  });

  test("all public teams; unsubscribing one Linear deleted already counts as gone; disconnect deletes the rest", async () => {
    const w = await setup(simulatorUrl, "linear", { extraScopes: ["admin"] });
    const all = await subscribe(w, "linear", "all");
    const team = await subscribe(w, "linear", ENGINEERING_TEAM);
    expect(await webhooks(w)).toEqual(expect.arrayContaining([expect.objectContaining({ url: all.url, allPublicTeams: true, teamId: null })]));
    // Deleted in Linear's settings meanwhile: Entity not found is gone, and the row goes.
    await w.simulator.patchWorld("linear", { webhooks: (await webhooks(w)).filter((h) => h.url !== all.url) });
    await unsubscribe(w, all.endpointId);
    expect((await endpoints(w)).map((e) => e._id)).toEqual([team.endpointId]);
    await disconnect(w, "linear");
    expect(await webhooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
  });

  test("without the admin scope nothing is sent", async () => {
    const w = await setup(simulatorUrl, "linear");
    expect(await errorOf(subscribe(w, "linear", "all"))).toMatchObject({ code: "RECONNECT_REQUIRED", message: expect.stringContaining("admin") });
    expect(await webhooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
  });
});

describe("Microsoft Graph subscriptions", () => {
  const subscriptions = async (w: World) => ((await w.simulator.world("microsoft")).graph as { subscriptions?: GraphSubscription[] } | undefined)?.subscriptions ?? [];
  const graphWorld = () => setup(simulatorUrl, "microsoft", { extraScopes: ["Mail.Read", "Calendars.ReadWrite"] });

  function notification(sub: GraphSubscription, extra: Record<string, unknown>) {
    return JSON.stringify({ value: [{ subscriptionId: sub.id, clientState: sub.clientState, tenantId: "sim-tenant", subscriptionExpirationDateTime: sub.expirationDateTime, ...extra }] });
  }

  test("Graph validates our URL while it creates the subscription; clientState sealed; a notification accepted; unsubscribe deletes it", async () => {
    const w = await graphWorld();
    await serveSite(w.t);
    const before = Date.now();
    const { endpointId, url } = await subscribe(w, "microsoft", "me/messages");
    const [sub, ...others] = await subscriptions(w);
    expect(others).toEqual([]);
    expect(sub).toMatchObject({ resource: "me/messages", changeType: "created,updated,deleted", notificationUrl: url, lifecycleNotificationUrl: url, clientState: expect.stringMatching(/^[0-9a-f]{64}$/), validatedUrls: [url, url] });
    const expiresAt = Date.parse(sub!.expirationDateTime);
    expect(expiresAt).toBeGreaterThan(before + GRAPH_OUTLOOK_MAX_LIFETIME_MS - 2 * 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + GRAPH_OUTLOOK_MAX_LIFETIME_MS);
    const row = await endpoint(w, endpointId);
    expect(row).toMatchObject({ scheme: "microsoft_graph", state: "active", subscription: { externalId: sub!.id, resource: "me/messages", expiresAt } });
    expect(await jobState(w, row.subscription!.renewJobId)).toBe("pending");
    await expectSealed(w, row, sub!.clientState!);

    const created = notification(sub!, { changeType: "created", resource: "Users/sim/Messages/AAMk1" });
    expect((await post(w.t, pathOf(url), created)).status).toBe(202);
    const forged = JSON.stringify({ value: [{ subscriptionId: sub!.id, clientState: "guessed", changeType: "created" }] });
    expect((await post(w.t, pathOf(url), forged)).status).toBe(401);
    await w.t.finishInProgressScheduledFunctions();
    const [event] = await events(w);
    expect(event).toMatchObject({ type: "microsoft.created", endpointId });
    expect(event!.payload).not.toContain(sub!.clientState!);

    await unsubscribe(w, endpointId);
    expect(await subscriptions(w)).toEqual([]);
    expect(await jobState(w, row.subscription!.renewJobId)).toBe("canceled");
    expect((await post(w.t, pathOf(url), created)).status).toBe(404);
  });

  test("a URL that fails Graph's validation makes subscribe fail in Graph's words and leaves no endpoint", async () => {
    const w = await graphWorld();
    // Answers every request 200 JSON: not the validation token echoed as text.
    const seen: string[] = [];
    await serve((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
    const failed = await errorOf(subscribe(w, "microsoft", "me/events"));
    expect(failed).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/^Microsoft refused: Subscription validation request failed\./) });
    expect(seen[0]).toMatch(/\?validationToken=Validation%3A/);
    expect(await subscriptions(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
  });

  test("renewed before it expires: the scheduled job PATCHes a later expiry and plans the next renewal", async () => {
    const w = await graphWorld();
    await serveSite(w.t);
    w.fakeClock();
    const { endpointId } = await subscribe(w, "microsoft", "me/messages");
    const first = (await endpoint(w, endpointId)).subscription!;
    const jump = first.expiresAt! - RENEW_BEFORE_EXPIRY_MS - Date.now() + 1_000;
    await w.simulator.advanceClock(jump);
    vi.advanceTimersByTime(jump);
    await w.t.finishInProgressScheduledFunctions();
    const [sub] = await subscriptions(w);
    expect(sub!.renewals).toBe(1);
    const renewed = (await endpoint(w, endpointId)).subscription!;
    expect(renewed.expiresAt).toBe(Date.parse(sub!.expirationDateTime));
    expect(renewed.expiresAt!).toBeGreaterThan(first.expiresAt! + jump - 60_000);
    expect(renewed).toMatchObject({ lastRenewedAt: expect.any(Number) });
    expect(renewed.lastError).toBeUndefined();
    expect(renewed.renewJobId).not.toBe(first.renewJobId);
    expect(await jobState(w, renewed.renewJobId)).toBe("pending");
    const [patched] = await w.simulator.apiCalls({ providerId: "microsoft", apiPath: `/v1.0/subscriptions/${sub!.id}` });
    expect(patched).toMatchObject({ method: "PATCH", body: { expirationDateTime: sub!.expirationDateTime } });
  });

  test("reauthorizationRequired renews at once; missed is recorded on the subscription", async () => {
    const w = await graphWorld();
    await serveSite(w.t);
    const { endpointId, url } = await subscribe(w, "microsoft", "me/events");
    const [sub] = await subscriptions(w);
    expect((await post(w.t, pathOf(url), notification(sub!, { lifecycleEvent: "reauthorizationRequired" }))).status).toBe(202);
    await eventually(w, async () => (await subscriptions(w))[0]!.renewals === 1);
    expect((await endpoint(w, endpointId)).subscription).toMatchObject({ lastRenewedAt: expect.any(Number) });

    expect((await post(w.t, pathOf(url), notification(sub!, { lifecycleEvent: "missed" }))).status).toBe(202);
    await eventually(w, async () => /missed/.test((await endpoint(w, endpointId)).subscription?.lastError ?? ""));
    expect((await events(w)).map((e) => e.type).sort()).toEqual(["microsoft.missed", "microsoft.reauthorizationRequired"]);
  });

  test("a renewal Graph refuses is kept as lastError and retried; a 404 means the subscription is gone", async () => {
    const w = await graphWorld();
    await serveSite(w.t);
    const { endpointId } = await subscribe(w, "microsoft", "me/messages");
    await w.simulator.failNext("microsoft", "api", { kind: "status", status: 503 });
    await w.t.action(internal.webhooks.inbound.subscriptions.renew, { endpointId });
    const failed = (await endpoint(w, endpointId)).subscription!;
    expect(failed.lastError).toBe("Microsoft answered HTTP 503.");
    expect(await jobState(w, failed.renewJobId)).toBe("pending");
    const job = await w.t.run((ctx) => ctx.db.system.get(failed.renewJobId!));
    expect(job!.scheduledTime).toBeLessThan(failed.expiresAt!);

    await w.simulator.patchWorld("microsoft", { graph: { ...(await w.simulator.world("microsoft")).graph as object, subscriptions: [] } });
    await w.t.action(internal.webhooks.inbound.subscriptions.renew, { endpointId });
    const gone = (await endpoint(w, endpointId)).subscription!;
    expect(gone).toMatchObject({ lastError: expect.stringMatching(/no longer has this subscription/) });
    expect(gone.expiresAt).toBeUndefined();
    expect(gone.renewJobId).toBeUndefined();
  });

  test("the sweep restarts a renewal whose job is gone", async () => {
    const w = await graphWorld();
    await serveSite(w.t);
    const { endpointId } = await subscribe(w, "microsoft", "me/messages");
    await w.t.run(async (ctx) => {
      const row = (await ctx.db.get(endpointId))!;
      await ctx.scheduler.cancel(row.subscription!.renewJobId!);
      await ctx.db.patch(endpointId, { subscription: { ...row.subscription!, expiresAt: Date.now() + 3_600_000 } });
    });
    expect(await w.t.mutation(internal.webhooks.inbound.subscriptions.sweepRenewals, {})).toEqual({ restarted: 1 });
    expect(await jobState(w, (await endpoint(w, endpointId)).subscription!.renewJobId)).not.toBe("canceled");
    expect(await w.t.mutation(internal.webhooks.inbound.subscriptions.sweepRenewals, {})).toEqual({ restarted: 0 });
  });

  test("disconnecting Microsoft deletes its subscriptions at Graph and cancels their renewals", async () => {
    const w = await graphWorld();
    await serveSite(w.t);
    const { endpointId } = await subscribe(w, "microsoft", "me/messages");
    const { renewJobId } = (await endpoint(w, endpointId)).subscription!;
    await disconnect(w, "microsoft");
    expect(await subscriptions(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
    expect(await jobState(w, renewJobId)).toBe("canceled");
  });
});

describe("Asana webhooks", () => {
  const webhooks = async (w: World) => ((await w.simulator.world("asana")).webhooks ?? []) as AsanaWebhook[];
  const LAUNCH = "1200000000000200";

  test("Asana's handshake against our URL gives the endpoint its secret before Asana answers; a signed delivery accepted; unsubscribe deletes it", async () => {
    const w = await setup(simulatorUrl, "asana");
    await serveSite(w.t);
    const { endpointId, url } = await subscribe(w, "asana", LAUNCH);
    const [webhook, ...others] = await webhooks(w);
    expect(others).toEqual([]);
    expect(webhook).toMatchObject({ resource: LAUNCH, target: url, active: true });
    const row = await endpoint(w, endpointId);
    expect(row).toMatchObject({ scheme: "asana", state: "active", subscription: { externalId: webhook!.gid, resource: LAUNCH } });
    await expectSealed(w, row, webhook!.secret);

    const body = JSON.stringify({ events: [{ action: "changed", resource: { gid: "1200000000000777", resource_type: "task" }, user: { gid: "1" } }] });
    const signed = { "x-hook-signature": createHmac("sha256", webhook!.secret).update(body).digest("hex") };
    expect((await post(w.t, pathOf(url), body, signed)).status).toBe(200);
    expect((await post(w.t, pathOf(url), body, { "x-hook-signature": "00".repeat(32) })).status).toBe(401);
    await w.t.finishInProgressScheduledFunctions();
    expect(await events(w)).toEqual([expect.objectContaining({ type: "asana.task.changed" })]);

    await unsubscribe(w, endpointId);
    expect(await webhooks(w)).toEqual([]);
    expect((await post(w.t, pathOf(url), body, signed)).status).toBe(404);
  });

  test("a URL that fails the handshake gets no webhook and leaves no endpoint; disconnect deletes the rest", async () => {
    const w = await setup(simulatorUrl, "asana");
    await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
    expect(await errorOf(subscribe(w, "asana", LAUNCH))).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/^Asana refused: target: The handshake/) });
    expect(await webhooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);

    await serveSite(w.t);
    await subscribe(w, "asana", LAUNCH);
    expect(await webhooks(w)).toHaveLength(1);
    await disconnect(w, "asana");
    expect(await webhooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
  });
});

describe("Google Calendar channels", () => {
  const channels = async (w: World) => ((await w.simulator.world("google-calendar")).channels ?? []) as CalendarChannel[];

  function notified(channel: CalendarChannel, number: number, token = channel.token!) {
    return { "x-goog-channel-id": channel.id, "x-goog-channel-token": token, "x-goog-resource-id": channel.resourceId, "x-goog-resource-state": "exists", "x-goog-message-number": String(number) };
  }

  test("a watch with our URL and token; a notification with the token accepted; unsubscribe stops the channel", async () => {
    const w = await setup(simulatorUrl, "google-calendar");
    const before = Date.now();
    const { endpointId, url } = await subscribe(w, "google-calendar", "primary");
    const [channel, ...others] = await channels(w);
    expect(others).toEqual([]);
    expect(channel).toMatchObject({ address: url, token: expect.stringMatching(/^[0-9a-f]{64}$/), stopped: false });
    expect(channel!.expiration).toBeGreaterThan(before + GOOGLE_CHANNEL_MAX_LIFETIME_MS - 2 * 3_600_000);
    const row = await endpoint(w, endpointId);
    expect(row).toMatchObject({ scheme: "google_calendar", state: "active", subscription: { externalId: `${channel!.id}:${channel!.resourceId}`, resource: "primary", expiresAt: channel!.expiration } });
    expect(await jobState(w, row.subscription!.renewJobId)).toBe("pending");
    await expectSealed(w, row, channel!.token!);

    expect((await post(w.t, pathOf(url), "", notified(channel!, 2))).status).toBe(200);
    expect((await post(w.t, pathOf(url), "", notified(channel!, 3, "guessed"))).status).toBe(401);
    await w.t.finishInProgressScheduledFunctions();
    expect(await events(w)).toEqual([expect.objectContaining({ type: "google_calendar.exists" })]);

    await unsubscribe(w, endpointId);
    expect((await channels(w))[0]).toMatchObject({ stopped: true });
    expect(await jobState(w, row.subscription!.renewJobId)).toBe("canceled");
  });

  test("renewed before expiry by a new channel with the same URL and token, the old one stopped; disconnect stops the new one", async () => {
    const w = await setup(simulatorUrl, "google-calendar");
    w.fakeClock();
    const { endpointId, url } = await subscribe(w, "google-calendar", "team@group.calendar.google.com");
    const first = (await endpoint(w, endpointId)).subscription!;
    const jump = first.expiresAt! - RENEW_BEFORE_EXPIRY_MS - Date.now() + 1_000;
    await w.simulator.advanceClock(jump);
    vi.advanceTimersByTime(jump);
    await w.t.finishInProgressScheduledFunctions();
    const [old, renewed, ...more] = await channels(w);
    expect(more).toEqual([]);
    expect(old).toMatchObject({ stopped: true });
    expect(renewed).toMatchObject({ stopped: false, address: url, token: old!.token, calendarId: "team@group.calendar.google.com" });
    expect(renewed!.id).not.toBe(old!.id);
    const now = (await endpoint(w, endpointId)).subscription!;
    expect(now).toMatchObject({ externalId: `${renewed!.id}:${renewed!.resourceId}`, expiresAt: renewed!.expiration, lastRenewedAt: expect.any(Number) });
    expect(now.expiresAt!).toBeGreaterThan(first.expiresAt!);
    expect((await post(w.t, pathOf(url), "", notified(renewed!, 1))).status).toBe(200);

    await disconnect(w, "google-calendar");
    expect((await channels(w)).every((c) => c.stopped)).toBe(true);
    expect(await endpoints(w)).toEqual([]);
  });
});

describe("Trello webhooks", () => {
  type TrelloWebhook = { id: string; idModel: string; callbackURL: string; description: string; active: boolean };
  const webhooks = async (w: World) => ((await w.simulator.world("trello")).webhooks ?? []) as TrelloWebhook[];
  /** The simulator's "Big board" (tools/provider-simulator/apis/trello.ts). */
  const BIG_BOARD = "b0a4d0000000000000000001";
  const SECRET = "sim-trello-power-up-secret";

  async function connectedTrello(values: Record<string, string> = { webhookSecret: SECRET }) {
    const w = await setup(simulatorUrl, "");
    const [keys] = await w.simulator.apiKeyCredentials("trello");
    await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "trello", values: { ...keys!, ...values } });
    return w;
  }

  /** X-Trello-Webhook: base64 HMAC-SHA1(secret, body + the callback URL as registered). */
  const trelloSigned = (secret: string, body: string, callbackURL: string) => ({ "x-trello-webhook": createHmac("sha1", secret).update(body + callbackURL).digest("base64") });

  test("Trello's HEAD check of our URL passes; the connection's secret sealed on the endpoint; a signed delivery accepted; unsubscribe and disconnect delete", async () => {
    const w = await connectedTrello();
    await serveSite(w.t);
    const { endpointId, url } = await subscribe(w, "trello", BIG_BOARD);
    const [webhook, ...others] = await webhooks(w);
    expect(others).toEqual([]);
    expect(webhook).toMatchObject({ idModel: BIG_BOARD, callbackURL: url, active: true });
    const row = await endpoint(w, endpointId);
    expect(row).toMatchObject({ scheme: "trello", state: "active", subscription: { externalId: webhook!.id, resource: BIG_BOARD } });
    await expectSealed(w, row, SECRET);

    const body = JSON.stringify({ action: { id: "5f0000000000000000000001", type: "createCard", data: {} }, model: { id: BIG_BOARD } });
    expect((await post(w.t, pathOf(url), body, trelloSigned(SECRET, body, url))).status).toBe(200);
    expect((await post(w.t, pathOf(url), body, trelloSigned("another secret", body, url))).status).toBe(401);
    expect((await post(w.t, pathOf(url), body, trelloSigned(SECRET, body, `https://elsewhere.example${pathOf(url)}`))).status).toBe(401);
    await w.t.finishInProgressScheduledFunctions();
    expect(await events(w)).toEqual([expect.objectContaining({ type: "trello.createCard" })]);

    await unsubscribe(w, endpointId);
    expect(await webhooks(w)).toEqual([]);
    await subscribe(w, "trello", BIG_BOARD);
    await disconnect(w, "trello");
    expect(await webhooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
  });

  test("without the Power-Up's secret nothing is sent; a callback failing Trello's HEAD check leaves no endpoint", async () => {
    const bare = await connectedTrello({ webhookSecret: "" });
    expect(await errorOf(subscribe(bare, "trello", BIG_BOARD))).toMatchObject({ code: "RECONNECT_REQUIRED", message: expect.stringContaining("Secret (for webhooks)") });
    expect(await bare.simulator.apiCalls({ providerId: "trello", apiPath: "/1/webhooks" })).toEqual([]);
    expect(await endpoints(bare)).toEqual([]);
    await bare.stop();

    const w = await connectedTrello();
    await serve((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    expect(await errorOf(subscribe(w, "trello", BIG_BOARD))).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/^Trello refused: URL \(.*\) did not return 200 status code/) });
    expect(await webhooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
  });
});

describe("Jira dynamic webhooks", () => {
  type JiraWebhook = { id: number; url: string; events: string[]; jqlFilter: string; expirationDate: number };
  const webhooks = async (w: World) => ((await w.simulator.world("jira")).webhooks ?? []) as JiraWebhook[];
  /** The simulated site's REST base below the API base: the cloud id is the account's (tools/provider-simulator/apis/jira.ts). */
  const SITE = "/ex/jira/sim-jira-account/rest/api/3";
  /** The simulator's test client for Jira: what signs a dynamic webhook's JWT while it plays the providers. */
  const CLIENT_SECRET = "sim-jira-secret";
  const jiraWorld = () => setup(simulatorUrl, "jira", { extraScopes: ["manage:jira-webhook"] });

  test("registered with our URL and the JQL; a delivery the simulator signs is accepted, tampered ones refused; unsubscribe deletes it and the URL answers 404", async () => {
    const w = await jiraWorld();
    await serveSite(w.t);
    const before = Date.now();
    const { endpointId, url } = await subscribe(w, "jira", "project = OPS AND issuetype IN (Task, Bug)");
    const [webhook, ...others] = await webhooks(w);
    expect(others).toEqual([]);
    expect(webhook).toMatchObject({ url, jqlFilter: "project = OPS AND issuetype IN (Task, Bug)", events: ["jira:issue_created", "jira:issue_updated", "jira:issue_deleted", "comment_created"] });
    const row = await endpoint(w, endpointId);
    expect(row).toMatchObject({ providerId: "jira", scheme: "jira_dynamic", state: "active", subscription: { externalId: String(webhook!.id), resource: "project = OPS AND issuetype IN (Task, Bug)" } });
    // No secret of its own: the OAuth app's client secret signs, from the deployment.
    expect(row.secret).toBeUndefined();
    expect(row.subscription!.expiresAt!).toBeGreaterThanOrEqual(before + JIRA_WEBHOOK_LIFETIME_MS);
    expect(row.subscription!.expiresAt!).toBeLessThanOrEqual(webhook!.expirationDate);
    expect(await jobState(w, row.subscription!.renewJobId)).toBe("pending");

    const sent = await w.simulator.sendWebhook({ providerId: "jira_dynamic", url, secret: CLIENT_SECRET, event: "jira:issue_created" });
    expect(sent.status, sent.body).toBe(200);
    for (const tamper of ["secret", "stale_timestamp", "missing_signature"] as const) {
      expect((await w.simulator.sendWebhook({ providerId: "jira_dynamic", url, secret: CLIENT_SECRET, event: "jira:issue_updated", tamper })).status, tamper).toBe(401);
    }
    await w.t.finishInProgressScheduledFunctions();
    const [event, ...more] = await events(w);
    expect(more).toEqual([]);
    expect(event).toMatchObject({ type: "jira.jira:issue_created", endpointId, deliveryId: sent.deliveryId });
    expect(JSON.stringify(event!.headers)).not.toMatch(/Bearer ey/);
    expect(logged.join("\n")).not.toContain(CLIENT_SECRET);

    expect(await unsubscribe(w, endpointId)).toBeNull();
    expect(await webhooks(w)).toEqual([]);
    const [deleted] = await w.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/webhook` }).then((calls) => calls.filter((c) => c.method === "DELETE"));
    expect(deleted).toMatchObject({ body: { webhookIds: [webhook!.id] } });
    expect(await jobState(w, row.subscription!.renewJobId)).toBe("canceled");
    expect((await w.simulator.sendWebhook({ providerId: "jira_dynamic", url, secret: CLIENT_SECRET, event: "jira:issue_created" })).status).toBe(404);
  });

  test("refreshed 20 days into its 30: the job PUTs /webhook/refresh and takes Jira's new expiry", async () => {
    const w = await jiraWorld();
    w.fakeClock();
    const { endpointId } = await subscribe(w, "jira", "project = OPS");
    const first = (await endpoint(w, endpointId)).subscription!;
    expect(await w.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/webhook/refresh` })).toEqual([]);
    const jump = RENEW_AT_MOST_AFTER_MS + 1_000;
    await w.simulator.advanceClock(jump);
    vi.advanceTimersByTime(jump);
    await w.t.finishInProgressScheduledFunctions();
    const [webhook] = await webhooks(w);
    const renewed = (await endpoint(w, endpointId)).subscription!;
    expect(renewed.lastError).toBeUndefined();
    expect(renewed.expiresAt).toBe(webhook!.expirationDate);
    expect(renewed.expiresAt!).toBeGreaterThan(first.expiresAt! + jump - 60_000);
    expect(renewed.renewJobId).not.toBe(first.renewJobId);
    expect(await jobState(w, renewed.renewJobId)).toBe("pending");
    const [refreshed] = await w.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/webhook/refresh` });
    expect(refreshed).toMatchObject({ method: "PUT", body: { webhookIds: [webhook!.id] } });
  });

  test("a JQL outside what dynamic webhooks take is refused before anything is sent, one Jira refuses in its words; without manage:jira-webhook nothing is sent", async () => {
    const w = await jiraWorld();
    expect(await errorOf(subscribe(w, "jira", "summary ~ outage"))).toMatchObject({ code: "INVALID_INPUT", field: "resource" });
    expect(await w.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/webhook` })).toEqual([]);
    expect(await errorOf(subscribe(w, "jira", "project = NOPE"))).toMatchObject({ code: "INVALID_INPUT", message: "Jira refused: The value 'NOPE' does not exist for the field 'project'." });
    expect(await endpoints(w)).toEqual([]);
    await w.stop();

    const plain = await setup(simulatorUrl, "jira");
    expect(await errorOf(subscribe(plain, "jira", "project = OPS"))).toMatchObject({ code: "RECONNECT_REQUIRED", message: expect.stringContaining("manage:jira-webhook") });
    expect(await plain.simulator.apiCalls({ providerId: "jira", apiPath: `${SITE}/webhook` })).toEqual([]);
    expect(await endpoints(plain)).toEqual([]);
  });

  test("disconnecting Jira deletes its webhooks there and their endpoints", async () => {
    const w = await jiraWorld();
    await subscribe(w, "jira", "project = OPS");
    await subscribe(w, "jira", "assignee = sim-jira-user");
    expect(await webhooks(w)).toHaveLength(2);
    await disconnect(w, "jira");
    expect(await webhooks(w)).toEqual([]);
    expect(await endpoints(w)).toEqual([]);
  });
});
