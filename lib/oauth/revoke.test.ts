import { describe, expect, test } from "vitest";
import type { SendResult } from "../http";
import { getProviderOrThrow, type OAuth2Provider } from "../providers";
import {
  buildRevokeRequest,
  REVOCATION_GIVE_UP_AFTER_MS,
  REVOCATION_RETRY_BASE_MS,
  REVOCATION_RETRY_MAX_MS,
  revocationRetryPlan,
  revokeGrant,
} from "./revoke";

const oauth = (id: string) => getProviderOrThrow(id) as OAuth2Provider;
const client = { clientId: "cid", clientSecret: "s+/=", redirectUri: "https://app.example/cb" };
const tokens = { accessToken: "at", refreshToken: "rt" };
const answering = (result: SendResult) => async () => result;
const status = (code: number, retryAfterSeconds?: number): SendResult => ({
  kind: "response",
  status: code,
  headers: new Headers(),
  body: "",
  bodyTruncated: false,
  retryAfterSeconds,
});

describe("revokeGrant", () => {
  test("2xx is revoked; a 4xx failed for good; no answer, 429 and 5xx failed but worth retrying", async () => {
    const github = oauth("github");
    expect(await revokeGrant(github, client, tokens, answering(status(204)))).toEqual({ result: "revoked" });
    expect(await revokeGrant(github, client, tokens, answering(status(404)))).toMatchObject({ result: "failed", retryable: false });
    expect(await revokeGrant(github, client, tokens, answering(status(503)))).toMatchObject({ result: "failed", retryable: true });
    expect(await revokeGrant(github, client, tokens, answering(status(429, 30)))).toMatchObject({ retryable: true, retryAfterSeconds: 30 });
    expect(await revokeGrant(github, client, tokens, answering({ kind: "network_error" }))).toMatchObject({ retryable: true });
    expect(await revokeGrant(github, client, tokens, answering({ kind: "timeout" }))).toMatchObject({ retryable: true });
  });
  test("nothing is sent without a revocation endpoint or a token", async () => {
    const unreachable = async (): Promise<SendResult> => {
      throw new Error("sent");
    };
    expect(await revokeGrant(oauth("jira"), client, tokens, unreachable)).toEqual({ result: "not_supported" });
    expect(await revokeGrant(oauth("github"), client, { accessToken: null, refreshToken: null }, unreachable)).toEqual({ result: "no_token" });
  });
  test("the request follows the catalog: GitHub's DELETE with the client id in the path and RFC 6749 Basic", () => {
    const request = buildRevokeRequest(oauth("github"), client, tokens);
    if ("skip" in request) throw new Error("GitHub revokes");
    expect(request).toMatchObject({ purpose: "revoke", method: "DELETE" });
    expect(request.url.pathname).toBe("/applications/cid/token");
    expect(JSON.parse(request.body!)).toEqual({ access_token: "at" });
    expect(atob(request.headers.get("Authorization")!.replace("Basic ", ""))).toBe("cid:s%2B%2F%3D");
  });
});

describe("revocationRetryPlan", () => {
  const now = 1_000_000_000;
  test("backs off from a minute, doubling, capped at an hour, honouring Retry-After", () => {
    expect(revocationRetryPlan({ attempts: 1, firstFailedAt: now, retryAfterSeconds: undefined }, now, () => 1)).toEqual({
      retry: true,
      at: now + REVOCATION_RETRY_BASE_MS,
    });
    expect(revocationRetryPlan({ attempts: 3, firstFailedAt: now, retryAfterSeconds: undefined }, now, () => 1)).toEqual({
      retry: true,
      at: now + 4 * REVOCATION_RETRY_BASE_MS,
    });
    expect(revocationRetryPlan({ attempts: 30, firstFailedAt: now, retryAfterSeconds: undefined }, now, () => 1)).toEqual({
      retry: true,
      at: now + REVOCATION_RETRY_MAX_MS,
    });
    expect(revocationRetryPlan({ attempts: 1, firstFailedAt: now, retryAfterSeconds: 600 }, now, () => 0)).toEqual({
      retry: true,
      at: now + 600_000,
    });
  });
  test("gives up three days after the first failure", () => {
    expect(revocationRetryPlan({ attempts: 50, firstFailedAt: now - REVOCATION_GIVE_UP_AFTER_MS, retryAfterSeconds: undefined }, now)).toEqual({
      retry: false,
    });
    expect(revocationRetryPlan({ attempts: 50, firstFailedAt: now - REVOCATION_GIVE_UP_AFTER_MS + 1, retryAfterSeconds: undefined }, now).retry).toBe(
      true,
    );
  });
});

describe("buildRevokeRequest, per catalog style", () => {
  const request = (id: string, given: { accessToken: string | null; refreshToken: string | null } = tokens) => {
    const built = buildRevokeRequest(oauth(id), client, given);
    if ("skip" in built) throw new Error(`${id} skipped: ${built.skip}`);
    return built;
  };
  const form = (body: string | undefined) => Object.fromEntries(new URLSearchParams(body));

  test("Google revokes the refresh token (the whole grant) as a form field, without client credentials", () => {
    const google = request("gmail");
    expect(google).toMatchObject({ purpose: "revoke", method: "POST" });
    expect(google.url.href).toBe("https://oauth2.googleapis.com/revoke");
    expect(google.headers.get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(form(google.body)).toEqual({ token: "rt" });
    expect(google.headers.has("Authorization")).toBe(false);
  });

  test("a refresh-token revocation falls back to the access token when there is no refresh token", () => {
    expect(form(request("gmail", { accessToken: "at", refreshToken: null }).body)).toEqual({ token: "at" });
    expect(buildRevokeRequest(oauth("gmail"), client, { accessToken: null, refreshToken: null })).toEqual({ skip: "no_token" });
  });

  test("an access-token revocation sends the access token even when a refresh token exists", () => {
    expect(form(request("zoom").body)).toEqual({ token: "at" });
    expect(buildRevokeRequest(oauth("zoom"), client, { accessToken: null, refreshToken: "rt" })).toEqual({ skip: "no_token" });
  });

  test("Asana and LinkedIn authenticate the client in the body, not with Basic", () => {
    expect(form(request("asana").body)).toEqual({ token: "rt", client_id: "cid", client_secret: "s+/=" });
    expect(request("linkedin").headers.has("Authorization")).toBe(false);
  });

  test("Reddit: Basic client auth plus its token_type_hint", () => {
    const reddit = request("reddit");
    expect(form(reddit.body)).toEqual({ token_type_hint: "refresh_token", token: "rt" });
    expect(atob(reddit.headers.get("Authorization")!.replace("Basic ", ""))).toBe("cid:s%2B%2F%3D");
  });

  test("Slack and Linear: the token as a Bearer header and no body at all", () => {
    for (const id of ["slack", "linear"]) {
      const bearer = request(id);
      expect(bearer.headers.get("Authorization")).toBe("Bearer at");
      expect(bearer.body).toBeUndefined();
      expect(bearer.headers.has("Content-Type")).toBe(false);
    }
  });

  test("Notion: JSON with the token and Basic client auth", () => {
    const notion = request("notion");
    expect(notion.headers.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(notion.body!)).toEqual({ token: "at" });
    expect(notion.headers.get("Authorization")).toMatch(/^Basic /);
  });

  test("a JSON revocation without client auth sends the token alone", () => {
    const provider = { ...oauth("notion"), revoke: { ...oauth("notion").revoke!, tokenIn: "json" as const, clientAuth: "none" as const } };
    const built = buildRevokeRequest(provider, client, tokens);
    expect("skip" in built ? null : JSON.parse(built.body!)).toEqual({ token: "at" });
  });
});

describe("revokeGrant, at the edges", () => {
  test("sends with the token endpoint's time limit and a 16 KiB cap", async () => {
    const options: unknown[] = [];
    await revokeGrant(oauth("gmail"), client, tokens, async (_request, sendOptions) => {
      options.push(sendOptions);
      return status(200);
    });
    expect(options).toEqual([{ timeoutMs: 15_000, maxResponseBytes: 16_384 }]);
  });

  test("exactly 200 and 299 are revoked; 199, 300 and 301 are not; 500 is retryable, 499 is not", async () => {
    const github = oauth("github");
    for (const code of [200, 299]) expect(await revokeGrant(github, client, tokens, answering(status(code)))).toEqual({ result: "revoked" });
    for (const code of [199, 300, 301]) {
      expect(await revokeGrant(github, client, tokens, answering(status(code)))).toMatchObject({ result: "failed", status: code });
    }
    expect(await revokeGrant(github, client, tokens, answering(status(500)))).toMatchObject({ result: "failed", retryable: true });
    expect(await revokeGrant(github, client, tokens, answering(status(499)))).toMatchObject({ result: "failed", retryable: false });
    expect(await revokeGrant(github, client, tokens, answering({ kind: "timeout" }))).toEqual({ result: "failed", retryable: true });
  });

  test("gives up after exactly three days", () => {
    expect(REVOCATION_GIVE_UP_AFTER_MS).toBe(259_200_000);
  });
});
