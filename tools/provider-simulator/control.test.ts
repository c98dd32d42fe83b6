import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectSimulator } from "./control-client";
import { startSimulator, type RunningSimulator } from "./server";
import { callTest, connect, refresh } from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

describe("control over HTTP", () => {
  it("POST /_control/<method> calls the in-process control", async () => {
    const response = await fetch(`${sim.url}/_control/setAutoApprove`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: [true] }),
    });
    expect(await response.json()).toEqual({ result: null });
    await expect(connect(sim.url, "zoom")).resolves.toBeTruthy();
  });

  it("GET reads with the query as a filter", async () => {
    sim.control.setAutoApprove(true);
    await connect(sim.url, "zoom");
    const response = await fetch(`${sim.url}/_control/requestCount?providerId=zoom&endpoint=token`);
    expect(await response.json()).toEqual({ result: 1 });
  });

  it("GET refuses methods that change state", async () => {
    expect((await fetch(`${sim.url}/_control/reset`)).status).toBe(405);
  });

  it("answers 404 listing the methods for an unknown one, and 400 for bad arguments", async () => {
    const unknown = await fetch(`${sim.url}/_control/explode`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).methods).toContain("failNext");
    const bad = await fetch(`${sim.url}/_control/failNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["myspace", "token", { kind: "invalid_grant" }] }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/Unknown provider "myspace"/);
  });

  it("connectSimulator gives another process the same methods", async () => {
    const remote = connectSimulator(sim.url);
    await remote.setAutoApprove(true);
    await remote.failNext("jira", "refresh", { kind: "invalid_grant" });
    const { provider, refreshToken, accessToken } = await connect(sim.url, "jira");
    expect((await refresh(provider, refreshToken!)).body).toMatchObject({ error: "invalid_grant" });
    const issued = await remote.issuedTokens({ providerId: "jira" });
    expect(issued.map((t) => t.token)).toContain(accessToken);
    await remote.revokeToken(accessToken);
    expect((await callTest(provider, accessToken)).status).toBe(401);
  });
});

describe("request log and issued tokens", () => {
  it("logs method, path, provider and endpoint kind, never codes or tokens", async () => {
    sim.control.setAutoApprove(true);
    const { provider, accessToken, refreshToken } = await connect(sim.url, "gmail");
    await refresh(provider, refreshToken!);
    await callTest(provider, accessToken);
    const log = sim.control.requests({ providerId: "gmail" });
    expect(log.map((entry) => entry.endpoint)).toEqual(["authorize", "token", "refresh", "test"]);
    expect(log[0]).toMatchObject({ method: "GET", path: "/gmail/o/oauth2/v2/auth", status: 302 });
    expect(log[0]!.queryKeys).toEqual(expect.arrayContaining(["client_id", "code_challenge", "state"]));
    const serialized = JSON.stringify(log);
    for (const token of sim.control.issuedTokens()) expect(serialized).not.toContain(token.token);
    expect(serialized).not.toMatch(/sim_code_/);
  });

  it("issuedTokens lists every access and refresh token with its state", async () => {
    sim.control.setAutoApprove(true);
    const { accessToken, refreshToken } = await connect(sim.url, "zoom");
    sim.control.revokeToken(accessToken);
    const tokens = sim.control.issuedTokens({ providerId: "zoom" });
    expect(tokens).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ token: accessToken, kind: "access_token", revokedAt: expect.any(Number) }),
        expect.objectContaining({ token: refreshToken, kind: "refresh_token", revokedAt: null }),
      ]),
    );
  });

  it("requestCount filters by status", async () => {
    await fetch(`${sim.url}/nowhere`);
    expect(sim.control.requestCount({ status: 404 })).toBe(1);
    expect(sim.control.requestCount({ status: 200 })).toBe(0);
  });

  it("control calls are not logged", async () => {
    await fetch(`${sim.url}/_control/requests`);
    expect(sim.control.requests()).toEqual([]);
  });

  it("reset restores the catalog's defaults", async () => {
    sim.control.setRotation("slack", true);
    sim.control.setClient("slack", { clientId: "x", clientSecret: "y" });
    sim.control.advanceClock(1_000_000);
    sim.control.reset();
    expect(sim.control.tokenSettings("slack")).toEqual({
      lifetimeSeconds: null,
      rotation: "single_use",
      issueRefreshTokens: false,
    });
    expect(sim.control.client("slack")).toEqual({ clientId: "sim-slack-client", clientSecret: "sim-slack-secret" });
    expect(Math.abs(sim.control.now() - Date.now())).toBeLessThan(1_000);
  });
});

describe("the consent page assets", () => {
  it("serves the provider's logo from public/providers", async () => {
    const response = await fetch(`${sim.url}/_assets/providers/slack.svg`);
    expect(response.headers.get("content-type")).toBe("image/svg+xml");
    expect(await response.text()).toContain("<svg");
    expect((await fetch(`${sim.url}/_assets/providers/..%2Fsecret.svg`)).status).toBe(404);
  });
});

describe("setLatency", () => {
  it("holds every answer of that provider for the latency, and only that provider's", async () => {
    sim.control.setAutoApprove(true);
    const github = await connect(sim.url, "github");
    const zoom = await connect(sim.url, "zoom");
    sim.control.setLatency("github", 300);
    expect(sim.control.latency("github")).toBe(300);
    const started = performance.now();
    expect((await callTest(github.provider, github.accessToken)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    expect((await callTest(zoom.provider, zoom.accessToken)).status).toBe(200);
    const [githubTest, zoomTest] = [
      sim.control.requests({ providerId: "github", endpoint: "test" }).at(-1)!,
      sim.control.requests({ providerId: "zoom", endpoint: "test" }).at(-1)!,
    ];
    // The request log's duration includes the wait.
    expect(githubTest.durationMs).toBeGreaterThanOrEqual(295);
    expect(zoomTest.durationMs).toBeLessThan(300);
  });

  it("a client with a shorter time limit gives up; 0 or null takes the latency away, and so does reset", async () => {
    sim.control.setAutoApprove(true);
    const github = await connect(sim.url, "github");
    sim.control.setLatency("github", 2_000);
    const timedOut = await fetch(`${sim.url}/github/user`, {
      headers: { authorization: `Bearer ${github.accessToken}`, ...github.provider.defaultHeaders },
      signal: AbortSignal.timeout(100),
    }).then(
      () => "answered",
      (error: Error) => error.name,
    );
    expect(timedOut).toBe("TimeoutError");
    sim.control.setLatency("github", null);
    expect(sim.control.latency("github")).toBe(0);
    sim.control.setLatency("github", 50);
    sim.control.reset();
    expect(sim.control.latency("github")).toBe(0);
  });

  it("refuses what is not a latency, and works over HTTP", async () => {
    for (const ms of [-1, Number.NaN, 120_001, "50"]) {
      expect(() => sim.control.setLatency("github", ms as number)).toThrow(/ms must be/);
    }
    expect(() => sim.control.setLatency("myspace", 10)).toThrow(/Unknown provider/);
    await connectSimulator(sim.url).setLatency("slack", 25);
    expect(await (await fetch(`${sim.url}/_control/latency?args=${encodeURIComponent('["slack"]')}`)).json()).toEqual({ result: 25 });
  });
});
