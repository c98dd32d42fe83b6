import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getProviderOrThrow, resolveEndpoints } from "../../lib/providers/index";
import { startSimulator, type RunningSimulator } from "./server";
import { DEFAULT_BASIC_USER } from "./state";
import { callApi, callTest, connect } from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

describe("API calls with an access token", () => {
  it("echo: any other path under the API base returns method, path, query, body and header names", async () => {
    const { provider, accessToken } = await connect(sim.url, "github");
    const response = await callApi(provider, "POST", "/repos/acme/app/issues?labels=bug", accessToken, {
      body: { title: "Broken" },
      headers: { "x-correlation-id": "c-1" },
    });
    expect(response.status).toBe(200);
    const echo = await response.json();
    expect(echo).toMatchObject({
      provider: "github",
      method: "POST",
      path: "/github/repos/acme/app/issues",
      apiPath: "/repos/acme/app/issues",
      query: { labels: "bug" },
      body: { title: "Broken" },
    });
    expect(echo.headerNames).toEqual(
      expect.arrayContaining(["authorization", "x-correlation-id", "x-github-api-version"]),
    );
    expect(JSON.stringify(echo)).not.toContain(accessToken);
  });

  it("answers 401 without a token, with a token of another provider, and with a refresh token", async () => {
    const zoom = await connect(sim.url, "zoom");
    const jira = await connect(sim.url, "jira");
    const noToken = await fetch(`${sim.url}/zoom/v2/users/me`);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await callTest(zoom.provider, jira.accessToken)).status).toBe(401);
    expect((await callTest(zoom.provider, zoom.refreshToken!)).status).toBe(401);
  });

  it("Slack's Web API refuses a bad token with HTTP 200 and ok:false", async () => {
    const { provider } = await connect(sim.url, "slack");
    const response = await callTest(provider, "xoxb-made-up");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: false, error: "invalid_auth" });
  });

  it("requires the catalog's default headers: Notion-Version", async () => {
    const { provider, accessToken } = await connect(sim.url, "notion");
    const withHeader = await callTest(provider, accessToken);
    expect(withHeader.status).toBe(200);
    const { "Notion-Version": _dropped, ...rest } = provider.defaultHeaders;
    const without = await callTest({ ...provider, defaultHeaders: rest }, accessToken);
    expect(without.status).toBe(400);
    expect(await without.json()).toMatchObject({ error: "missing_header", header: "Notion-Version" });
  });

  it("requires Reddit's User-Agent exactly", async () => {
    const { provider, accessToken } = await connect(sim.url, "reddit");
    const generic = await callTest({ ...provider, defaultHeaders: { "User-Agent": "node" } }, accessToken);
    expect(generic.status).toBe(400);
    expect((await callTest(provider, accessToken)).status).toBe(200);
  });

  it("Jira: accessible-resources lists the site, whose REST API answers under /ex/jira/<cloudId>", async () => {
    const { provider, accessToken } = await connect(sim.url, "jira");
    const sites = await (await callTest(provider, accessToken)).json();
    expect(sites).toEqual([expect.objectContaining({ id: "sim-jira-account", url: expect.any(String) })]);
    const issue = await callApi(provider, "GET", `/ex/jira/${sites[0].id}/rest/api/3/myself`, accessToken);
    expect(await issue.json()).toMatchObject({ apiPath: "/ex/jira/sim-jira-account/rest/api/3/myself" });
  });

  it("an account set through the control API is what the test endpoint reports", async () => {
    sim.control.setAccount("linear", { id: "org-42", name: "Acme" });
    const { provider, accessToken } = await connect(sim.url, "linear");
    const body = await (await callTest(provider, accessToken)).json();
    expect(body.data.organization).toEqual({ id: "org-42", name: "Acme" });
  });
});

describe("WordPress (Basic auth with application passwords)", () => {
  const wordpress = getProviderOrThrow("wordpress");

  it("answers users/me for a configured user, spaces in the password or not", async () => {
    const siteUrl = sim.control.siteUrl("wordpress");
    for (const password of [DEFAULT_BASIC_USER.password, DEFAULT_BASIC_USER.password.replace(/ /g, "")]) {
      const response = await callTest(
        wordpress,
        { username: DEFAULT_BASIC_USER.username, applicationPassword: password },
        {
          credentials: { siteUrl },
        },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: 1001, name: DEFAULT_BASIC_USER.username });
    }
  });

  it("accepts users added through the control API", async () => {
    sim.control.addWordPressUser("writer", "abcd efgh ijkl mnop qrst uvwx");
    const response = await callTest(
      wordpress,
      { username: "writer", applicationPassword: "abcdefghijklmnopqrstuvwx" },
      { credentials: { siteUrl: sim.control.siteUrl("wordpress") } },
    );
    expect(response.status).toBe(200);
  });

  it("refuses a wrong password, an unknown user and no credentials with WordPress's error codes", async () => {
    const siteUrl = sim.control.siteUrl("wordpress");
    const wrong = await callTest(
      wordpress,
      { username: DEFAULT_BASIC_USER.username, applicationPassword: "nope" },
      {
        credentials: { siteUrl },
      },
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: "incorrect_password" });
    const unknown = await callTest(
      wordpress,
      { username: "ghost", applicationPassword: "x" },
      { credentials: { siteUrl } },
    );
    expect(await unknown.json()).toMatchObject({ code: "invalid_username" });
    const none = await fetch(`${siteUrl}/wp-json/wp/v2/users/me?context=edit`);
    expect(none.status).toBe(401);
  });

  it("serves the rest of wp-json as an echo for the call pipeline", async () => {
    const response = await callApi(
      wordpress,
      "POST",
      "/wp/v2/pages",
      { username: DEFAULT_BASIC_USER.username, applicationPassword: DEFAULT_BASIC_USER.password },
      { credentials: { siteUrl: sim.control.siteUrl("wordpress") }, body: { title: "Hello" } },
    );
    // Posts and categories are played by apis/wordpress.ts; the rest echoes.
    expect(await response.json()).toMatchObject({ method: "POST", apiPath: "/wp/v2/pages", body: { title: "Hello" } });
  });
});

describe("Trello (key and token in the query)", () => {
  const trello = resolveEndpoints(getProviderOrThrow("trello"), { simulatorBaseUrl: "" });

  it("answers /1/members/me for the default key and token", async () => {
    const provider = resolveEndpoints(trello, { simulatorBaseUrl: sim.url });
    const [credentials] = sim.control.apiKeyCredentials("trello");
    const response = await callTest(provider, credentials!);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: "sim-trello-account", username: expect.any(String) });
  });

  it("answers 401 in plain text for a wrong token", async () => {
    const provider = resolveEndpoints(trello, { simulatorBaseUrl: sim.url });
    const response = await callTest(provider, { apiKey: "sim-trello-apiKey", token: "wrong" });
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("invalid token");
  });

  it("accepts credentials added through the control API", async () => {
    sim.control.addApiKeyCredentials("trello", { apiKey: "k2", token: "t2" });
    const provider = resolveEndpoints(trello, { simulatorBaseUrl: sim.url });
    expect((await callTest(provider, { apiKey: "k2", token: "t2" })).status).toBe(200);
  });
});

describe("incoming webhooks", () => {
  it("Pumble: records a JSON delivery posted to a webhook URL", async () => {
    const url = sim.control.webhookUrl("pumble");
    const pumble = resolveEndpoints(getProviderOrThrow("pumble"), { simulatorBaseUrl: sim.url });
    expect(pumble.authKind === "webhook_url" && url.startsWith(pumble.webhook.allowedUrlPrefixes![0]!)).toBe(true);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "Deployed" }),
    });
    expect(response.status).toBe(200);
    expect(sim.control.webhookDeliveries({ providerId: "pumble" })).toEqual([
      expect.objectContaining({ method: "POST", body: { text: "Deployed" }, contentType: "application/json" }),
    ]);
  });

  it("custom webhook: records the method and the auth header the sender chose", async () => {
    const url = sim.control.webhookUrl("custom-webhook");
    await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-api-key": "k-123" },
      body: JSON.stringify({ type: "switchboard.test" }),
    });
    const [delivery] = sim.control.webhookDeliveries({ providerId: "custom-webhook" });
    expect(delivery).toMatchObject({ method: "PUT", headers: expect.objectContaining({ "x-api-key": "k-123" }) });
  });

  it("refuses GET on a webhook URL and paths outside the webhook prefix", async () => {
    expect((await fetch(sim.control.webhookUrl("pumble"))).status).toBe(405);
    expect((await fetch(`${sim.url}/pumble/elsewhere`, { method: "POST", body: "{}" })).status).toBe(404);
    expect(sim.control.webhookDeliveries()).toEqual([]);
  });

  it("Pumble's receiver refuses a payload without text with a 400, after recording it", async () => {
    const url = sim.control.webhookUrl("pumble");
    const post = (body: string, type = "application/json") => fetch(url, { method: "POST", headers: { "content-type": type }, body });
    expect((await post('{"text":""}')).status).toBe(400);
    expect(await (await post('{"blocks":[]}')).json()).toEqual({ error: "text is required." });
    expect((await post('["text"]')).status).toBe(400);
    expect((await post("null")).status).toBe(400);
    expect((await post("text=hi", "application/x-www-form-urlencoded")).status).toBe(400);
    expect((await post('{"text":"hi"}')).status).toBe(200);
    expect(sim.control.webhookDeliveries({ providerId: "pumble" })).toHaveLength(6);
  });

  it("webhookAnswerNext: the delivery is recorded, then answered as scripted, in order", async () => {
    const url = sim.control.webhookUrl("custom-webhook");
    sim.control.webhookAnswerNext("custom-webhook", { status: 503, headers: { "Retry-After": "3" }, json: { error: "busy" } });
    sim.control.webhookAnswerNext("custom-webhook", { status: 202, text: "queued" }, 2);
    const post = () => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"n":1}' });
    const busy = await post();
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("3");
    expect(await busy.json()).toEqual({ error: "busy" });
    for (let i = 0; i < 2; i++) {
      const queued = await post();
      expect(queued.status).toBe(202);
      expect(queued.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await queued.text()).toBe("queued");
    }
    expect(await (await post()).json()).toEqual({ ok: true });
    expect(sim.control.webhookDeliveries({ providerId: "custom-webhook" })).toHaveLength(4);
    expect(() => sim.control.webhookAnswerNext("github", { status: 200 })).toThrow(/not a webhook provider/);
    expect(() => sim.control.webhookAnswerNext("pumble", { status: 199 })).toThrow(/status/);
    expect(() => sim.control.webhookAnswerNext("pumble", { status: 200, headers: { "Bad Name": "x" } })).toThrow(/headers/);
    expect(() => sim.control.webhookAnswerNext("pumble", { status: 200, headers: { "X-A": "a\r\nb" } })).toThrow(/headers/);
    expect(() => sim.control.webhookAnswerNext("pumble", { status: 200, json: {}, text: "" })).toThrow(/not both/);
    expect(() => sim.control.webhookAnswerNext("pumble", { status: 200, text: 5 as unknown as string })).toThrow(/text/);
    expect(() => sim.control.webhookAnswerNext("pumble", { status: 200 }, 0)).toThrow(/times/);
  });

  it("a queued api failure hits the receiver", async () => {
    sim.control.failNext("custom-webhook", "api", { kind: "status", status: 502 });
    const url = sim.control.webhookUrl("custom-webhook");
    expect((await fetch(url, { method: "POST", body: "{}" })).status).toBe(502);
    expect((await fetch(url, { method: "POST", body: "{}" })).status).toBe(200);
  });
});

describe("unexpected traffic", () => {
  it("answers 404 naming the path for an unknown provider", async () => {
    const response = await fetch(`${sim.url}/myspace/api/me`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "not_found", path: "/myspace/api/me" });
  });

  it("answers 404 for a path outside a provider's API base", async () => {
    const response = await fetch(`${sim.url}/slack/not-api/thing`);
    expect(response.status).toBe(404);
    expect((await response.json()).message).toContain("/slack/not-api/thing");
    expect(sim.control.requestCount({ endpoint: "unknown" })).toBe(1);
  });

  it("answers 405 for the wrong method on a token endpoint", async () => {
    expect((await fetch(`${sim.url}/slack/api/oauth.v2.access`)).status).toBe(405);
  });
});
