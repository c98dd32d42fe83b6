import { CodeChallengeMethod, generateCodeVerifier, OAuth2Client, OAuth2RequestError } from "arctic";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { scopesParam } from "../../lib/providers/index";
import { startSimulator, type RunningSimulator } from "./server";
import { callTest, getManual, oauthProvider, redirectParams, TEST_REDIRECT_URI } from "./testing";

/*
 * The OAuth layer is built on arctic's OAuth2Client; these tests show that client and the
 * simulator agree for providers whose catalog entry says Basic client authentication
 * (arctic always uses Basic when given a secret).
 */

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

describe("arctic OAuth2Client against the simulator", () => {
  it("Zoom: PKCE authorize, code exchange, refresh and revoke", async () => {
    const zoom = oauthProvider("zoom", sim.url);
    const client = new OAuth2Client("sim-zoom-client", "sim-zoom-secret", TEST_REDIRECT_URI);
    const verifier = generateCodeVerifier();
    const url = client.createAuthorizationURLWithPKCE(
      zoom.authorizeUrl,
      "st",
      CodeChallengeMethod.S256,
      verifier,
      zoom.defaultScopes,
    );
    const code = redirectParams(await getManual(url)).get("code")!;

    const tokens = await client.validateAuthorizationCode(zoom.tokenUrl, code, verifier);
    expect(tokens.accessTokenExpiresInSeconds()).toBe(3600);
    expect((await callTest(zoom, tokens.accessToken())).status).toBe(200);

    const refreshed = await client.refreshAccessToken(zoom.tokenUrl, tokens.refreshToken(), []);
    expect(refreshed.refreshToken()).not.toBe(tokens.refreshToken());

    await client.revokeToken(zoom.revoke!.url, refreshed.accessToken());
    expect((await callTest(zoom, refreshed.accessToken())).status).toBe(401);
  });

  it("Reddit: a reused code surfaces as OAuth2RequestError invalid_grant", async () => {
    const reddit = oauthProvider("reddit", sim.url);
    const client = new OAuth2Client("sim-reddit-client", "sim-reddit-secret", TEST_REDIRECT_URI);
    const url = client.createAuthorizationURL(reddit.authorizeUrl, "st", reddit.defaultScopes);
    for (const [name, value] of Object.entries(reddit.authorizeParams)) url.searchParams.set(name, value);
    const code = redirectParams(await getManual(url)).get("code")!;
    const tokens = await client.validateAuthorizationCode(reddit.tokenUrl, code, null);
    expect(tokens.hasRefreshToken()).toBe(true);
    const reused = await client.validateAuthorizationCode(reddit.tokenUrl, code, null).catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(OAuth2RequestError);
    expect((reused as OAuth2RequestError).code).toBe("invalid_grant");
  });

  it("Slack needs the catalog's comma separator: arctic's space-joined scope is refused", async () => {
    const slack = oauthProvider("slack", sim.url);
    const client = new OAuth2Client("sim-slack-client", "sim-slack-secret", TEST_REDIRECT_URI);
    const spaced = client.createAuthorizationURL(slack.authorizeUrl, "st", slack.defaultScopes);
    expect(redirectParams(await getManual(spaced)).get("error")).toBe("invalid_scope");
    spaced.searchParams.set("scope", scopesParam(slack, slack.defaultScopes));
    expect(redirectParams(await getManual(spaced)).get("code")).toBeTruthy();
  });
});
