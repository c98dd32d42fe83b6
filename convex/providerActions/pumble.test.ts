/** Pumble's action through the step contract, against the simulator's incoming-webhook receiver. */
import { describe, expect, inject, test } from "vitest";
import { api } from "../_generated/api";
import { worldPerTest, type World } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

async function connectPumble(w: World) {
  const webhookUrl = await w.simulator.webhookUrl("pumble");
  await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "pumble", values: { webhookUrl } });
  return webhookUrl;
}

describe("pumble.post_message", () => {
  test("posts { text } as JSON to the stored webhook URL and answers delivered", async () => {
    const w = await setup(simulatorUrl, "");
    const url = await connectPumble(w);
    const result = await w.runAction("pumble.post_message", { text: "Deploy finished ✓" });
    expect(result).toMatchObject({ ok: true, output: { delivered: true } });
    const delivery = (await w.simulator.webhookDeliveries({ providerId: "pumble" })).at(-1)!;
    expect(delivery).toMatchObject({ method: "POST", path: new URL(url).pathname, contentType: "application/json", body: { text: "Deploy finished ✓" } });
    const [log] = await w.logs();
    expect(log).toMatchObject({ method: "POST", status: 200, path: `${new URL(url).host} (webhook URL)` });
  });

  test("a removed webhook (404) is auth_revoked; 429 and 503 by status, each sent once", async () => {
    const w = await setup(simulatorUrl, "");
    await connectPumble(w);
    await w.simulator.webhookAnswerNext("pumble", { status: 404, text: "Not Found" });
    expect(await w.runAction("pumble.post_message", { text: "x" })).toMatchObject({
      ok: false,
      error: { code: "auth_revoked", status: 404, message: expect.stringMatching(/reconnect Pumble/) },
    });
    await w.simulator.webhookAnswerNext("pumble", { status: 429, headers: { "Retry-After": "20" }, json: { error: "slow down" } });
    expect(await w.runAction("pumble.post_message", { text: "x" })).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterMs: 20_000 } });
    await w.simulator.webhookAnswerNext("pumble", { status: 503 });
    expect(await w.runAction("pumble.post_message", { text: "x" })).toMatchObject({ ok: false, error: { code: "provider_error", retryable: true, status: 503 } });
    // The connect check, then three sends: none was repeated.
    expect(await w.simulator.webhookDeliveries({ providerId: "pumble" })).toHaveLength(4);
    expect(await w.runAction("pumble.post_message", { text: " " })).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { text: "Write the message." } } });
  });
});
