import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./server";
import {
  authorizeUrl,
  callTest,
  clientBasicAuthorization,
  connect,
  defaultClient,
  getManual,
  oauthProvider,
  pkcePair,
  redirectParams,
  refresh,
} from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

describe("failNext", () => {
  it("token + invalid_grant: the exchange fails the provider's way, then the next one works", async () => {
    sim.control.failNext("zoom", "token", { kind: "invalid_grant" });
    await expect(connect(sim.url, "zoom")).rejects.toThrow(/400.*invalid_grant/);
    await expect(connect(sim.url, "zoom")).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it("token + invalid_grant on Slack is a 200 with ok:false", async () => {
    sim.control.failNext("slack", "token", { kind: "invalid_grant" });
    await expect(connect(sim.url, "slack")).rejects.toThrow(/answered 200.*"ok":false.*invalid_code/);
  });

  it("refresh + status 500", async () => {
    const { provider, refreshToken } = await connect(sim.url, "jira");
    sim.control.failNext("jira", "refresh", { kind: "status", status: 500 });
    expect((await refresh(provider, refreshToken!)).status).toBe(500);
    // The failure did not spend the single-use refresh token.
    expect((await refresh(provider, refreshToken!)).status).toBe(200);
  });

  it("refresh + invalid_grant", async () => {
    const { provider, refreshToken } = await connect(sim.url, "gmail");
    sim.control.failNext("gmail", "refresh", { kind: "invalid_grant" });
    expect(await refresh(provider, refreshToken!)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("api + rate_limit answers 429 with Retry-After, for the number of times asked", async () => {
    const { provider, accessToken } = await connect(sim.url, "github");
    sim.control.failNext("github", "api", { kind: "rate_limit", retryAfterSeconds: 7 }, 2);
    for (let i = 0; i < 2; i++) {
      const limited = await callTest(provider, accessToken);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("7");
    }
    expect((await callTest(provider, accessToken)).status).toBe(200);
  });

  it("api + status 503", async () => {
    const { provider, accessToken } = await connect(sim.url, "linear");
    sim.control.failNext("linear", "api", { kind: "status", status: 503 });
    expect((await callTest(provider, accessToken)).status).toBe(503);
  });

  it("revoke + status 500 leaves the token alive", async () => {
    const { provider, accessToken } = await connect(sim.url, "zoom");
    sim.control.failNext("zoom", "revoke", { kind: "status", status: 500 });
    const response = await fetch(provider.revoke!.url, {
      method: "POST",
      headers: {
        authorization: clientBasicAuthorization(defaultClient("zoom")),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: accessToken }),
    });
    expect(response.status).toBe(500);
    expect((await callTest(provider, accessToken)).status).toBe(200);
  });

  it("authorize + oauth_error redirects back with that error", async () => {
    sim.control.failNext("gmail", "authorize", { kind: "oauth_error", error: "server_error" });
    const gmail = oauthProvider("gmail", sim.url);
    const response = await getManual(authorizeUrl(gmail, { codeChallenge: pkcePair().challenge }));
    expect(Object.fromEntries(redirectParams(response))).toMatchObject({ error: "server_error", state: "state-123" });
  });

  it("authorize + rate_limit answers 429", async () => {
    sim.control.failNext("notion", "authorize", { kind: "rate_limit", retryAfterSeconds: 3 });
    const response = await getManual(authorizeUrl(oauthProvider("notion", sim.url)));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
  });

  it("failures are per provider and per endpoint", async () => {
    sim.control.failNext("asana", "refresh", { kind: "status", status: 500 });
    await expect(connect(sim.url, "asana")).resolves.toBeTruthy();
    await expect(connect(sim.url, "jira")).resolves.toBeTruthy();
  });

  it("reset forgets queued failures", async () => {
    sim.control.failNext("zoom", "token", { kind: "status", status: 500 });
    sim.control.reset();
    sim.control.setAutoApprove(true);
    await expect(connect(sim.url, "zoom")).resolves.toBeTruthy();
  });
});
