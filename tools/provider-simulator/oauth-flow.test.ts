import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readAccount } from "../../lib/providers/index";
import { startSimulator, type RunningSimulator } from "./server";
import {
  authorizeUrl,
  callTest,
  connect,
  getManual,
  oauthProvider,
  pkcePair,
  redirectParams,
  TEST_REDIRECT_URI,
  tokenRequest,
} from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

/** Authorize with auto-approve and return the code plus the PKCE verifier used. */
async function codeFor(providerId: string) {
  sim.control.setAutoApprove(true);
  const provider = oauthProvider(providerId, sim.url);
  const pkce = pkcePair();
  const response = await getManual(authorizeUrl(provider, { codeChallenge: provider.pkce ? pkce.challenge : null }));
  const code = redirectParams(response).get("code");
  if (!code) throw new Error(`no code: ${response.headers.get("location")}`);
  return { provider, code, verifier: pkce.verifier };
}

describe("authorization code flow with PKCE", () => {
  it("Zoom (Basic client auth): consent page → approve → code → tokens → test endpoint", async () => {
    const zoom = oauthProvider("zoom", sim.url);
    const pkce = pkcePair();
    const page = await getManual(authorizeUrl(zoom, { codeChallenge: pkce.challenge, state: "s-zoom" }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Simulated provider");
    expect(html).toContain("Zoom");
    expect(html).toContain("user:read:user");
    const consentId = /name="id" value="([^"]+)"/.exec(html)?.[1];
    expect(consentId).toBeTruthy();

    const approved = await fetch(`${sim.url}/_consent`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id: consentId!, decision: "approve" }),
    });
    expect(approved.status).toBe(302);
    expect(approved.headers.get("location")).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?/);
    const query = redirectParams(approved);
    expect(query.get("state")).toBe("s-zoom");

    const response = await tokenRequest(zoom, {
      grant_type: "authorization_code",
      code: query.get("code")!,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: pkce.verifier,
    });
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(typeof tokens.refresh_token).toBe("string");

    const me = await callTest(zoom, tokens.access_token as string);
    expect(me.status).toBe(200);
    expect(readAccount(zoom, await me.json())).toMatchObject({ ok: true, accountId: "sim-zoom-account" });
  });

  it("GitHub (body client auth): auto-approve → tokens with comma-joined scope → /user", async () => {
    sim.control.setAutoApprove(true);
    const { provider, accessToken, tokens } = await connect(sim.url, "github");
    expect(tokens.scope).toBe("read:user,repo");
    // Classic OAuth App tokens: no expiry, no refresh token.
    expect(tokens.expires_in).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();
    const me = await callTest(provider, accessToken);
    expect(await me.json()).toMatchObject({ id: 1001, login: "sim-octocat" });
  });

  it("denying consent redirects with error=access_denied and the state", async () => {
    const notion = oauthProvider("notion", sim.url);
    const html = await (await getManual(authorizeUrl(notion, { state: "s-deny" }))).text();
    const consentId = /name="id" value="([^"]+)"/.exec(html)![1]!;
    const denied = await fetch(`${sim.url}/_consent`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id: consentId, decision: "deny" }),
    });
    const query = redirectParams(denied);
    expect(query.get("error")).toBe("access_denied");
    expect(query.get("state")).toBe("s-deny");
    expect(query.get("code")).toBeNull();
  });

  it("a consent can be answered only once", async () => {
    const html = await (await getManual(authorizeUrl(oauthProvider("notion", sim.url)))).text();
    const id = /name="id" value="([^"]+)"/.exec(html)![1]!;
    const answer = () =>
      fetch(`${sim.url}/_consent`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ id, decision: "approve" }),
      });
    expect((await answer()).status).toBe(302);
    expect((await answer()).status).toBe(400);
  });
});

describe("token endpoint checks", () => {
  it("refuses a wrong PKCE verifier, and the code is spent", async () => {
    const { provider, code, verifier } = await codeFor("microsoft");
    const wrong = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_grant" });
    const retry = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(retry.status).toBe(400);
  });

  it("refuses a missing verifier when a challenge was sent", async () => {
    const { provider, code } = await codeFor("gmail");
    const response = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
    });
    expect(await response.json()).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/code_verifier/),
    });
  });

  it("refuses a missing verifier the provider's way: GitHub answers 200 bad_verification_code", async () => {
    const { provider, code } = await codeFor("github");
    const response = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      error: "bad_verification_code",
      error_description: expect.stringMatching(/code_verifier is required/),
    });
  });

  it("refuses an empty verifier as a missing one", async () => {
    const { provider, code } = await codeFor("zoom");
    const response = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: "",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a PKCE downgrade.
  it.each([
    ["linkedin", 400, { error: "invalid_grant" }],
    ["notion", 400, { error: "invalid_grant" }],
    ["slack", 200, { ok: false, error: "invalid_code" }],
  ] as const)("refuses a verifier when no challenge was sent (%s), and the code is spent", async (id, status, body) => {
    const { provider, code } = await codeFor(id);
    expect(provider.pkce).toBe(false);
    const params = { grant_type: "authorization_code", code, redirect_uri: TEST_REDIRECT_URI };
    const downgraded = await tokenRequest(provider, { ...params, code_verifier: pkcePair().verifier });
    expect(downgraded.status).toBe(status);
    const answer = (await downgraded.json()) as Record<string, unknown>;
    expect(answer).toMatchObject(body);
    expect(JSON.stringify(answer)).toMatch(/no code_challenge/);
    expect(answer.access_token).toBeUndefined();
    const retry = await tokenRequest(provider, params);
    expect(await retry.json()).not.toHaveProperty("access_token");
  });

  it("without a challenge and without a verifier the exchange works (pkce false)", async () => {
    const { provider, code } = await codeFor("reddit");
    const response = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ access_token: expect.any(String) });
  });

  it("refuses a reused code and revokes the tokens it produced", async () => {
    const { provider, code, verifier } = await codeFor("asana");
    const params = { grant_type: "authorization_code", code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier };
    const first = await tokenRequest(provider, params);
    const { access_token } = (await first.json()) as { access_token: string };
    expect((await callTest(provider, access_token)).status).toBe(200);

    const second = await tokenRequest(provider, params);
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/already used/),
    });
    expect((await callTest(provider, access_token)).status).toBe(401);
  });

  it("refuses an expired code", async () => {
    const { provider, code, verifier } = await codeFor("linear");
    sim.control.advanceClock(11 * 60 * 1000);
    const response = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(await response.json()).toMatchObject({
      error: "invalid_grant",
      error_description: expect.stringMatching(/expired/),
    });
  });

  it("refuses a redirect_uri that differs from the authorize request", async () => {
    const { provider, code, verifier } = await codeFor("jira");
    const response = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: "http://127.0.0.1:9/other",
      code_verifier: verifier,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses body credentials where the catalog says Basic (Zoom), with 401 invalid_client", async () => {
    const { provider, code, verifier } = await codeFor("zoom");
    const response = await tokenRequest(
      provider,
      { grant_type: "authorization_code", code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier },
      { auth: "body" },
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: "invalid_client",
      error_description: expect.stringMatching(/Basic/),
    });
  });

  it("refuses Basic plus a client_secret in the body (Zoom): one method, not both", async () => {
    const { provider, code, verifier } = await codeFor("zoom");
    const response = await tokenRequest(provider, {
      grant_type: "authorization_code",
      code,
      redirect_uri: TEST_REDIRECT_URI,
      code_verifier: verifier,
      client_secret: "sim-zoom-secret",
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  it("refuses Basic where the catalog says body (LinkedIn)", async () => {
    const { provider, code } = await codeFor("linkedin");
    const response = await tokenRequest(
      provider,
      { grant_type: "authorization_code", code, redirect_uri: TEST_REDIRECT_URI },
      { auth: "basic" },
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: "invalid_client",
      error_description: expect.stringMatching(/body/),
    });
  });

  it("refuses a wrong client secret", async () => {
    const { provider, code, verifier } = await codeFor("reddit");
    const response = await tokenRequest(
      provider,
      { grant_type: "authorization_code", code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier },
      { client: { clientId: "sim-reddit-client", clientSecret: "nope" } },
    );
    expect(response.status).toBe(401);
  });

  it("accepts a client configured through the control API", async () => {
    const client = { clientId: "real-looking-id", clientSecret: "real-looking-secret" };
    sim.control.setClient("slack", client);
    sim.control.setAutoApprove(true);
    const { tokens } = await connect(sim.url, "slack", { client });
    expect(tokens.ok).toBe(true);
  });

  it("requires Reddit's User-Agent at the token endpoint", async () => {
    const { provider, code } = await codeFor("reddit");
    const response = await tokenRequest(
      provider,
      { grant_type: "authorization_code", code, redirect_uri: TEST_REDIRECT_URI },
      { headers: { accept: "application/json" } },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_description: expect.stringMatching(/User-Agent/) });
  });

  it("refuses an unknown grant type", async () => {
    const provider = oauthProvider("asana", sim.url);
    const response = await tokenRequest(provider, { grant_type: "password" });
    expect(await response.json()).toMatchObject({ error: "unsupported_grant_type" });
  });
});

describe("provider error styles", () => {
  it("Slack answers a bad code with HTTP 200 and ok:false", async () => {
    const slack = oauthProvider("slack", sim.url);
    const response = await tokenRequest(slack, {
      grant_type: "authorization_code",
      code: "not-a-code",
      redirect_uri: TEST_REDIRECT_URI,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: false, error: "invalid_code" });
  });

  it("GitHub answers a bad code with HTTP 200 and an error field", async () => {
    const github = oauthProvider("github", sim.url);
    const response = await tokenRequest(github, {
      grant_type: "authorization_code",
      code: "not-a-code",
      redirect_uri: TEST_REDIRECT_URI,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      error: "bad_verification_code",
      error_description: expect.any(String),
    });
  });

  it("GitHub answers form-encoded without Accept: application/json", async () => {
    const github = oauthProvider("github", sim.url);
    const response = await tokenRequest(
      github,
      { grant_type: "authorization_code", code: "not-a-code", redirect_uri: TEST_REDIRECT_URI },
      { headers: {} },
    );
    expect(response.headers.get("content-type")).toMatch(/x-www-form-urlencoded/);
    expect(new URLSearchParams(await response.text()).get("error")).toBe("bad_verification_code");
  });

  it("standard providers answer 400 with an RFC 6749 error", async () => {
    const jira = oauthProvider("jira", sim.url);
    const response = await tokenRequest(jira, {
      grant_type: "authorization_code",
      code: "x",
      redirect_uri: TEST_REDIRECT_URI,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });
});

describe("authorize checks", () => {
  it("shows an error page, without redirecting, for an unknown client_id", async () => {
    const response = await getManual(
      authorizeUrl(oauthProvider("slack", sim.url), { params: { client_id: "someone-else" } }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Unknown client_id");
  });

  it("shows an error page for a redirect_uri the client did not register", async () => {
    sim.control.setClient("slack", { ...sim.control.client("slack"), redirectUris: ["https://app.test/cb"] });
    const response = await getManual(authorizeUrl(oauthProvider("slack", sim.url)));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("not registered");
  });

  it("requires state", async () => {
    const response = await getManual(authorizeUrl(oauthProvider("asana", sim.url), { params: { state: null } }));
    expect(response.status).toBe(400);
  });

  it("redirects with invalid_scope when Slack scopes are space-separated", async () => {
    const slack = oauthProvider("slack", sim.url);
    const response = await getManual(authorizeUrl(slack, { params: { scope: "chat:write channels:read" } }));
    expect(redirectParams(response).get("error")).toBe("invalid_scope");
  });

  it("redirects with invalid_request when the catalog's PKCE is missing", async () => {
    const response = await getManual(authorizeUrl(oauthProvider("github", sim.url), { codeChallenge: null }));
    expect(Object.fromEntries(redirectParams(response))).toMatchObject({
      error: "invalid_request",
      state: "state-123",
    });
  });

  it("refuses a PKCE challenge where the catalog has none (Slack)", async () => {
    const response = await getManual(
      authorizeUrl(oauthProvider("slack", sim.url), { codeChallenge: pkcePair().challenge }),
    );
    expect(redirectParams(response).get("error")).toBe("invalid_request");
  });

  it("refuses plain PKCE", async () => {
    const { verifier } = pkcePair();
    const response = await getManual(
      authorizeUrl(oauthProvider("zoom", sim.url), {
        codeChallenge: verifier,
        params: { code_challenge_method: "plain" },
      }),
    );
    expect(redirectParams(response).get("error")).toBe("invalid_request");
  });

  it.each([
    ["reddit", "duration"],
    ["jira", "audience"],
    ["notion", "owner"],
    ["gmail", "access_type"],
  ])("%s requires its extra authorize parameter %s", async (id, param) => {
    const provider = oauthProvider(id, sim.url);
    const response = await getManual(
      authorizeUrl(provider, { codeChallenge: provider.pkce ? pkcePair().challenge : null, params: { [param]: null } }),
    );
    const query = redirectParams(response);
    expect(query.get("error")).toBe("invalid_request");
    expect(query.get("error_description")).toContain(param);
  });

  it("requires response_type=code", async () => {
    const response = await getManual(
      authorizeUrl(oauthProvider("notion", sim.url), { params: { response_type: "token" } }),
    );
    expect(redirectParams(response).get("error")).toBe("unsupported_response_type");
  });
});

describe("provider-shaped token answers", () => {
  beforeEach(() => sim.control.setAutoApprove(true));

  it("Slack: ok, a bot token, the team", async () => {
    const { tokens } = await connect(sim.url, "slack");
    expect(tokens).toMatchObject({ ok: true, token_type: "bot", team: { id: "sim-slack-account" } });
    expect(tokens.access_token).toMatch(/^xoxb-/);
    expect(tokens.expires_in).toBeUndefined();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("Notion: workspace and bot ids, JSON token request with Basic auth", async () => {
    const { tokens } = await connect(sim.url, "notion");
    expect(tokens).toMatchObject({
      workspace_id: "sim-notion-account",
      workspace_name: expect.any(String),
      bot_id: expect.any(String),
    });
  });

  it("Salesforce: instance_url points back at the simulator, no expires_in, and the API answers there", async () => {
    const { provider, tokens, accessToken } = await connect(sim.url, "salesforce");
    expect(tokens.instance_url).toBe(`${sim.url}/salesforce`);
    expect(tokens.expires_in).toBeUndefined();
    const me = await callTest(provider, accessToken, { tokenResponse: tokens });
    expect(readAccount(provider, await me.json())).toMatchObject({ ok: true, accountId: "sim-salesforce-account" });
  });
});
