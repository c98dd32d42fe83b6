/**
 * What every request to a provider guarantees on the wire, whatever sends it (token
 * exchange, Test click, call): redirects are never followed, so nothing reaches
 * another origin; OAuth clients authenticate with HTTP Basic exactly as RFC 6749
 * §2.3.1 says; a huge answer is cut at the cap without being read whole.
 */
import { afterEach, describe, expect, inject, test } from "vitest";
import { connectSimulator } from "../../tools/provider-simulator/control-client";
import { api } from "../_generated/api";
import { connectOAuth } from "../test.helpers";
import { CALL_MAX_RESPONSE_BYTES } from "./send";
import { worldPerTest } from "./test.world";

const simulatorUrl = inject("simulatorUrl");
const otherOrigin = connectSimulator(inject("otherOriginUrl"));
const stolen = `${inject("otherOriginUrl")}/github/user`;

const setupWorld = worldPerTest();
afterEach(() => {
  delete process.env.ZOOM_CLIENT_ID;
  delete process.env.ZOOM_CLIENT_SECRET;
});
async function setup(...args: Parameters<typeof setupWorld>) {
  await otherOrigin.reset();
  return setupWorld(...args);
}
const arrivedElsewhere = async () => (await otherOrigin.requests()).length;

describe("a 307 to another origin sends nothing there", () => {
  test("from the token endpoint: the connect fails and the credential-bearing request is not repeated", async () => {
    const w = await setup(simulatorUrl, "");
    await w.simulator.redirectNext("github", { location: stolen, status: 307, path: "/github/login/oauth/access_token" });
    await expect(connectOAuth(w.admin, w.orgId, "github")).rejects.toThrow(/token_exchange_failed/);
    expect(await arrivedElsewhere()).toBe(0);
    expect((await w.allLogs()).find((row) => row.purpose === "token")).toMatchObject({ status: 307 });
  });

  test("from a Test click: the test fails, nothing is marked broken", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.redirectNext("github", { location: stolen, status: 307 });
    const result = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: "github" });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining("HTTP 307") });
    expect(await arrivedElsewhere()).toBe(0);
    expect((await w.connection()).status).toBe("connected");
  });

  test.each([301, 302, 303, 307, 308] as const)("from a call: a %i is handed back as the answer", async (status) => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.redirectNext("github", { location: stolen, status });
    const answer = await w.call({ path: "/user" });
    expect(answer.status).toBe(status);
    expect(answer.headers.location).toBe(stolen);
    expect(await arrivedElsewhere()).toBe(0);
  });
});

describe("OAuth client authentication with HTTP Basic (RFC 6749 §2.3.1)", () => {
  test("a client secret holding % + / = and a space authenticates at the token, refresh and revocation endpoints", async () => {
    const w = await setup(simulatorUrl, "");
    const client = { clientId: "zoom client:1", clientSecret: "s%2B+/=x y==" };
    await w.simulator.setClient("zoom", client);
    process.env.ZOOM_CLIENT_ID = client.clientId;
    process.env.ZOOM_CLIENT_SECRET = client.clientSecret;
    await connectOAuth(w.admin, w.orgId, "zoom");
    expect((await w.connection("zoom")).status).toBe("connected");
    const { revokedAtProvider } = await w.admin.as.action(api.integrations.connections.disconnect, {
      orgId: w.orgId,
      providerId: "zoom",
    });
    expect(revokedAtProvider).toBe(true);
    const refused = (await w.simulator.requests({ providerId: "zoom" })).filter((entry) => entry.status === 401);
    expect(refused).toEqual([]);
  });
});

describe("a 50 MB answer", () => {
  test("is cut at the call's cap, flagged and logged truncated, and the rest is never read", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.hugeBodyNext("github", { bytes: 50 * 1024 * 1024, path: "/github/user" });
    const answer = await w.call({ path: "/user" });
    expect(answer.status).toBe(200);
    expect(answer.bodyTruncated).toBe(true);
    expect(answer.body.length).toBe(CALL_MAX_RESPONSE_BYTES);
    const [log] = await w.logs();
    expect(log).toMatchObject({ status: 200, responseTruncated: true });
    // The simulator learns of the hang-up a moment after the client cancels.
    const served = async () =>
      (await w.simulator.requests({ providerId: "github", path: "/github/user" })).find((entry) => entry.stream)!.stream!;
    for (let i = 0; i < 50 && (await served()).outcome === "streaming"; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await served()).outcome).toBe("aborted");
    expect((await served()).bytesSent).toBeLessThan(20 * 1024 * 1024);
  });
});
