import { describe, expect, test } from "vitest";
import { getProviderOrThrow, type OAuth2Provider } from "../providers";
import type { SendResult } from "../http";
import { buildAuthorizeUrl, buildTokenRequest, issuerMatches, parseTokenAnswer } from "./client";
import { classifyProviderError, OAuthError } from "./errors";

const oauth = (id: string) => getProviderOrThrow(id) as OAuth2Provider;
const client = { clientId: "cid", clientSecret: "secret", redirectUri: "http://localhost:3000/api/integrations/x/callback" };
const json = (body: unknown, status = 200, retryAfterSeconds?: number): SendResult => ({
  kind: "response",
  status,
  headers: new Headers({ "content-type": "application/json" }),
  body: JSON.stringify(body),
  bodyTruncated: false,
  retryAfterSeconds,
});
const failure = (run: () => unknown): OAuthError => {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error("expected an OAuthError");
};

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

describe("parseTokenAnswer", () => {
  test("reads tokens, expiry and the metadata the catalog keeps", () => {
    const before = Date.now();
    const set = parseTokenAnswer(
      oauth("slack"),
      json({ ok: true, access_token: "xoxb-1", token_type: "bot", expires_in: 60, team: { id: "T1", name: "Acme" }, scope: "chat:write,channels:read" }),
    );
    expect(set.accessToken).toBe("xoxb-1");
    expect(set.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(set.metadata).toMatchObject({ "team.id": "T1", "team.name": "Acme" });
    expect(set.scopes).toEqual(["chat:write", "channels:read"]);
  });

  test("a missing or zero expires_in means no known expiry", () => {
    expect(parseTokenAnswer(oauth("github"), json({ access_token: "a", token_type: "bearer" })).expiresAt).toBeNull();
    expect(parseTokenAnswer(oauth("github"), json({ access_token: "a", token_type: "bearer", expires_in: 0 })).expiresAt).toBeNull();
  });

  test("a Bearer token in any case is accepted; DPoP, mac or no token_type is refused (RFC 6749 §7.1)", () => {
    for (const type of ["Bearer", "bearer", "BEARER"]) {
      expect(parseTokenAnswer(oauth("github"), json({ access_token: "a", token_type: type })).accessToken).toBe("a");
    }
    for (const type of ["DPoP", "mac", "", undefined, 7]) {
      const error = failure(() => parseTokenAnswer(oauth("github"), json({ access_token: "secret_at", token_type: type })));
      expect(error.failure).toBe("unsupported_token_type");
      expect(error.message).not.toContain("secret_at");
    }
  });

  test("what the catalog documents instead of Bearer: Slack's bot and user tokens, and only those", () => {
    expect(parseTokenAnswer(oauth("slack"), json({ ok: true, access_token: "xoxb", token_type: "bot" })).accessToken).toBe("xoxb");
    expect(parseTokenAnswer(oauth("slack"), json({ ok: true, access_token: "xoxp", token_type: "user" })).accessToken).toBe("xoxp");
    expect(failure(() => parseTokenAnswer(oauth("slack"), json({ ok: true, access_token: "x", token_type: "Bearer" }))).failure).toBe(
      "unsupported_token_type",
    );
  });

  test("Slack's 200 ok:false and GitHub's 200 error are errors, classified", () => {
    expect(failure(() => parseTokenAnswer(oauth("slack"), json({ ok: false, error: "invalid_code" })))).toMatchObject({
      failure: "invalid_grant",
      providerError: "invalid_code",
    });
    expect(failure(() => parseTokenAnswer(oauth("github"), json({ error: "bad_verification_code" })))).toMatchObject({
      failure: "invalid_grant",
    });
  });

  test("429 and 5xx are retryable with their Retry-After", () => {
    expect(failure(() => parseTokenAnswer(oauth("github"), json({}, 429, 7)))).toMatchObject({
      failure: "unavailable",
      retryAfterSeconds: 7,
      retryable: true,
    });
    expect(failure(() => parseTokenAnswer(oauth("github"), json({}, 503)))).toMatchObject({ failure: "unavailable", status: 503 });
  });

  test("a 4xx without an error field is refused with its status as the code", () => {
    expect(failure(() => parseTokenAnswer(oauth("zoom"), json({}, 400)))).toMatchObject({
      failure: "bad_response",
      providerError: "http_400",
    });
  });

  test("a redirect, a network error and a timeout are failures, never followed or retried here", () => {
    expect(failure(() => parseTokenAnswer(oauth("github"), json({}, 307)))).toMatchObject({ failure: "bad_response", status: 307 });
    expect(failure(() => parseTokenAnswer(oauth("github"), { kind: "network_error" }))).toMatchObject({ failure: "network" });
    expect(failure(() => parseTokenAnswer(oauth("github"), { kind: "timeout" }))).toMatchObject({ failure: "network" });
  });

  test("an answer without an access token is a bad response, and no message holds a token", () => {
    const error = failure(() => parseTokenAnswer(oauth("github"), json({ refresh_token: "ghr_secret" })));
    expect(error).toMatchObject({ failure: "bad_response" });
    expect(String(error.message)).not.toContain("ghr_secret");
  });
});

describe("buildTokenRequest", () => {
  const odd = { ...client, clientId: "id with space", clientSecret: "p%+/=é" };
  test("HTTP Basic client auth form-urlencodes id and secret before base64 (RFC 6749 §2.3.1)", () => {
    const request = buildTokenRequest(oauth("zoom"), odd, "token", { grant_type: "authorization_code", code: "c" });
    const encoded = request.headers.get("Authorization")!.replace(/^Basic /, "");
    const decoded = new TextDecoder().decode(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)));
    expect(decoded).toBe("id+with+space:p%25%2B%2F%3D%C3%A9");
    expect(new URLSearchParams(request.body).has("client_secret")).toBe(false);
  });
  test("body client auth puts id and secret in the form; Notion's token requests are JSON", () => {
    const github = buildTokenRequest(oauth("github"), odd, "token", { grant_type: "authorization_code", code: "c" });
    expect(github.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(github.body).get("client_secret")).toBe("p%+/=é");
    expect(github.headers.has("Authorization")).toBe(false);
    expect(github.headers.get("Accept")).toBe("application/json");
    const notion = buildTokenRequest(oauth("notion"), client, "refresh", { grant_type: "refresh_token", refresh_token: "r" });
    expect(notion.headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(notion.body!)).toEqual({ grant_type: "refresh_token", refresh_token: "r" });
    expect(notion.purpose).toBe("refresh");
  });
  test("the provider's token request headers are sent (Reddit's User-Agent)", () => {
    const reddit = buildTokenRequest(oauth("reddit"), client, "token", { grant_type: "authorization_code", code: "c" });
    expect(reddit.headers.get("User-Agent")).toMatch(/^web:switchboard:/);
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

describe("issuerMatches", () => {
  const value = "https://accounts.example.com";
  test("a known issuer must match exactly (no prefix, no trailing slash, no case games)", () => {
    const provider = { issuer: { value, alwaysSent: false } };
    expect(issuerMatches(provider, value)).toBe(true);
    for (const iss of [`${value}/`, "https://ACCOUNTS.example.com", `${value}.evil.test`, "https://evil.example", ""]) {
      expect(issuerMatches(provider, iss), iss).toBe(false);
    }
    expect(issuerMatches(provider, undefined)).toBe(true);
  });
  test("a provider that always sends iss is refused without one", () => {
    expect(issuerMatches({ issuer: { value, alwaysSent: true } }, undefined)).toBe(false);
    expect(issuerMatches({ issuer: { value, alwaysSent: true } }, value)).toBe(true);
  });
  test("without a known issuer there is nothing to compare", () => {
    expect(issuerMatches({ issuer: undefined }, "https://anything.example")).toBe(true);
  });
});
