import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildRevokeRequest } from "../../lib/oauth/revoke";
import { startSimulator, type RunningSimulator } from "./server";
import { callTest, clientBasicAuthorization, connect, defaultClient, refresh, type Connection } from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

const basic = (id: string) => clientBasicAuthorization(defaultClient(id));

/** Zoom's revocation: Basic client auth and the token in a form. */
function zoomRevoke(zoom: Connection, token: string): Promise<Response> {
  return fetch(zoom.provider.revoke!.url, {
    method: "POST",
    headers: { authorization: basic("zoom"), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
}

describe("revoke endpoints", () => {
  it("GitHub: DELETE /applications/{client_id}/token with Basic and JSON, then the API answers 401", async () => {
    const { provider, accessToken } = await connect(sim.url, "github");
    const url = provider.revoke!.url.replace("{client_id}", "sim-github-client");
    const response = await fetch(url, {
      method: "DELETE",
      headers: {
        authorization: basic("github"),
        "content-type": "application/json",
        accept: "application/vnd.github+json",
      },
      body: JSON.stringify({ access_token: accessToken }),
    });
    expect(response.status).toBe(204);
    expect((await callTest(provider, accessToken)).status).toBe(401);
    expect(sim.control.revocations({ providerId: "github" })).toEqual([
      expect.objectContaining({ token: accessToken, kind: "access_token", via: "endpoint" }),
    ]);
  });

  it("GitHub refuses a revoke for another client id in the path", async () => {
    const { provider, accessToken } = await connect(sim.url, "github");
    const response = await fetch(provider.revoke!.url.replace("{client_id}", "someone-else"), {
      method: "DELETE",
      headers: { authorization: basic("github"), "content-type": "application/json" },
      body: JSON.stringify({ access_token: accessToken }),
    });
    expect(response.status).toBe(401);
    expect((await callTest(provider, accessToken)).status).toBe(200);
  });

  it("Google: revoking the refresh token ends the whole grant", async () => {
    const { provider, accessToken, refreshToken } = await connect(sim.url, "google-calendar");
    const response = await fetch(provider.revoke!.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: refreshToken! }),
    });
    expect(response.status).toBe(200);
    expect((await callTest(provider, accessToken)).status).toBe(401);
    expect((await refresh(provider, refreshToken!)).status).toBe(400);
  });

  it("Slack: auth.revoke with the token as Bearer; afterwards auth.test says token_revoked", async () => {
    const { provider, accessToken } = await connect(sim.url, "slack");
    const response = await fetch(provider.revoke!.url, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(await response.json()).toEqual({ ok: true, revoked: true });
    const test = await callTest(provider, accessToken);
    expect(test.status).toBe(200);
    expect(await test.json()).toEqual({ ok: false, error: "token_revoked" });
  });

  it("Zoom refuses a revoke without client authentication", async () => {
    const { provider, accessToken } = await connect(sim.url, "zoom");
    const response = await fetch(provider.revoke!.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: accessToken }),
    });
    expect(response.status).toBe(401);
    expect((await callTest(provider, accessToken)).status).toBe(200);
  });

  it("Zoom: revoking the access token ends the whole grant, refresh token included, and no other", async () => {
    const zoom = await connect(sim.url, "zoom");
    const other = await connect(sim.url, "zoom");
    const response = await zoomRevoke(zoom, zoom.accessToken);
    expect(response.status).toBe(200);
    expect((await callTest(zoom.provider, zoom.accessToken)).status).toBe(401);
    expect(await refresh(zoom.provider, zoom.refreshToken!)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: expect.stringMatching(/revoked/) },
    });
    expect(sim.control.revocations({ providerId: "zoom" })).toEqual([
      expect.objectContaining({ token: zoom.accessToken, kind: "access_token", via: "endpoint" }),
    ]);
    // Another grant of the same client and account is untouched.
    expect((await callTest(other.provider, other.accessToken)).status).toBe(200);
    expect((await refresh(other.provider, other.refreshToken!)).status).toBe(200);
  });

  it("Zoom: revoking the refresh token ends the grant too", async () => {
    const zoom = await connect(sim.url, "zoom");
    expect((await zoomRevoke(zoom, zoom.refreshToken!)).status).toBe(200);
    expect((await callTest(zoom.provider, zoom.accessToken)).status).toBe(401);
    expect((await refresh(zoom.provider, zoom.refreshToken!)).status).toBe(400);
  });

  it("Zoom: the request the app builds from the catalog (the access token) disconnects the grant", async () => {
    const zoom = await connect(sim.url, "zoom");
    expect(zoom.provider.revoke).toMatchObject({ token: "access_token", tokenIn: "form", clientAuth: "basic" });
    const request = buildRevokeRequest(
      zoom.provider,
      { ...defaultClient("zoom"), redirectUri: "http://127.0.0.1:9/callback" },
      { accessToken: zoom.accessToken, refreshToken: zoom.refreshToken },
    );
    if ("skip" in request) throw new Error(`no revoke request: ${request.skip}`);
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
    expect(response.status).toBe(200);
    expect(sim.control.revocations({ providerId: "zoom" })).toEqual([
      expect.objectContaining({ token: zoom.accessToken, kind: "access_token" }),
    ]);
    expect((await refresh(zoom.provider, zoom.refreshToken!)).status).toBe(400);
  });

  it("revoking an access token elsewhere leaves the refresh token alive (Notion, RFC 7009 default)", async () => {
    const notion = await connect(sim.url, "notion");
    const response = await fetch(notion.provider.revoke!.url, {
      method: "POST",
      headers: { authorization: basic("notion"), "content-type": "application/json" },
      body: JSON.stringify({ token: notion.accessToken }),
    });
    expect(response.status).toBe(200);
    expect((await callTest(notion.provider, notion.accessToken)).status).toBe(401);
    expect((await refresh(notion.provider, notion.refreshToken!)).status).toBe(200);
  });

  it("Asana: client credentials in the body, refresh token revoked", async () => {
    const { provider, accessToken, refreshToken } = await connect(sim.url, "asana");
    const response = await fetch(provider.revoke!.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: "sim-asana-client",
        client_secret: "sim-asana-secret",
        token: refreshToken!,
      }),
    });
    expect(response.status).toBe(200);
    expect((await callTest(provider, accessToken)).status).toBe(401);
  });

  it("records a revocation of an unknown token and answers 200 (RFC 7009)", async () => {
    const { provider } = await connect(sim.url, "reddit");
    const response = await fetch(provider.revoke!.url, {
      method: "POST",
      headers: {
        authorization: basic("reddit"),
        "content-type": "application/x-www-form-urlencoded",
        "user-agent": provider.defaultHeaders["User-Agent"]!,
      },
      body: new URLSearchParams({ token: "never-issued", token_type_hint: "refresh_token" }),
    });
    expect(response.status).toBe(200);
    expect(sim.control.revocations()).toEqual([expect.objectContaining({ token: "never-issued", kind: "unknown" })]);
  });
});

describe("revocation through the control API", () => {
  it("revokeToken makes the next call 401", async () => {
    const { provider, accessToken } = await connect(sim.url, "microsoft");
    expect(sim.control.revokeToken(accessToken)).toBe(true);
    expect((await callTest(provider, accessToken)).status).toBe(401);
    expect(sim.control.revocations()).toEqual([expect.objectContaining({ via: "control" })]);
  });

  it("revokeAll ends every token of one provider only", async () => {
    const zoom = await connect(sim.url, "zoom");
    const jira = await connect(sim.url, "jira");
    expect(sim.control.revokeAll("zoom")).toBe(2);
    expect((await callTest(zoom.provider, zoom.accessToken)).status).toBe(401);
    expect((await refresh(zoom.provider, zoom.refreshToken!)).status).toBe(400);
    expect((await callTest(jira.provider, jira.accessToken)).status).toBe(200);
  });
});
