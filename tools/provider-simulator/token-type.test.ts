import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectSimulator } from "./control-client";
import { startSimulator, type RunningSimulator } from "./server";
import {
  authorizeUrl,
  connect,
  getManual,
  oauthProvider,
  pkcePair,
  redirectParams,
  refresh,
  TEST_REDIRECT_URI,
  tokenRequest,
} from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

describe("tokenTypeNext", () => {
  it("the next code exchange answers the queued token_type, then the provider's own again", async () => {
    sim.control.tokenTypeNext("zoom", "DPoP");
    expect((await connect(sim.url, "zoom")).tokens.token_type).toBe("DPoP");
    expect((await connect(sim.url, "zoom")).tokens.token_type).toBe("Bearer");
  });

  it("null leaves the field out", async () => {
    sim.control.tokenTypeNext("asana", null);
    const { tokens } = await connect(sim.url, "asana");
    expect(tokens).not.toHaveProperty("token_type");
    expect(tokens).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String) });
  });

  it("covers refresh answers too, `times` answers in a row", async () => {
    sim.control.tokenTypeNext("jira", "mac", 2);
    const { provider, tokens, refreshToken } = await connect(sim.url, "jira");
    expect(tokens.token_type).toBe("mac");
    const first = await refresh(provider, refreshToken!);
    expect(first.body.token_type).toBe("mac");
    const second = await refresh(provider, first.body.refresh_token as string);
    expect(second.body.token_type).toBe("Bearer");
  });

  it("queued values are used in order", async () => {
    sim.control.tokenTypeNext("zoom", "bearer");
    sim.control.tokenTypeNext("zoom", "BEARER");
    const { provider, refreshToken } = await connect(sim.url, "zoom");
    expect(sim.control.requests({ providerId: "zoom", endpoint: "token" })).toHaveLength(1);
    expect((await refresh(provider, refreshToken!)).body.token_type).toBe("BEARER");
  });

  it("replaces Slack's bot token type and keeps the rest of its answer", async () => {
    sim.control.tokenTypeNext("slack", "BEARER");
    const { tokens } = await connect(sim.url, "slack");
    expect(tokens).toMatchObject({ ok: true, token_type: "BEARER", team: expect.any(Object) });
  });

  it("reaches GitHub's form-encoded answers, and null leaves the field out there too", async () => {
    const github = oauthProvider("github", sim.url);
    const exchange = async () => {
      const pkce = pkcePair();
      const authorize = await getManual(authorizeUrl(github, { codeChallenge: pkce.challenge }));
      const code = redirectParams(authorize).get("code")!;
      const params = {
        grant_type: "authorization_code",
        code,
        redirect_uri: TEST_REDIRECT_URI,
        code_verifier: pkce.verifier,
      };
      const response = await tokenRequest(github, params, { headers: {} });
      expect(response.headers.get("content-type")).toMatch(/x-www-form-urlencoded/);
      return new URLSearchParams(await response.text());
    };
    sim.control.tokenTypeNext("github", "DPoP");
    sim.control.tokenTypeNext("github", null);
    expect((await exchange()).get("token_type")).toBe("DPoP");
    const omitted = await exchange();
    expect(omitted.has("access_token")).toBe(true);
    expect(omitted.has("token_type")).toBe(false);
  });

  it("refusals and failures do not use a queued entry up", async () => {
    sim.control.tokenTypeNext("zoom", "DPoP");
    sim.control.failNext("zoom", "token", { kind: "invalid_grant" });
    await expect(connect(sim.url, "zoom")).rejects.toThrow(/invalid_grant/);
    expect((await connect(sim.url, "zoom")).tokens.token_type).toBe("DPoP");
  });

  it("is per provider, and reset forgets it", async () => {
    sim.control.tokenTypeNext("zoom", "DPoP");
    expect((await connect(sim.url, "jira")).tokens.token_type).toBe("Bearer");
    sim.control.reset();
    sim.control.setAutoApprove(true);
    expect((await connect(sim.url, "zoom")).tokens.token_type).toBe("Bearer");
  });

  it("refuses what it cannot play", () => {
    const bad: Array<() => void> = [
      () => sim.control.tokenTypeNext("zoom", 42 as never),
      () => sim.control.tokenTypeNext("zoom", "DPoP", 0),
      () => sim.control.tokenTypeNext("myspace", "DPoP"),
      () => sim.control.tokenTypeNext("trello", "DPoP"),
    ];
    for (const call of bad) expect(call).toThrow();
  });

  it("works from another process: the control client and POST /_control/tokenTypeNext", async () => {
    await connectSimulator(sim.url).tokenTypeNext("zoom", "DPoP", 1);
    expect((await connect(sim.url, "zoom")).tokens.token_type).toBe("DPoP");

    const posted = await fetch(`${sim.url}/_control/tokenTypeNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["zoom", null] }),
    });
    expect(await posted.json()).toEqual({ result: null });
    expect((await connect(sim.url, "zoom")).tokens).not.toHaveProperty("token_type");

    const refused = await fetch(`${sim.url}/_control/tokenTypeNext`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ args: ["zoom", { type: "DPoP" }] }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/tokenType must be a string or null/);
  });
});
