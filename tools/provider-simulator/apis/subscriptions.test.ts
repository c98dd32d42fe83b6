/**
 * The webhook-registration APIs the simulator plays, driven directly (no app): GitHub's
 * hook scopes, Linear's admin scope, Graph's maximum expiry and its validation of the
 * notification URL (an echo, a redirect, a wrong answer), Asana's handshake, Jira's dynamic webhooks. (Trello's
 * HEAD check is exercised through the app in convex/webhooks/inbound/subscriptions.test.ts.)
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "../server";
import { callApi, connect } from "../testing";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A receiver on 127.0.0.1 answering as `handler` says; its requests are recorded. */
async function receiver(handler: RequestListener): Promise<{ url: string; seen: Array<{ method: string; url: string; headers: Record<string, unknown> }> }> {
  const seen: Array<{ method: string; url: string; headers: Record<string, unknown> }> = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, seen };
}

const echoGraphToken: RequestListener = (req, res) => {
  const token = new URL(req.url ?? "/", "http://x").searchParams.get("validationToken") ?? "";
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(token);
};

describe("GitHub hooks", () => {
  it("need repo or admin:repo_hook for a repository, admin:org_hook for the organization, else 404; the secret is never answered back", async () => {
    const github = await connect(sim.url, "github", { scopes: ["read:user", "repo"] });
    const hook = { name: "web", events: ["push"], config: { url: "https://example.com/h", content_type: "json", secret: "s3cret" } };
    const made = await callApi(github.provider, "POST", "/repos/octo-org/app/hooks", github.accessToken, { body: hook });
    expect(made.status).toBe(201);
    const body = (await made.json()) as { id: number; config: Record<string, unknown>; type: string };
    expect(body).toMatchObject({ type: "Repository", config: { url: "https://example.com/h", secret: "********" } });
    expect(sim.control.world("github").hooks).toEqual([expect.objectContaining({ id: body.id, config: expect.objectContaining({ secret: "s3cret" }) })]);
    expect((await callApi(github.provider, "POST", "/orgs/octo-org/hooks", github.accessToken, { body: hook })).status).toBe(404);
    expect((await callApi(github.provider, "POST", "/repos/octo-org/app/hooks", github.accessToken, { body: { ...hook, events: ["nope"] } })).status).toBe(422);
    expect((await callApi(github.provider, "POST", "/repos/octo-org/app/hooks", github.accessToken, { body: { name: "web", config: {} } })).status).toBe(422);
    expect((await callApi(github.provider, "DELETE", `/repos/octo-org/app/hooks/${body.id}`, github.accessToken)).status).toBe(204);
    expect((await callApi(github.provider, "DELETE", `/repos/octo-org/app/hooks/${body.id}`, github.accessToken)).status).toBe(404);

    const orgAdmin = await connect(sim.url, "github", { scopes: ["read:user", "repo", "admin:org_hook"] });
    expect((await callApi(orgAdmin.provider, "POST", "/orgs/octo-org/hooks", orgAdmin.accessToken, { body: hook })).status).toBe(201);
  });
});

describe("Linear webhooks", () => {
  const create = "mutation W($input: WebhookCreateInput!) { webhookCreate(input: $input) { success webhook { id secret } } }";

  it("need the admin scope; Linear makes the secret", async () => {
    const plain = await connect(sim.url, "linear", { scopes: ["read", "write"] });
    const input = { url: "https://example.com/l", resourceTypes: ["Issue"], allPublicTeams: true };
    const refused = await callApi(plain.provider, "POST", "/graphql", plain.accessToken, { body: { query: create, variables: { input } } });
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: "FORBIDDEN" } }] });
    const admin = await connect(sim.url, "linear", { scopes: ["read", "write", "admin"] });
    const made = (await (await callApi(admin.provider, "POST", "/graphql", admin.accessToken, { body: { query: create, variables: { input } } })).json()) as { data: { webhookCreate: { webhook: { id: string; secret: string } } } };
    expect(made.data.webhookCreate.webhook.secret).toMatch(/^lin_wh_/);
    const both = await callApi(admin.provider, "POST", "/graphql", admin.accessToken, { body: { query: create, variables: { input: { ...input, teamId: "4b0c3f5e-8f1a-4c2b-9d3e-5f6a7b8c9d0e" } } } });
    expect(await both.json()).toMatchObject({ errors: [{ extensions: { code: "INVALID_INPUT" } }] });
  });
});

describe("Graph subscriptions", () => {
  const subscription = (notificationUrl: string, minutes: number) => ({
    changeType: "created",
    notificationUrl,
    resource: "me/messages",
    expirationDateTime: new Date(Date.now() + minutes * 60_000).toISOString(),
    clientState: "cs",
  });

  it("validate the notification URL before answering: an echo passes, a redirect or a wrong answer is refused, nothing made", async () => {
    const graph = await connect(sim.url, "microsoft", { scopes: ["offline_access", "User.Read", "Mail.Read"] });
    const good = await receiver(echoGraphToken);
    const made = await callApi(graph.provider, "POST", "/v1.0/subscriptions", graph.accessToken, { body: subscription(good.url, 60) });
    expect(made.status).toBe(201);
    expect(good.seen[0]).toMatchObject({ method: "POST" });
    expect(good.seen[0]!.url).toMatch(/^\/hook\?validationToken=Validation%3A\+Testing/);

    const moved = await receiver((_req, res) => {
      res.writeHead(307, { location: good.url });
      res.end();
    });
    const redirected = await callApi(graph.provider, "POST", "/v1.0/subscriptions", graph.accessToken, { body: subscription(moved.url, 60) });
    expect(redirected.status).toBe(400);
    expect(await redirected.json()).toMatchObject({ error: { code: "ValidationError", message: expect.stringMatching(/^Subscription validation request failed\./) } });
    expect(good.seen).toHaveLength(1);

    const wrong = await receiver((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("not the token");
    });
    const mismatched = await callApi(graph.provider, "POST", "/v1.0/subscriptions", graph.accessToken, { body: subscription(wrong.url, 60) });
    expect(await mismatched.json()).toMatchObject({ error: { message: "Subscription validation request failed. Response must exactly match validationToken query parameter." } });
    expect((sim.control.world("microsoft").graph as { subscriptions: unknown[] }).subscriptions).toHaveLength(1);
  });

  it("refuse an expiry past 10,080 minutes, when created and when renewed; need the resource's read permission", async () => {
    const graph = await connect(sim.url, "microsoft", { scopes: ["offline_access", "User.Read", "Mail.Read"] });
    const site = await receiver(echoGraphToken);
    const tooLong = await callApi(graph.provider, "POST", "/v1.0/subscriptions", graph.accessToken, { body: subscription(site.url, 10_081) });
    expect(await tooLong.json()).toMatchObject({ error: { message: "Subscription expiration can only be 10080 minutes in the future." } });
    const made = (await (await callApi(graph.provider, "POST", "/v1.0/subscriptions", graph.accessToken, { body: subscription(site.url, 10_000) })).json()) as { id: string };
    const renewTooFar = await callApi(graph.provider, "PATCH", `/v1.0/subscriptions/${made.id}`, graph.accessToken, { body: { expirationDateTime: new Date(Date.now() + 10_100 * 60_000).toISOString() } });
    expect(renewTooFar.status).toBe(400);
    const renewed = await callApi(graph.provider, "PATCH", `/v1.0/subscriptions/${made.id}`, graph.accessToken, { body: { expirationDateTime: new Date(Date.now() + 10_070 * 60_000).toISOString() } });
    expect(renewed.status).toBe(200);
    expect((await callApi(graph.provider, "DELETE", `/v1.0/subscriptions/${made.id}`, graph.accessToken)).status).toBe(204);
    expect((await callApi(graph.provider, "PATCH", `/v1.0/subscriptions/${made.id}`, graph.accessToken, { body: { expirationDateTime: new Date().toISOString() } })).status).toBe(404);
    const events = await callApi(graph.provider, "POST", "/v1.0/subscriptions", graph.accessToken, { body: { ...subscription(site.url, 60), resource: "me/events" } });
    expect(events.status).toBe(403);
  });
});

describe("Asana checks the URL first", () => {
  it("Asana keeps the secret its handshake gave; a target that does not echo it gets no webhook", async () => {
    const asana = await connect(sim.url, "asana");
    const echo = await receiver((req, res) => {
      res.writeHead(200, { "x-hook-secret": String(req.headers["x-hook-secret"] ?? "") });
      res.end();
    });
    const made = await callApi(asana.provider, "POST", "/webhooks", asana.accessToken, { body: { data: { resource: "1200000000000200", target: echo.url } } });
    expect(made.status).toBe(201);
    const secret = echo.seen[0]!.headers["x-hook-secret"];
    expect(sim.control.world("asana").webhooks).toEqual([expect.objectContaining({ target: echo.url, secret })]);
    const silent = await receiver((_req, res) => {
      res.writeHead(200);
      res.end();
    });
    expect((await callApi(asana.provider, "POST", "/webhooks", asana.accessToken, { body: { data: { resource: "1200000000000200", target: silent.url } } })).status).toBe(400);
    expect(sim.control.world("asana").webhooks).toHaveLength(1);
  });
});

describe("Jira dynamic webhooks", () => {
  const SITE = "/ex/jira/sim-jira-account/rest/api/3";
  const register = (jqlFilter: string) => ({ url: "https://example.com/j", webhooks: [{ events: ["jira:issue_created", "comment_created"], jqlFilter }] });

  it("need manage:jira-webhook and read:jira-work; a bad JQL is refused in the 200; refresh gives 30 days; delete answers 202", async () => {
    const plain = await connect(sim.url, "jira", { scopes: ["read:jira-work", "write:jira-work"] });
    const noScope = await callApi(plain.provider, "POST", `${SITE}/webhook`, plain.accessToken, { body: register("project = OPS") });
    expect(noScope.status).toBe(401);
    expect(await noScope.json()).toEqual({ code: 401, message: "Unauthorized; scope does not match" });

    const app = await connect(sim.url, "jira", { scopes: ["read:jira-work", "manage:jira-webhook"] });
    const made = await callApi(app.provider, "POST", `${SITE}/webhook`, app.accessToken, { body: register("project = OPS") });
    expect(made.status).toBe(200);
    const { webhookRegistrationResult } = (await made.json()) as { webhookRegistrationResult: Array<{ createdWebhookId: number }> };
    const id = webhookRegistrationResult[0]!.createdWebhookId;
    expect(id).toEqual(expect.any(Number));
    const [stored] = sim.control.world("jira").webhooks as Array<{ id: number; url: string; jqlFilter: string; expirationDate: number }>;
    expect(stored).toMatchObject({ id, url: "https://example.com/j", jqlFilter: "project = OPS" });
    expect(stored!.expirationDate - sim.control.now()).toBeGreaterThan(30 * 86_400_000 - 60_000);

    for (const [jql, said] of [
      ["watchCount = 1", "The clause watchCount is unsupported"],
      ["project = NOPE", "The value 'NOPE' does not exist for the field 'project'."],
    ]) {
      const refused = await callApi(app.provider, "POST", `${SITE}/webhook`, app.accessToken, { body: register(jql!) });
      expect(refused.status).toBe(200);
      expect(await refused.json()).toEqual({ webhookRegistrationResult: [{ errors: [said] }] });
    }

    sim.control.advanceClock(20 * 86_400_000);
    // The access token lived an hour: a new one, from a new grant.
    const later = await connect(sim.url, "jira", { scopes: ["read:jira-work", "manage:jira-webhook"] });
    const refreshed = await callApi(later.provider, "PUT", `${SITE}/webhook/refresh`, later.accessToken, { body: { webhookIds: [id, 999_999] } });
    const { expirationDate } = (await refreshed.json()) as { expirationDate: number };
    expect(expirationDate - sim.control.now()).toBeGreaterThan(30 * 86_400_000 - 60_000);
    expect((sim.control.world("jira").webhooks as Array<{ expirationDate: number }>)[0]!.expirationDate).toBe(expirationDate);

    expect((await callApi(later.provider, "DELETE", `${SITE}/webhook`, later.accessToken, { body: { webhookIds: [id] } })).status).toBe(202);
    expect(sim.control.world("jira").webhooks).toEqual([]);
    // Ids that are not there are ignored, as Jira documents.
    expect((await callApi(later.provider, "DELETE", `${SITE}/webhook`, later.accessToken, { body: { webhookIds: [id] } })).status).toBe(202);
  });
});
