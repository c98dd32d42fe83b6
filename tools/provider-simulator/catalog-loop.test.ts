import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { catalog, readAccount, resolveEndpoints, type OAuth2Provider } from "../../lib/providers/index";
import { startSimulator, type RunningSimulator } from "./server";
import { DEFAULT_BASIC_USER } from "./state";
import { callTest, connect } from "./testing";

/*
 * Every catalog entry, driven through the simulator exactly as the catalog describes it:
 * a new entry is covered here without writing a test for it.
 */

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

const oauth2 = catalog.filter((p): p is OAuth2Provider => p.authKind === "oauth2");

describe.each(oauth2.map((p) => [p.id]))("%s (oauth2)", (id) => {
  it("authorize → token → test endpoint names the account the catalog reads", async () => {
    const { provider, tokens, accessToken } = await connect(sim.url, id);
    const response = await callTest(provider, accessToken, { tokenResponse: tokens });
    expect(response.status).toBe(200);
    const reading = readAccount(provider, await response.json());
    expect(reading).toMatchObject({ ok: true, accountId: expect.any(String) });
    expect(reading.ok && reading.accountName).toEqual(expect.any(String));
    expect(sim.control.requestCount({ providerId: id, endpoint: "unknown" })).toBe(0);
  });

  it("refuses the test endpoint without a token", async () => {
    const { provider, tokens } = await connect(sim.url, id);
    const response = await callTest(provider, "not-a-token", { tokenResponse: tokens });
    const body = await response.json();
    if (provider.errorStyle === "slack_ok_false") expect(body).toMatchObject({ ok: false });
    else expect(response.status).toBe(401);
  });
});

describe("credential providers", () => {
  it("wordpress: the test request names the user", async () => {
    const wordpress = resolveEndpoints(
      catalog.find((p) => p.id === "wordpress")!,
      { simulatorBaseUrl: sim.url },
    );
    const response = await callTest(
      wordpress,
      { username: DEFAULT_BASIC_USER.username, applicationPassword: DEFAULT_BASIC_USER.password },
      { credentials: { siteUrl: sim.control.siteUrl("wordpress") } },
    );
    expect(readAccount(wordpress as never, await response.json())).toMatchObject({ ok: true });
  });

  it.each(catalog.filter((p) => p.authKind === "api_key").map((p) => [p.id]))(
    "%s: the test request names the account",
    async (id) => {
      const provider = resolveEndpoints(
        catalog.find((p) => p.id === id)!,
        { simulatorBaseUrl: sim.url },
      );
      const [credentials] = sim.control.apiKeyCredentials(id);
      const response = await callTest(provider, credentials!);
      expect(readAccount(provider as never, await response.json())).toMatchObject({ ok: true });
    },
  );

  it.each(catalog.filter((p) => p.authKind === "webhook_url").map((p) => [p.id]))(
    "%s: a sample payload posted to a webhook URL is recorded",
    async (id) => {
      const provider = catalog.find((p) => p.id === id)!;
      if (provider.authKind !== "webhook_url") throw new Error("not a webhook provider");
      const response = await fetch(sim.control.webhookUrl(id), {
        method: provider.webhook.defaultMethod,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(provider.webhook.samplePayload),
      });
      expect(response.status).toBe(200);
      expect(sim.control.webhookDeliveries({ providerId: id })[0]?.body).toEqual(provider.webhook.samplePayload);
    },
  );
});
