import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./server";
import { callTest, connect, oauthProvider, refresh } from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

describe("refresh_token grant", () => {
  it("single-use rotation (Jira): a new refresh token comes back and the old one dies", async () => {
    const { provider, refreshToken } = await connect(sim.url, "jira");
    const first = await refresh(provider, refreshToken!);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(first.body.refresh_token).not.toBe(refreshToken);

    const reused = await refresh(provider, refreshToken!);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/already used/),
    });

    const next = await refresh(provider, first.body.refresh_token as string);
    expect(next.status).toBe(200);
  });

  it("no rotation (Google): no refresh token in the answer, the old one keeps working", async () => {
    const { provider, refreshToken } = await connect(sim.url, "gmail");
    const first = await refresh(provider, refreshToken!);
    expect(first.body).toMatchObject({ access_token: expect.any(String), expires_in: 3599 });
    expect(first.body.refresh_token).toBeUndefined();
    expect((await refresh(provider, refreshToken!)).status).toBe(200);
  });

  it("reissued (Microsoft): a new refresh token comes back and the old one still works", async () => {
    const { provider, refreshToken } = await connect(sim.url, "microsoft");
    const first = await refresh(provider, refreshToken!);
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect((await refresh(provider, refreshToken!)).status).toBe(200);
  });

  it("the new access token works and the old one keeps working until it expires", async () => {
    const { provider, accessToken, refreshToken } = await connect(sim.url, "zoom");
    const { body } = await refresh(provider, refreshToken!);
    expect((await callTest(provider, body.access_token as string)).status).toBe(200);
    expect((await callTest(provider, accessToken)).status).toBe(200);
  });

  it("setRotation turns single-use rotation on for a provider that does not rotate", async () => {
    sim.control.setRotation("asana", true);
    const { provider, refreshToken } = await connect(sim.url, "asana");
    expect((await refresh(provider, refreshToken!)).status).toBe(200);
    expect((await refresh(provider, refreshToken!)).status).toBe(400);
  });

  it("setRotation(false) keeps the same refresh token usable", async () => {
    sim.control.setRotation("jira", false);
    const { provider, refreshToken } = await connect(sim.url, "jira");
    expect((await refresh(provider, refreshToken!)).body.refresh_token).toBeUndefined();
    expect((await refresh(provider, refreshToken!)).status).toBe(200);
  });

  it("refuses a refresh token of another client or provider", async () => {
    const { refreshToken } = await connect(sim.url, "jira");
    const asana = oauthProvider("asana", sim.url);
    expect((await refresh(asana, refreshToken!)).status).toBe(400);
  });

  it("refuses an access token used as a refresh token", async () => {
    const { provider, accessToken } = await connect(sim.url, "zoom");
    expect((await refresh(provider, accessToken)).status).toBe(400);
  });

  it("refuses an expired refresh token (control.expireToken)", async () => {
    const { provider, refreshToken } = await connect(sim.url, "reddit");
    sim.control.expireToken(refreshToken!);
    expect((await refresh(provider, refreshToken!)).body).toMatchObject({ error: "invalid_grant" });
  });

  it("LinkedIn issues no refresh tokens and refuses the grant", async () => {
    const { provider, refreshToken, tokens } = await connect(sim.url, "linkedin");
    expect(refreshToken).toBeNull();
    expect(tokens.expires_in).toBe(5_184_000);
    const { body } = await refresh(provider, "anything");
    expect(body).toMatchObject({ error: "unsupported_grant_type" });
  });
});

describe("opt-in expiry (Slack token rotation, GitHub expiring tokens)", () => {
  it("Slack without rotation: a token that never expires and no refresh token", async () => {
    const { tokens } = await connect(sim.url, "slack");
    expect(tokens.expires_in).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("Slack with rotation: 12 h tokens, single-use refresh tokens, errors in a 200", async () => {
    sim.control.setRotation("slack", true);
    const { provider, tokens, refreshToken } = await connect(sim.url, "slack");
    expect(tokens).toMatchObject({ ok: true, expires_in: 43_200 });
    expect(refreshToken).toMatch(/^xoxe-/);
    const first = await refresh(provider, refreshToken!);
    expect(first).toMatchObject({ status: 200, body: { ok: true, refresh_token: expect.any(String) } });
    const reused = await refresh(provider, refreshToken!);
    expect(reused).toMatchObject({ status: 200, body: { ok: false, error: "invalid_refresh_token" } });
  });

  it("GitHub with a token lifetime: 8 h tokens and ghr_ refresh tokens that rotate", async () => {
    sim.control.setTokenLifetime("github", 28_800);
    const { provider, tokens, refreshToken } = await connect(sim.url, "github");
    expect(tokens).toMatchObject({ expires_in: 28_800, refresh_token_expires_in: expect.any(Number) });
    expect(refreshToken).toMatch(/^ghr_/);
    expect((await refresh(provider, refreshToken!)).status).toBe(200);
    expect((await refresh(provider, refreshToken!)).body).toMatchObject({ error: "bad_refresh_token" });
  });
});

describe("access token expiry", () => {
  it("an access token stops working once the simulated clock passes its lifetime", async () => {
    sim.control.setTokenLifetime("asana", 60);
    const { provider, accessToken, tokens } = await connect(sim.url, "asana");
    expect(tokens.expires_in).toBe(60);
    expect((await callTest(provider, accessToken)).status).toBe(200);
    sim.control.advanceClock(61_000);
    const expired = await callTest(provider, accessToken);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({
      error: "invalid_token",
      error_description: expect.stringMatching(/expired/),
    });
  });

  it("setTokenLifetime(null) issues tokens without expires_in", async () => {
    sim.control.setTokenLifetime("zoom", null);
    const { tokens } = await connect(sim.url, "zoom");
    expect(tokens.expires_in).toBeUndefined();
  });

  it("expireToken makes an access token fail at once", async () => {
    const { provider, accessToken } = await connect(sim.url, "microsoft");
    sim.control.expireToken(accessToken);
    expect((await callTest(provider, accessToken)).status).toBe(401);
  });
});
