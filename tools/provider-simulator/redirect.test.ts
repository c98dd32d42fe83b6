import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectSimulator } from "./control-client";
import { startSimulator, type RunningSimulator } from "./server";
import {
  authorizeUrl,
  callTest,
  connect,
  getManual,
  oauthProvider,
  pkcePair,
  redirectParams,
  refresh,
  startTrapServer,
  TEST_REDIRECT_URI,
  tokenRequest,
  type TrapServer,
} from "./testing";

let sim: RunningSimulator;
let trap: TrapServer;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(async () => {
  sim.control.reset();
  trap = await startTrapServer();
});
afterEach(() => trap.close());

/** A GitHub authorization code (GitHub sends its client secret in the body: a redirect would carry it). */
async function githubCode() {
  const github = oauthProvider("github", sim.url);
  const pkce = pkcePair();
  const code = redirectParams(await getManual(authorizeUrl(github, { codeChallenge: pkce.challenge }))).get("code");
  if (!code) throw new Error("GitHub authorize gave no code");
  const params = {
    grant_type: "authorization_code",
    code,
    redirect_uri: TEST_REDIRECT_URI,
    code_verifier: pkce.verifier,
  };
  return { github, params };
}

describe("redirectNext", () => {
  it.each([301, 302, 303, 307, 308] as const)(
    "%i: the answer carries Location, and a client that does not follow leaves the trap untouched",
    async (status) => {
      const { provider, accessToken } = await connect(sim.url, "github");
      sim.control.redirectNext("github", { location: `${trap.url}/stolen?from=github`, status });
      const response = await callTest(provider, accessToken, { redirect: "manual" });
      expect(response.status).toBe(status);
      expect(response.headers.get("location")).toBe(`${trap.url}/stolen?from=github`);
      expect(trap.requests).toEqual([]);
      // Used up: the next call is the provider's normal answer.
      expect((await callTest(provider, accessToken, { redirect: "manual" })).status).toBe(200);
    },
  );

  it("defaults to 307 and counts down `times`", async () => {
    const { provider, accessToken } = await connect(sim.url, "linear");
    sim.control.redirectNext("linear", { location: trap.url }, 2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await callTest(provider, accessToken, { redirect: "manual" })).status);
    expect(statuses).toEqual([307, 307, 200]);
    expect(trap.requests).toEqual([]);
  });

  it("a fetch with redirect: 'error' rejects and nothing reaches the trap", async () => {
    const { provider, accessToken } = await connect(sim.url, "github");
    sim.control.redirectNext("github", { location: trap.url });
    await expect(callTest(provider, accessToken, { redirect: "error" })).rejects.toThrow();
    expect(trap.requests).toEqual([]);
  });

  it("the trap does catch a client that follows: a 307 on GitHub's token path re-posts the secret", async () => {
    const { github, params } = await githubCode();
    sim.control.redirectNext("github", { path: "/github/login/oauth/access_token", location: `${trap.url}/token` });
    const followed = await tokenRequest(github, params);
    expect(await followed.json()).toEqual({ trapped: true });
    expect(trap.requests).toHaveLength(1);
    expect(trap.requests[0]).toMatchObject({ method: "POST", url: "/token" });
    expect(new URLSearchParams(trap.requests[0]!.body).get("client_secret")).toBe("sim-github-secret");
  });

  it("a path reaches any endpoint (the token path here), and leaves the provider's other paths alone", async () => {
    const { github, params } = await githubCode();
    sim.control.redirectNext("github", { path: "/github/login/oauth/access_token", location: trap.url });
    const { provider, accessToken } = await connect(sim.url, "gmail");
    expect((await callTest(provider, accessToken, { redirect: "manual" })).status).toBe(200);

    const redirected = await tokenRequest(github, params, { redirect: "manual" });
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get("location")).toBe(trap.url);
    expect(sim.control.requests({ providerId: "github", status: 307 })).toEqual([
      expect.objectContaining({ endpoint: "token", path: "/github/login/oauth/access_token" }),
    ]);
    // The code was never looked at: the next exchange still works.
    const exchanged = await tokenRequest(github, params, { redirect: "manual" });
    expect(await exchanged.json()).toMatchObject({ access_token: expect.stringMatching(/^gho_/) });
    expect(trap.requests).toEqual([]);
  });

  it("a 307 from Zoom's token endpoint, for a code exchange and for a refresh, spends neither", async () => {
    const zoom = oauthProvider("zoom", sim.url);
    const tokenPath = new URL(zoom.tokenUrl).pathname;
    expect(tokenPath).toBe("/zoom/oauth/token");
    const pkce = pkcePair();
    const code = redirectParams(await getManual(authorizeUrl(zoom, { codeChallenge: pkce.challenge }))).get("code")!;
    const exchange = {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: pkce.verifier,
    };

    sim.control.redirectNext("zoom", { path: tokenPath, location: `${trap.url}/token` });
    const redirected = await tokenRequest(zoom, exchange, { redirect: "manual" });
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get("location")).toBe(`${trap.url}/token`);
    const tokens = (await (await tokenRequest(zoom, exchange, { redirect: "manual" })).json()) as Record<
      string,
      string
    >;
    expect(tokens.refresh_token).toBeTruthy();

    // Zoom's refresh tokens are single use: the 307 must not have spent this one.
    const refreshParams = { grant_type: "refresh_token", refresh_token: tokens.refresh_token! };
    sim.control.redirectNext("zoom", { path: tokenPath, location: `${trap.url}/token` });
    expect((await tokenRequest(zoom, refreshParams, { redirect: "manual" })).status).toBe(307);
    expect(sim.control.requests({ providerId: "zoom", status: 307 }).map((entry) => entry.endpoint)).toEqual([
      "token",
      "refresh",
    ]);
    expect((await refresh(zoom, tokens.refresh_token!, { redirect: "manual" })).status).toBe(200);
    expect(trap.requests).toEqual([]);
  });

  it("a 308 from the token endpoint, queued from another process", async () => {
    const zoom = oauthProvider("zoom", sim.url);
    const remote = connectSimulator(sim.url);
    await remote.redirectNext("zoom", { path: "/zoom/oauth/token", location: trap.url, status: 308 });
    const pkce = pkcePair();
    const code = redirectParams(await getManual(authorizeUrl(zoom, { codeChallenge: pkce.challenge }))).get("code")!;
    const exchange = {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: pkce.verifier,
    };
    const redirected = await tokenRequest(zoom, exchange, { redirect: "manual" });
    expect(redirected.status).toBe(308);
    expect(redirected.headers.get("location")).toBe(trap.url);
    expect(trap.requests).toEqual([]);
  });

  it("without a path it is any API call of the provider, not its OAuth endpoints", async () => {
    // GitHub's token path lies under its API base (/github): it still counts as the token endpoint.
    sim.control.redirectNext("github", { location: trap.url });
    const { provider, accessToken } = await connect(sim.url, "github");
    expect((await callTest(provider, accessToken, { redirect: "manual" })).status).toBe(307);
    expect(trap.requests).toEqual([]);
  });

  it("comes before credentials: even an unauthenticated call is redirected", async () => {
    sim.control.redirectNext("notion", { location: trap.url, status: 308 });
    const response = await fetch(`${sim.url}/notion/v1/users/me`, { redirect: "manual" });
    expect(response.status).toBe(308);
  });

  it("covers webhook receivers, which then record nothing", async () => {
    const url = sim.control.webhookUrl("pumble");
    sim.control.redirectNext("pumble", { location: trap.url });
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "hi" }),
      redirect: "manual",
    });
    expect(response.status).toBe(307);
    expect(sim.control.webhookDeliveries()).toEqual([]);
    expect(trap.requests).toEqual([]);
  });

  it("is per provider, and reset forgets it", async () => {
    const github = await connect(sim.url, "github");
    sim.control.redirectNext("asana", { location: trap.url });
    expect((await callTest(github.provider, github.accessToken, { redirect: "manual" })).status).toBe(200);
    sim.control.reset();
    sim.control.setAutoApprove(true);
    const asana = await connect(sim.url, "asana");
    expect((await callTest(asana.provider, asana.accessToken, { redirect: "manual" })).status).toBe(200);
  });

  it("refuses what it cannot answer", () => {
    const bad = [
      () => sim.control.redirectNext("github", { location: "/relative" }),
      () => sim.control.redirectNext("github", { location: trap.url, status: 304 as 307 }),
      () => sim.control.redirectNext("github", { location: trap.url, path: "/slack/api/auth.test" }),
      () => sim.control.redirectNext("github", { location: trap.url, path: "/github/user?x=1" }),
      () => sim.control.redirectNext("github", { location: trap.url }, 0),
      () => sim.control.redirectNext("myspace", { location: trap.url }),
    ];
    for (const call of bad) expect(call).toThrow();
  });

  it("works from another process: the control client and POST /_control/redirectNext", async () => {
    const { provider, accessToken } = await connect(sim.url, "github");
    await connectSimulator(sim.url).redirectNext("github", { location: trap.url, status: 302 });
    expect((await callTest(provider, accessToken, { redirect: "manual" })).status).toBe(302);

    const posted = await fetch(`${sim.url}/_control/redirectNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["github", { location: trap.url, status: 301, path: "/github/user" }] }),
    });
    expect(await posted.json()).toEqual({ result: null });
    expect((await callTest(provider, accessToken, { redirect: "manual" })).status).toBe(301);

    const refused = await fetch(`${sim.url}/_control/redirectNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["github", { location: "nowhere" }] }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/absolute URL/);
    expect(trap.requests).toEqual([]);
  });
});

describe("startTrapServer", () => {
  it("is another origin that records method, path, headers and body", async () => {
    expect(new URL(trap.url).origin).not.toBe(new URL(sim.url).origin);
    await fetch(`${trap.url}/x?y=1`, { method: "PUT", headers: { authorization: "Bearer leak" }, body: "payload" });
    expect(trap.requests).toEqual([
      expect.objectContaining({
        method: "PUT",
        url: "/x?y=1",
        headers: expect.objectContaining({ authorization: "Bearer leak" }),
        body: "payload",
      }),
    ]);
  });
});
