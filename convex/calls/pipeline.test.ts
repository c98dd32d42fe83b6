/**
 * The call pipeline against the provider simulator: what a call sends and answers,
 * retries and Retry-After, refresh on 401, the URL guard, and the log row and
 * counters every call leaves.
 */
import { describe, expect, inject, test } from "vitest";
import { api } from "../_generated/api";
import { errorOf } from "../test.helpers";
import { worldPerTest, type World } from "./test.world";

const simulatorUrl = inject("simulatorUrl");

const setup = worldPerTest();

const apiCount = (w: World, providerId = "github") => w.simulator.requestCount({ providerId, endpoint: "api" });
const everyRequest = (w: World) => w.simulator.requestCount({});

describe("a call", () => {
  test("goes to the provider with its headers and the credential, and answers status, safe headers, body and ids", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const result = await w.call({ path: "/repos/acme/app/issues", query: { state: "open" } });
    expect(result.status).toBe(200);
    // The simulator answers 400 missing_header unless GitHub's default headers arrived exactly.
    const echo = JSON.parse(result.body);
    expect(echo).toMatchObject({ method: "GET", apiPath: "/repos/acme/app/issues", query: { state: "open" } });
    expect(echo.headerNames).toEqual(expect.arrayContaining(["authorization", "x-github-api-version"]));
    expect(result.headers["content-type"]).toMatch(/json/);
    expect(result.correlationId).toMatch(/^call_/);
    expect(result.attempts).toBe(1);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);

    const [log] = await w.logs();
    expect(log).toMatchObject({
      providerId: "github",
      method: "GET",
      path: "/repos/acme/app/issues?state=open",
      status: 200,
      outcome: "ok",
      attempts: 1,
      correlationId: result.correlationId,
      actor: { kind: "system", label: "test" },
      connectionId: (await w.connection())._id,
    });
    expect(JSON.parse(log!.request).headers.authorization).toBe("Bearer [REDACTED]");
  });

  test("moves the connection's counters, which the connection list shows without reading logs", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    // The connect's token exchange and account lookup count too, summarised as the connection is saved.
    expect((await w.connection()).callSummary?.buckets[0]?.calls).toBe(2);
    w.fakeClock();
    await w.call({ path: "/user/repos" });
    await w.simulator.failNext("github", "api", { kind: "status", status: 404 });
    await w.call({ path: "/missing" });
    await errorOf(w.call({ path: "https://evil.example/x" }));
    await w.settleCounters();
    const list = await w.member.as.query(api.integrations.connections.list, { orgId: w.orgId });
    const github = list.providers.find((p) => p.id === "github")!.connection!;
    expect(github).toMatchObject({ calls24h: 5, errors24h: 2 });
    expect(github.lastUsedAt).toEqual(expect.any(Number));
    expect(JSON.stringify(list)).not.toMatch(/v1\.|callSummary|callBuckets|refreshLease/);
  });

  test("keeps the caller's correlation id when it is sane", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    expect((await w.call({ path: "/user/repos", correlationId: "run-42.step-3" })).correlationId).toBe("run-42.step-3");
    expect((await w.call({ path: "/user/repos", correlationId: "no spaces" })).correlationId).toMatch(/^call_/);
  });

  test("reaches APIs whose base is found at connect time: Jira's site, Salesforce's instance, WordPress with Basic auth, Trello with query keys", async () => {
    const w = await setup(simulatorUrl, "jira");
    const jira = await w.call({ path: "/myself" });
    const cloudId = (await w.connection("jira")).config.cloudId;
    expect(JSON.parse(jira.body).path).toMatch(new RegExp(`/ex/jira/${cloudId}/rest/api/3/myself$`));

    await w.connect("salesforce");
    const salesforce = await w.call({ providerId: "salesforce", path: "/services/data/v60.0/sobjects" });
    expect(salesforce.status).toBe(200);

    await w.admin.as.action(api.integrations.credentials.connect, {
      orgId: w.orgId,
      providerId: "wordpress",
      values: { siteUrl: await w.simulator.siteUrl("wordpress"), username: "sim-editor", applicationPassword: "simP ass0 rdAb cdEf ghIj klMn" },
    });
    expect((await w.call({ providerId: "wordpress", path: "/wp/v2/posts" })).status).toBe(200);

    const [trelloKeys] = await w.simulator.apiKeyCredentials("trello");
    await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "trello", values: trelloKeys! });
    expect((await w.call({ providerId: "trello", path: "/1/boards/abc" })).status).toBe(200);
    const trelloLog = (await w.logs()).find((log) => log.providerId === "trello")!;
    expect(trelloLog.path).toBe("/1/boards/abc");
    expect(trelloLog.request).not.toContain(trelloKeys!.token);
  });
});

describe("retries", () => {
  test("429 with Retry-After is waited out, then sent again", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.simulator.failNext("github", "api", { kind: "rate_limit", retryAfterSeconds: 1 });
    const result = await w.call({ path: "/user/repos" });
    expect(result.status).toBe(200);
    expect(result.attempts).toBe(2);
    expect(result.latencyMs).toBeGreaterThanOrEqual(1000);
    const [first, second] = await w.simulator.requests({ providerId: "github", endpoint: "api" });
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(990);
    expect((await w.logs())[0]).toMatchObject({ attempts: 2, status: 200, outcome: "ok" });
  });

  test("a Retry-After beyond the cap is handed back instead of waited for", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.simulator.failNext("github", "api", { kind: "rate_limit", retryAfterSeconds: 120 });
    const result = await w.call({ path: "/user/repos" });
    expect(result).toMatchObject({ status: 429, attempts: 1 });
    expect(result.headers["retry-after"]).toBe("120");
    expect(result.latencyMs).toBeLessThan(1000);
    expect((await w.logs())[0]).toMatchObject({ outcome: "rate_limited" });
  });

  test("502/503/504 are retried for idempotent requests only (or with an Idempotency-Key)", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.simulator.failNext("github", "api", { kind: "status", status: 503 }, 2);
    expect(await w.call({ path: "/user/repos" })).toMatchObject({ status: 200, attempts: 3 });

    await w.simulator.failNext("github", "api", { kind: "status", status: 502 });
    const post = await w.call({ method: "POST", path: "/repos/acme/app/issues", body: '{"title":"x"}' });
    expect(post).toMatchObject({ status: 502, attempts: 1 });

    await w.simulator.failNext("github", "api", { kind: "status", status: 504 });
    const keyed = await w.call({
      method: "POST",
      path: "/repos/acme/app/issues",
      body: '{"title":"x"}',
      headers: { "Idempotency-Key": "issue-1" },
    });
    expect(keyed).toMatchObject({ status: 200, attempts: 2 });
  });

  test("gives up after three attempts and answers the last status", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.simulator.failNext("github", "api", { kind: "status", status: 503 }, 5);
    expect(await w.call({ path: "/user/repos" })).toMatchObject({ status: 503, attempts: 3 });
    expect(await apiCount(w)).toBe(3);
  });
});

describe("the time limit", () => {
  test("a provider slower than the call's timeoutMs: the call ends as a timeout, logged as one, and is not sent again", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.simulator.setLatency("github", 1_500);
    const started = Date.now();
    const error = await errorOf(w.call({ path: "/user/repos", timeoutMs: 200 }));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(error.message).toMatch(/did not answer within 0\.2 s/);
    const [log] = await w.logs();
    expect(log).toMatchObject({ outcome: "timeout", status: null, attempts: 1, path: "/user/repos" });
    // One attempt: a request that may have reached the provider is not repeated on a timeout.
    expect(log!.response).toBeUndefined();

    // Within the limit, the same provider answers.
    await w.simulator.setLatency("github", 50);
    expect(await w.call({ path: "/user/repos", timeoutMs: 5_000 })).toMatchObject({ status: 200, attempts: 1 });
  });
});

describe("a refused credential", () => {
  test("a 401 refreshes the token and sends the call once more", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.simulator.expireToken(await w.liveAccessToken());
    const result = await w.call({ path: "/user/repos" });
    expect(result.status).toBe(200);
    expect(await w.simulator.requestCount({ providerId: "github", endpoint: "refresh" })).toBe(1);
    expect(await apiCount(w)).toBe(2);
    expect((await w.logs())[0]).toMatchObject({ refresh: "refreshed", status: 200, attempts: 2 });
    expect((await w.connection()).status).toBe("connected");
  });

  test("a token refused again after its refresh marks the connection error/unauthorized", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.simulator.failNext("github", "api", { kind: "invalid_grant" }, 2);
    const result = await w.call({ path: "/user/repos" });
    expect(result.status).toBe(401);
    expect(await w.simulator.requestCount({ providerId: "github", endpoint: "refresh" })).toBe(1);
    expect(await apiCount(w)).toBe(2);
    expect(await w.connection()).toMatchObject({ status: "error", statusReason: "unauthorized" });
  });

  test("where refresh is not supported, a 401 marks the connection error/unauthorized at once", async () => {
    const w = await setup(simulatorUrl, "linkedin");
    await w.simulator.revokeAll("linkedin");
    const result = await w.call({ providerId: "linkedin", path: "/v2/me" });
    expect(result.status).toBe(401);
    expect(await w.simulator.requestCount({ providerId: "linkedin", endpoint: "refresh" })).toBe(0);
    expect(await w.connection("linkedin")).toMatchObject({ status: "error", statusReason: "unauthorized" });
    const unauthorized = (await w.audit()).find((e) => e.action === "integration.unauthorized");
    expect(unauthorized).toMatchObject({ actor: { kind: "system", label: "test" }, details: { source: "call" } });
    expect((await w.logs())[0]).toMatchObject({ outcome: "unauthorized", status: 401 });
  });

  test("Slack's HTTP 200 {ok:false, error:token_revoked} counts as a refusal", async () => {
    const w = await setup(simulatorUrl, "slack");
    await w.simulator.revokeAll("slack");
    const result = await w.call({ providerId: "slack", method: "POST", path: "/chat.postMessage", body: "{}" });
    expect(result.status).toBe(200);
    expect(await w.connection("slack")).toMatchObject({ status: "error", statusReason: "unauthorized" });
    expect((await w.logs())[0]).toMatchObject({ outcome: "unauthorized" });
  });

  test("a refresh revoked mid-call is RECONNECT_REQUIRED with the connection in error/refresh_revoked", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.expireEverywhere();
    await w.simulator.failNext("github", "refresh", { kind: "invalid_grant" });
    const error = await errorOf(w.call({ path: "/user/repos" }));
    expect(error.code).toBe("RECONNECT_REQUIRED");
    expect(await apiCount(w)).toBe(0);
    expect(await w.connection()).toMatchObject({ status: "error", statusReason: "refresh_revoked" });
  });

  test("an expired token whose refresh hits an outage is not sent: PROVIDER_UNAVAILABLE", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.expireEverywhere();
    await w.simulator.failNext("github", "refresh", { kind: "status", status: 503 });
    const error = await errorOf(w.call({ path: "/user/repos" }));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(await apiCount(w)).toBe(0);
    expect(await w.connection()).toMatchObject({ status: "connected", refreshFailures: 1 });
  });
});

describe("the URL guard", () => {
  test.each([
    "https://evil.example/steal",
    "http://127.0.0.1:1/x",
    "//evil.example/steal",
    "@evil.example/steal",
    "/../../evil",
    "/%2e%2e/%2e%2e/evil",
    "/\\\\evil.example/x",
    "user",
  ])("%s is refused before any request leaves", async (path) => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const before = await everyRequest(w);
    const error = (await errorOf(w.call({ path }))) as { code: string; message: string; correlationId?: string };
    expect(error.code).toBe("UNSAFE_URL");
    expect(error.correlationId).toMatch(/^call_/);
    expect(await everyRequest(w)).toBe(before);
    const [log] = await w.logs();
    expect(log).toMatchObject({ outcome: "refused", status: null, attempts: 0, errorCode: "UNSAFE_URL" });
  });

  test("a connection whose stored API base is not allowed is refused too", async () => {
    const w = await setup(simulatorUrl, "salesforce");
    const row = await w.connection("salesforce");
    await w.t.run((ctx) => ctx.db.patch(row._id, { config: { ...row.config, apiBaseUrl: "http://169.254.169.254" } }));
    const before = await everyRequest(w);
    expect((await errorOf(w.call({ providerId: "salesforce", path: "/latest/meta-data" }))).code).toBe("UNSAFE_URL");
    expect(await everyRequest(w)).toBe(before);
  });

  test("headers that carry credentials or steer transport are refused, and bodies on GET", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const before = await everyRequest(w);
    const refused: Array<Record<string, string>> = [{ Authorization: "Bearer mine" }, { Host: "evil.example" }, { "X-Api-Key": "k" }];
    for (const headers of refused) {
      expect((await errorOf(w.call({ path: "/user/repos", headers }))).code).toBe("INVALID_INPUT");
    }
    expect((await errorOf(w.call({ path: "/user/repos", body: "{}" }))).code).toBe("INVALID_INPUT");
    expect(await everyRequest(w)).toBe(before);
  });
});

describe("calls that cannot be made", () => {
  test("a provider that is not connected is NOT_CONNECTED, still logged under its correlation id", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const error = (await errorOf(w.call({ providerId: "gmail", path: "/x", correlationId: "corr-not-connected" }))) as {
      code: string;
      correlationId?: string;
    };
    expect(error).toMatchObject({ code: "NOT_CONNECTED", correlationId: "corr-not-connected" });
    const [log] = await w.logs();
    expect(log).toMatchObject({ outcome: "not_connected", correlationId: "corr-not-connected", providerId: "gmail" });
    expect(log!.connectionId).toBeUndefined();
  });

  test("a provider that cannot be reached is retried (GET), then PROVIDER_UNAVAILABLE with a network_error log", async () => {
    const w = await setup(simulatorUrl, "salesforce");
    const row = await w.connection("salesforce");
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    await w.t.run((ctx) => ctx.db.patch(row._id, { config: { ...row.config, apiBaseUrl: "http://127.0.0.1:1" } }));
    const error = await errorOf(w.call({ providerId: "salesforce", path: "/services/data" }));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect((await w.logs())[0]).toMatchObject({ outcome: "network_error", attempts: 3, status: null });
  });

  test("a misconfigured deployment keeps its coded error, and the call is still logged", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const saved = process.env.SWITCHBOARD_ENCRYPTION_KEYS;
    process.env.SWITCHBOARD_ENCRYPTION_KEYS = "k1:tooshort";
    try {
      const error = await errorOf(w.call({ path: "/user/repos" }));
      expect(error.code).toBe("MISCONFIGURED");
      expect(error.message).toContain("SWITCHBOARD_ENCRYPTION_KEYS");
    } finally {
      process.env.SWITCHBOARD_ENCRYPTION_KEYS = saved;
    }
    // This call's path only: the simulator is shared, and a job another test file left running may still call GitHub.
    expect(await w.simulator.requestCount({ providerId: "github", path: "/github/user/repos" })).toBe(0);
    expect((await w.logs())[0]).toMatchObject({ errorCode: "MISCONFIGURED", outcome: "refused" });
    // The deployment is at fault, not the credential: the connection is not marked.
    expect((await w.connection()).status).toBe("connected");
  });

  test("a webhook provider has no API", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    expect((await errorOf(w.call({ providerId: "pumble", path: "/x" }))).code).toBe("INVALID_INPUT");
  });

  test("a credential that no longer decrypts is RECONNECT_REQUIRED and marks the connection", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    await w.t.run((ctx) => ctx.db.patch(row._id, { secrets: { ...row.secrets, accessToken: row.secrets.refreshToken! } }));
    expect((await errorOf(w.call({ path: "/user/repos" }))).code).toBe("RECONNECT_REQUIRED");
    expect(await w.connection()).toMatchObject({ status: "error", statusReason: "decrypt_failed" });
  });
});
