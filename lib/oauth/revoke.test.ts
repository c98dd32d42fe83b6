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
