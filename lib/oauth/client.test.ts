import { describe, expect, test } from "vitest";
import { getProviderOrThrow, type OAuth2Provider } from "../providers";
import { buildAuthorizeUrl, parseRetryAfter, parseTokenResponse } from "./client";
import { classifyProviderError, OAuthError } from "./errors";

const oauth = (id: string) => getProviderOrThrow(id) as OAuth2Provider;
const client = { clientId: "cid", clientSecret: "secret", redirectUri: "http://localhost:3000/api/integrations/x/callback" };
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("buildAuthorizeUrl", () => {
  test("joins scopes with the provider's separator and adds its extra parameters", () => {
    const slack = buildAuthorizeUrl(oauth("slack"), client, { state: "s", codeVerifier: null, scopes: ["a", "b"] });
    expect(slack.searchParams.get("scope")).toBe("a,b");
    const reddit = buildAuthorizeUrl(oauth("reddit"), client, { state: "s", codeVerifier: null, scopes: ["identity", "read"] });
    expect(reddit.searchParams.get("scope")).toBe("identity read");
    expect(reddit.searchParams.get("duration")).toBe("permanent");
  });

  test("sends an S256 challenge only to providers that take PKCE", () => {
    const github = buildAuthorizeUrl(oauth("github"), client, { state: "s", codeVerifier: "v".repeat(43), scopes: [] });
    expect(github.searchParams.get("code_challenge_method")).toBe("S256");
    expect(github.searchParams.get("code_challenge")).not.toBe("v".repeat(43));
    const slack = buildAuthorizeUrl(oauth("slack"), client, { state: "s", codeVerifier: "v".repeat(43), scopes: [] });
    expect(slack.searchParams.has("code_challenge")).toBe(false);
  });
});

describe("parseTokenResponse", () => {
  test("reads tokens, expiry and the metadata the catalog keeps", async () => {
    const before = Date.now();
    const set = await parseTokenResponse(
      oauth("slack"),
      json({ ok: true, access_token: "xoxb-1", expires_in: 60, team: { id: "T1", name: "Acme" }, scope: "chat:write,channels:read" }),
    );
    expect(set.accessToken).toBe("xoxb-1");
    expect(set.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(set.metadata).toMatchObject({ "team.id": "T1", "team.name": "Acme" });
    expect(set.scopes).toEqual(["chat:write", "channels:read"]);
  });

  test("Slack's 200 ok:false and GitHub's 200 error are errors, classified", async () => {
    const slack = await parseTokenResponse(oauth("slack"), json({ ok: false, error: "invalid_code" })).catch((e) => e);
    expect(slack).toBeInstanceOf(OAuthError);
    expect(slack).toMatchObject({ failure: "invalid_grant", providerError: "invalid_code" });
    const github = await parseTokenResponse(oauth("github"), json({ error: "bad_verification_code" })).catch((e) => e);
    expect(github).toMatchObject({ failure: "invalid_grant" });
  });

  test("429 and 5xx are retryable with their Retry-After", async () => {
    const error = await parseTokenResponse(oauth("github"), json({}, 429, { "retry-after": "7" })).catch((e) => e);
    expect(error).toMatchObject({ failure: "unavailable", retryAfterSeconds: 7, retryable: true });
  });

  test("an answer without an access token is a bad response, and no message holds a token", async () => {
    const error = await parseTokenResponse(oauth("github"), json({ refresh_token: "ghr_secret" })).catch((e) => e);
    expect(error).toMatchObject({ failure: "bad_response" });
    expect(String(error.message)).not.toContain("ghr_secret");
  });
});

describe("classifyProviderError", () => {
  test.each([
    ["invalid_grant", "invalid_grant"],
    ["bad_refresh_token", "invalid_grant"],
    ["incorrect_client_credentials", "invalid_client"],
    ["temporarily_unavailable", "unavailable"],
    ["something_else", "bad_response"],
  ])("%s is %s", (code, failure) => {
    expect(classifyProviderError(code)).toBe(failure);
  });
});

describe("parseRetryAfter", () => {
  test("reads seconds and HTTP dates; ignores junk", () => {
    const now = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(parseRetryAfter("3", now)).toBe(3);
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
