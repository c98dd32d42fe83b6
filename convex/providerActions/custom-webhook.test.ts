/** The custom webhook action through the step contract, against the simulator's webhook receiver. */
import { describe, expect, inject, test } from "vitest";
import { api } from "../_generated/api";
import { worldPerTest, type World } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

/** Connects the custom webhook with these settings (its connect check delivers one test request) and returns its URL. */
async function connectHook(w: World, settings: Record<string, string> = { method: "POST", authMode: "none" }) {
  const url = await w.simulator.webhookUrl("custom-webhook");
  await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "custom-webhook", values: { url, ...settings } });
  return url;
}

/** Deliveries after the connect check. */
const deliveries = async (w: World) => (await w.simulator.webhookDeliveries({ providerId: "custom-webhook" })).slice(1);

const send = { body: { event: "deploy", version: "{{version}}", text: "Deployed {{version}}" }, variables: { version: "1.4.2" } };

describe("custom-webhook.send_request", () => {
  test("each auth mode arrives as configured, with the rendered body and the connection's method", async () => {
    const w = await setup(simulatorUrl, "");
    const modes: Array<[Record<string, string>, Record<string, string>]> = [
      [{ method: "POST", authMode: "none" }, {}],
      [{ method: "PUT", authMode: "header", headerName: "X-Hook-Key", headerValue: "hk-123" }, { "x-hook-key": "hk-123" }],
      [{ method: "PATCH", authMode: "bearer", bearerToken: "bt-456" }, { authorization: "Bearer bt-456" }],
      [{ method: "POST", authMode: "basic", basicUsername: "hook", basicPassword: "pw 789" }, { authorization: `Basic ${btoa("hook:pw 789")}` }],
    ];
    for (const [settings, expected] of modes) {
      const url = await connectHook(w, settings);
      const result = await w.runAction("custom-webhook.send_request", { ...send, headers: { "X-Source": "switchboard" } });
      expect(result).toMatchObject({ ok: true, output: { status: 200, body: { ok: true }, json: true } });
      const delivery = (await w.simulator.webhookDeliveries({ providerId: "custom-webhook" })).at(-1)!;
      expect(delivery).toMatchObject({
        method: settings.method,
        path: new URL(url).pathname,
        contentType: "application/json",
        body: { event: "deploy", version: "1.4.2", text: "Deployed 1.4.2" },
        headers: expect.objectContaining({ "x-source": "switchboard", ...expected }),
      });
      if (settings.authMode === "none") expect(delivery.headers.authorization).toBeUndefined();
      expect(delivery.headers["idempotency-key"]).toBeUndefined();
    }
    const explicit = await w.runAction("custom-webhook.send_request", { ...send, method: "PUT" });
    expect(explicit.ok).toBe(true);
    expect((await w.simulator.webhookDeliveries({ providerId: "custom-webhook" })).at(-1)!.method).toBe("PUT");
  });

  test("a 503 then a 200 with maxAttempts 2: two deliveries with the same Idempotency-Key, the run's correlation id", async () => {
    const w = await setup(simulatorUrl, "");
    await connectHook(w);
    await w.simulator.webhookAnswerNext("custom-webhook", { status: 503, headers: { "Retry-After": "0" }, json: { error: "busy" } });
    const result = await w.runAction("custom-webhook.send_request", { ...send, retry: { maxAttempts: 2 } }, { correlationId: "run-7.step-2" });
    expect(result).toMatchObject({ ok: true, correlationId: "run-7.step-2", output: { status: 200 } });
    const sent = await deliveries(w);
    expect(sent).toHaveLength(2);
    expect(sent.map((d) => d.headers["idempotency-key"])).toEqual(["run-7.step-2", "run-7.step-2"]);
    expect(sent[0]!.body).toEqual(sent[1]!.body);
    const [log] = await w.logs();
    expect(log).toMatchObject({ attempts: 2, status: 200, correlationId: "run-7.step-2" });
  });

  test("without retry a 503 is sent once and is a retryable provider_error with the Retry-After", async () => {
    const w = await setup(simulatorUrl, "");
    await connectHook(w);
    await w.simulator.webhookAnswerNext("custom-webhook", { status: 503, headers: { "Retry-After": "30" }, text: "down" });
    const result = await w.runAction("custom-webhook.send_request", send);
    expect(result).toMatchObject({ ok: false, error: { code: "provider_error", retryable: true, retryAfterMs: 30_000, status: 503 } });
    expect(await deliveries(w)).toHaveLength(1);
  });

  test("answers: JSON parsed into the output, text kept as text, a listed 404 is a success, an unlisted one is not", async () => {
    const w = await setup(simulatorUrl, "");
    await connectHook(w);
    await w.simulator.webhookAnswerNext("custom-webhook", { status: 201, headers: { "X-Request-Id": "req-1" }, json: { id: "evt_1", queued: true } });
    expect(await w.runAction("custom-webhook.send_request", send)).toMatchObject({
      ok: true,
      output: { status: 201, body: { id: "evt_1", queued: true }, json: true, headers: expect.objectContaining({ "x-request-id": "req-1" }) },
    });
    await w.simulator.webhookAnswerNext("custom-webhook", { status: 202, text: "accepted" });
    expect(await w.runAction("custom-webhook.send_request", send)).toMatchObject({ ok: true, output: { status: 202, body: "accepted", json: false } });
    await w.simulator.webhookAnswerNext("custom-webhook", { status: 404, json: { error: "no such hook" } }, 2);
    expect(await w.runAction("custom-webhook.send_request", { ...send, successStatuses: ["2xx", 404] })).toMatchObject({
      ok: true,
      output: { status: 404, body: { error: "no such hook" } },
    });
    expect(await w.runAction("custom-webhook.send_request", send)).toMatchObject({
      ok: false,
      error: { code: "provider_error", status: 404, retryable: false },
    });
  });

  test("a template naming an unknown variable is invalid input at its place, and nothing is sent", async () => {
    const w = await setup(simulatorUrl, "");
    await connectHook(w);
    const result = await w.runAction("custom-webhook.send_request", { body: { text: "Hi {{name}}" }, variables: { version: "1" } });
    expect(result).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { "body.text": "Nothing is called name." } } });
    const header = await w.runAction("custom-webhook.send_request", { body: {}, headers: { Authorization: "Bearer mine" } });
    expect(header).toMatchObject({ ok: false, error: { code: "invalid_input", fields: { "headers.Authorization": expect.any(String) } } });
    expect(await deliveries(w)).toEqual([]);
  });

  test("an endpoint slower than timeoutMs is a timeout; a 401 is auth_revoked", async () => {
    const w = await setup(simulatorUrl, "");
    await connectHook(w);
    await w.simulator.setLatency("custom-webhook", 1_500);
    const slow = await w.runAction("custom-webhook.send_request", { ...send, timeoutMs: 1_000 });
    expect(slow).toMatchObject({ ok: false, error: { code: "timeout", retryable: true } });
    await w.simulator.setLatency("custom-webhook", null);
    await w.simulator.webhookAnswerNext("custom-webhook", { status: 401, json: { error: "bad key" } });
    const refused = await w.runAction("custom-webhook.send_request", send);
    expect(refused).toMatchObject({ ok: false, error: { code: "auth_revoked", message: expect.stringMatching(/refused our credentials/) } });
  });
});
