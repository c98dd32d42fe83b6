import { describe, expect, test } from "vitest";
import { getProviderOrThrow, type OAuth2Provider } from "../providers";
import type { SendResult } from "../http";
import type { ProviderRequest, SendOptions } from "../http";
import {
  buildAuthorizeUrl,
  buildTokenRequest,
  exchangeCode,
  issuerMatches,
  parseTokenAnswer,
  refreshTokens,
  TOKEN_REQUEST_TIMEOUT_MS,
  TOKEN_RESPONSE_MAX_BYTES,
} from "./client";
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

/** A token endpoint that records what it was sent and gives one answer. */
function tokenEndpoint(answer: SendResult) {
  const sent: Array<{ request: ProviderRequest; options: SendOptions | undefined }> = [];
  const send = async (request: ProviderRequest, options?: SendOptions) => {
    sent.push({ request, options });
    return answer;
  };
  return { sent, send };
}
const bearer = (fields: Record<string, unknown> = {}) => json({ access_token: "at_1", token_type: "bearer", ...fields });
const formOf = (request: ProviderRequest) => Object.fromEntries(new URLSearchParams(request.body));

describe("exchangeCode", () => {
  test("posts the code, the redirect URI, the PKCE verifier and the client's credentials to the token URL", async () => {
    const endpoint = tokenEndpoint(bearer({ refresh_token: "rt_1", expires_in: 3600 }));
    const before = Date.now();
    const set = await exchangeCode(oauth("github"), client, "the-code", "the-verifier", endpoint.send);
    expect(set).toMatchObject({ accessToken: "at_1", refreshToken: "rt_1" });
    expect(set.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    const [{ request, options }] = endpoint.sent;
    expect(request).toMatchObject({ purpose: "token", method: "POST" });
    expect(request.url.href).toBe("https://github.com/login/oauth/access_token");
    expect(formOf(request)).toEqual({
      grant_type: "authorization_code",
      code: "the-code",
      redirect_uri: client.redirectUri,
      code_verifier: "the-verifier",
      client_id: "cid",
      client_secret: "secret",
    });
    expect(options).toEqual({ timeoutMs: 15_000, maxResponseBytes: 65_536 });
    expect([TOKEN_REQUEST_TIMEOUT_MS, TOKEN_RESPONSE_MAX_BYTES]).toEqual([15_000, 65_536]);
  });

  test("sends no code_verifier without a verifier, nor to a provider that takes no PKCE", async () => {
    const github = tokenEndpoint(bearer());
    await exchangeCode(oauth("github"), client, "c", null, github.send);
    expect(formOf(github.sent[0].request)).not.toHaveProperty("code_verifier");
    const slack = tokenEndpoint(json({ ok: true, access_token: "xoxb", token_type: "bot" }));
    await exchangeCode(oauth("slack"), client, "c", "a-verifier", slack.send);
    expect(formOf(slack.sent[0].request)).not.toHaveProperty("code_verifier");
  });

  test("a refused code is an OAuthError naming the provider's code, never holding the code or secret", async () => {
    const endpoint = tokenEndpoint(json({ error: "bad_verification_code" }));
    const error = await exchangeCode(oauth("github"), client, "the-code", null, endpoint.send).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ failure: "invalid_grant", providerError: "bad_verification_code" });
    expect((error as Error).message).toBe("GitHub refused the request: bad_verification_code.");
  });
});

describe("refreshTokens", () => {
  test("posts the refresh token grant and keeps a rotated refresh token", async () => {
    const endpoint = tokenEndpoint(bearer({ refresh_token: "rt_2" }));
    const set = await refreshTokens(oauth("github"), client, "rt_1", endpoint.send);
    expect(set.refreshToken).toBe("rt_2");
    const [{ request, options }] = endpoint.sent;
    expect(request).toMatchObject({ purpose: "refresh", method: "POST" });
    expect(formOf(request)).toEqual({ grant_type: "refresh_token", refresh_token: "rt_1", client_id: "cid", client_secret: "secret" });
    expect(options).toEqual({ timeoutMs: TOKEN_REQUEST_TIMEOUT_MS, maxResponseBytes: TOKEN_RESPONSE_MAX_BYTES });
  });

  test("an answer without a refresh token keeps none (the caller keeps the old one)", async () => {
    const set = await refreshTokens(oauth("github"), client, "rt_1", tokenEndpoint(bearer()).send);
    expect(set.refreshToken).toBeNull();
  });
});

describe("buildAuthorizeUrl, without scopes", () => {
  test("sends no scope parameter when none is asked for", () => {
    for (const id of ["github", "slack"]) {
      const url = buildAuthorizeUrl(oauth(id), client, { state: "s", codeVerifier: "v".repeat(43), scopes: [] });
      expect(url.searchParams.has("scope")).toBe(false);
      expect(url.searchParams.get("state")).toBe("s");
      expect(url.searchParams.get("client_id")).toBe("cid");
    }
  });
});

describe("buildTokenRequest, the request line", () => {
  test("is a POST to the provider's token URL", () => {
    const request = buildTokenRequest(oauth("zoom"), client, "token", { grant_type: "authorization_code", code: "c" });
    expect(request.method).toBe("POST");
    expect(request.url.href).toBe(oauth("zoom").tokenUrl);
  });
});

describe("parseTokenAnswer, what the person is told", () => {
  const github = oauth("github");

  test("no answer says whether the provider was unreachable or too slow", () => {
    expect(failure(() => parseTokenAnswer(github, { kind: "timeout" })).message).toBe("GitHub did not answer in time.");
    expect(failure(() => parseTokenAnswer(github, { kind: "network_error" })).message).toBe("GitHub could not be reached.");
  });

  test("HTTP 500 is unavailable like 503, and the status is in the message", () => {
    const error = failure(() => parseTokenAnswer(github, json({}, 500)));
    expect(error).toMatchObject({ failure: "unavailable", status: 500, retryable: true });
    expect(error.message).toBe("GitHub is unavailable (HTTP 500).");
  });

  test("HTTP 300 is a redirect like 307: never followed", () => {
    const error = failure(() => parseTokenAnswer(github, json({}, 300)));
    expect(error).toMatchObject({ failure: "bad_response", status: 300 });
    expect(error.message).toBe("GitHub answered a redirect (HTTP 300).");
  });

  test("an answer that is not JSON, or JSON that is not an object, is a bad response with its status", () => {
    const html: SendResult = { kind: "response", status: 200, headers: new Headers(), body: "<html>Sign in</html>", bodyTruncated: false, retryAfterSeconds: undefined };
    const notJson = failure(() => parseTokenAnswer(github, html));
    expect(notJson).toMatchObject({ failure: "bad_response", status: 200 });
    expect(notJson.message).toBe("GitHub answered something that is not JSON.");
    for (const body of [null, 42, "at_1"]) {
      const error = failure(() => parseTokenAnswer(github, json(body)));
      expect(error).toMatchObject({ failure: "bad_response", status: 200 });
      expect(error.message).toBe("GitHub answered an unexpected body.");
    }
  });

  test("Slack's ok:false without an error code is still an error", () => {
    const error = failure(() => parseTokenAnswer(oauth("slack"), json({ ok: false, access_token: "xoxb", token_type: "bot" })));
    expect(error).toMatchObject({ failure: "bad_response", providerError: "unknown_error" });
    expect(error.message).toBe("Slack refused the request: unknown_error.");
  });

  test("an error field that is not a string is not a code: a 4xx is named by its status", () => {
    const error = failure(() => parseTokenAnswer(oauth("zoom"), json({ error: { message: "nope" } }, 401)));
    expect(error).toMatchObject({ failure: "bad_response", providerError: "http_401" });
    expect(error.message).toBe("Zoom refused the request: http_401.");
  });

  test("an unusable token type is named (cut to 40 characters), with the types Switchboard takes", () => {
    const dpop = failure(() => parseTokenAnswer(github, json({ access_token: "a", token_type: "DPoP" })));
    expect(dpop.message).toBe('GitHub answered token type "DPoP"; Switchboard can only use Bearer tokens.');
    const none = failure(() => parseTokenAnswer(github, json({ access_token: "a" })));
    expect(none.message).toBe("GitHub answered no token type; Switchboard can only use Bearer tokens.");
    const long = failure(() => parseTokenAnswer(github, json({ access_token: "a", token_type: "x".repeat(100) })));
    expect(long.message).toContain(`token type "${"x".repeat(40)}";`);
    const slack = failure(() => parseTokenAnswer(oauth("slack"), json({ ok: true, access_token: "a", token_type: "mac" })));
    expect(slack.message).toBe('Slack answered token type "mac"; Switchboard can only use bot or user tokens.');
  });

  test("an answer without an access token says so", () => {
    expect(failure(() => parseTokenAnswer(github, json({ token_type: "bearer" }))).message).toBe("GitHub sent no access token.");
  });
});

describe("parseTokenAnswer, what is kept", () => {
  test("an expires_in sent as a string of digits still sets the expiry", () => {
    const before = Date.now();
    const set = parseTokenAnswer(oauth("github"), bearer({ expires_in: "3600" }));
    expect(set.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(set.expiresAt).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });

  test("a negative or non-numeric expires_in means no known expiry", () => {
    for (const expires_in of [-60, "soon", null]) {
      expect(parseTokenAnswer(oauth("github"), bearer({ expires_in })).expiresAt).toBeNull();
    }
  });

  test("granted scopes ignore stray separators; no scope field means none reported", () => {
    expect(parseTokenAnswer(oauth("github"), bearer({ scope: " repo,  read:user, " })).scopes).toEqual(["repo", "read:user"]);
    expect(parseTokenAnswer(oauth("github"), bearer()).scopes).toBeNull();
  });

  test("metadata keeps string and number fields as strings, and nothing else", () => {
    const provider: OAuth2Provider = { ...oauth("github"), tokenResponseFields: ["instance_url", "issued_at", "flags", "nested", "missing"] };
    const set = parseTokenAnswer(
      provider,
      bearer({ instance_url: "https://acme.my.example", issued_at: 1700000000, flags: true, nested: { a: 1 } }),
    );
    expect(set.metadata).toEqual({ instance_url: "https://acme.my.example", issued_at: "1700000000" });
  });
});
