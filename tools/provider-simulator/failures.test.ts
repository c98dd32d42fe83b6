import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectSimulator } from "./control-client";
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

/** Zoom's revocation as the catalog describes it: Basic client auth, the token in a form. */
function zoomRevoke(token: string): Promise<Response> {
  return fetch(oauthProvider("zoom", sim.url).revoke!.url, {
    method: "POST",
    headers: {
      authorization: clientBasicAuthorization(defaultClient("zoom")),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ token }),
  });
}

describe("failNext on revocation", () => {
  it("503 with Retry-After: nothing is revoked, and the retry works", async () => {
    const { provider, accessToken } = await connect(sim.url, "zoom");
    sim.control.failNext("zoom", "revoke", { kind: "status", status: 503, retryAfterSeconds: 30 });
    const unavailable = await zoomRevoke(accessToken);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBe("30");
    expect(sim.control.revocations()).toEqual([]);
    expect((await callTest(provider, accessToken)).status).toBe(200);
    expect((await zoomRevoke(accessToken)).status).toBe(200);
    expect((await callTest(provider, accessToken)).status).toBe(401);
  });

  it("a bare 503 has no Retry-After", async () => {
    const { accessToken } = await connect(sim.url, "zoom");
    sim.control.failNext("zoom", "revoke", { kind: "status", status: 503 });
    const unavailable = await zoomRevoke(accessToken);
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get("retry-after")).toBeNull();
  });

  it("429 with Retry-After, Slack's way too", async () => {
    const { accessToken } = await connect(sim.url, "zoom");
    sim.control.failNext("zoom", "revoke", { kind: "rate_limit", retryAfterSeconds: 12 });
    const limited = await zoomRevoke(accessToken);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("12");

    const slack = await connect(sim.url, "slack");
    sim.control.failNext("slack", "revoke", { kind: "rate_limit", retryAfterSeconds: 5 });
    const slackLimited = await fetch(slack.provider.revoke!.url, {
      method: "POST",
      headers: { authorization: `Bearer ${slack.accessToken}` },
    });
    expect(slackLimited.status).toBe(429);
    expect(slackLimited.headers.get("retry-after")).toBe("5");
    expect(await slackLimited.json()).toEqual({ ok: false, error: "ratelimited" });
    expect(sim.control.revocations()).toEqual([]);
  });

  it("reset: the connection is reset with no answer, nothing is revoked, and the next request is answered", async () => {
    const { provider, accessToken } = await connect(sim.url, "zoom");
    sim.control.failNext("zoom", "revoke", { kind: "reset" });
    const error = await zoomRevoke(accessToken).then(
      () => null,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as TypeError).cause)).toMatch(/ECONNRESET|other side closed|socket/i);
    expect(sim.control.revocations()).toEqual([]);
    expect(sim.control.requests({ providerId: "zoom", endpoint: "revoke" })).toEqual([
      expect.objectContaining({ status: 0 }),
    ]);
    expect((await callTest(provider, accessToken)).status).toBe(200);
    expect((await zoomRevoke(accessToken)).status).toBe(200);
  });
});

describe("failNext: reset on other endpoints, and bad arguments", () => {
  it("reset works on the token endpoint and the API too", async () => {
    sim.control.failNext("github", "token", { kind: "reset" });
    await expect(connect(sim.url, "github")).rejects.toThrow(TypeError);
    const { provider, accessToken } = await connect(sim.url, "github");
    sim.control.failNext("github", "api", { kind: "reset" });
    await expect(callTest(provider, accessToken)).rejects.toThrow(TypeError);
    expect((await callTest(provider, accessToken)).status).toBe(200);
  });

  it("refuses failures, endpoints and counts it cannot play", () => {
    const bad: Array<() => void> = [
      () => sim.control.failNext("zoom", "revoke", { kind: "explode" } as never),
      () => sim.control.failNext("zoom", "revoke", { kind: "status", status: 99 }),
      () => sim.control.failNext("zoom", "revoke", { kind: "status", status: 503, retryAfterSeconds: -1 }),
      () => sim.control.failNext("zoom", "revoke", { kind: "rate_limit" } as never),
      () => sim.control.failNext("zoom", "revoke", { kind: "oauth_error" } as never),
      () => sim.control.failNext("zoom", "logout" as never, { kind: "reset" }),
      () => sim.control.failNext("zoom", "revoke", { kind: "reset" }, 0),
    ];
    for (const call of bad) expect(call).toThrow();
  });

  it("works from another process: the control client and POST /_control/failNext", async () => {
    const { accessToken } = await connect(sim.url, "zoom");
    await connectSimulator(sim.url).failNext("zoom", "revoke", { kind: "status", status: 503, retryAfterSeconds: 2 });
    expect((await zoomRevoke(accessToken)).status).toBe(503);

    const posted = await fetch(`${sim.url}/_control/failNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["zoom", "revoke", { kind: "reset" }] }),
    });
    expect(await posted.json()).toEqual({ result: null });
    await expect(zoomRevoke(accessToken)).rejects.toThrow(TypeError);

    const refused = await fetch(`${sim.url}/_control/failNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["zoom", "revoke", { kind: "status", status: "503" }] }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/failure must be/);
    expect((await zoomRevoke(accessToken)).status).toBe(200);
  });
});
