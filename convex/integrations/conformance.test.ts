/**
 * OAuth conformance against the simulator playing a strict authorization server:
 * RFC 6749 §7.1 token types, RFC 9207 issuer identification in the authorization
 * response, and PKCE verifiers. Each refusal saves nothing.
 */
import { describe, expect, inject, test } from "vitest";
import { getProviderOrThrow, resolveEndpoints, type OAuth2Provider } from "../../lib/providers";
import { api } from "../_generated/api";
import { worldPerTest, type World } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

/** start → approve at the simulator → complete, returning complete's answer (and the iss the simulator sent). */
async function connectFlow(w: World, providerId: string, override: { iss?: string | null } = {}) {
  const { authorizeUrl } = await w.admin.as.action(api.integrations.oauth.start, {
    orgId: w.orgId,
    providerId,
    mode: "redirect",
    returnTo: "/o/acme/settings/integrations",
  });
  const response = await fetch(authorizeUrl, { redirect: "manual" });
  const params = new URL(response.headers.get("location")!).searchParams;
  const iss = override.iss === undefined ? (params.get("iss") ?? undefined) : (override.iss ?? undefined);
  const result = await w.admin.as.action(api.integrations.oauth.complete, {
    providerId,
    state: params.get("state")!,
    code: params.get("code")!,
    iss,
  });
  return { result, sentIss: params.get("iss") };
}

const rows = (w: World) => w.t.run((ctx) => ctx.db.query("connections").collect());

describe("token types (RFC 6749 §7.1)", () => {
  test.each(["DPoP", "mac", null])("a %s token is refused with unsupported_token_type and nothing is stored", async (tokenType) => {
    const w = await setup(simulatorUrl, "");
    await w.simulator.tokenTypeNext("github", tokenType);
    const { result } = await connectFlow(w, "github");
    expect(result).toMatchObject({ ok: false, code: "unsupported_token_type" });
    expect(await rows(w)).toEqual([]);
    const audit = await w.audit();
    expect(audit.find((e) => e.action === "integration.connect_failed")?.details).toEqual({ code: "unsupported_token_type" });
  });

  test("bearer in any case connects", async () => {
    const w = await setup(simulatorUrl, "");
    await w.simulator.tokenTypeNext("github", "BEARER");
    expect((await connectFlow(w, "github")).result).toMatchObject({ ok: true });
  });

  test("a refresh answering a token type we cannot use keeps the old token and retries later", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const before = await w.connection();
    await w.simulator.tokenTypeNext("github", "DPoP");
    await w.expireEverywhere();
    await expect(w.call({ path: "/user" })).rejects.toThrow(/PROVIDER_UNAVAILABLE|could not be refreshed/);
    const after = await w.connection();
    expect(after.secrets.accessToken).toBe(before.secrets.accessToken);
    expect(after.status).toBe("connected");
    expect(after.refreshRetryAt).toBeGreaterThan(Date.now());
  });
});

describe("issuer identification (RFC 9207)", () => {
  test("Google's own issuer in the callback connects; the simulator sends it", async () => {
    const w = await setup(simulatorUrl, "");
    const { result, sentIss } = await connectFlow(w, "gmail");
    const gmail = resolveEndpoints(getProviderOrThrow("gmail"), { simulatorBaseUrl: simulatorUrl }) as OAuth2Provider;
    expect(sentIss).toBe(gmail.issuer!.value);
    expect(result).toMatchObject({ ok: true });
  });

  test("another server's issuer is refused before the code is spent, and nothing is stored", async () => {
    const w = await setup(simulatorUrl, "");
    await w.simulator.issuerNext("gmail", "wrong");
    const tokenRequests = () => w.simulator.requestCount({ providerId: "gmail", endpoint: "token" });
    const before = await tokenRequests();
    const { result } = await connectFlow(w, "gmail");
    expect(result).toMatchObject({ ok: false, code: "issuer_mismatch" });
    expect(await tokenRequests()).toBe(before);
    expect(await rows(w)).toEqual([]);
  });

  test("no iss is accepted where the provider does not always send one", async () => {
    const w = await setup(simulatorUrl, "");
    await w.simulator.issuerNext("gmail", "none");
    expect((await connectFlow(w, "gmail")).result).toMatchObject({ ok: true });
  });
});
