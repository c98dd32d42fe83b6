/** The step contract's own rules, whatever the action: input, scopes, connection, idempotency. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();

describe("internal.providerActions.run.run", () => {
  test("invalid input answers per-field messages and sends nothing", async () => {
    const w = await setup(simulatorUrl, "slack");
    const result = await w.runAction("slack.post_message", { channel: "", text: 42 });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "invalid_input", retryable: false, fields: { channel: "Choose a channel.", text: expect.any(String) } },
    });
    expect(!result.ok && result.error.message).toMatch(/channel, text/);
    expect(await w.simulator.apiCalls({ providerId: "slack" })).toEqual([]);
    expect(await w.logs()).toEqual([]);
  });

  test("an unknown action is invalid input", async () => {
    const w = await setup(simulatorUrl, "slack");
    expect(await w.runAction("slack.launch_rocket", {})).toMatchObject({
      ok: false,
      error: { code: "invalid_input", message: 'There is no action called "slack.launch_rocket".' },
    });
  });

  test("a missing scope is found before any request leaves, and names the scope to grant", async () => {
    const w = await setup(simulatorUrl, "slack");
    const result = await w.runAction("slack.add_reaction", { channel: "C0GENERAL", timestamp: "1.000001", name: "tada" });
    expect(result).toMatchObject({
      ok: false,
      error: { code: "missing_scope", retryable: false, message: expect.stringMatching(/grant reactions:write/) },
    });
    expect(await w.simulator.apiCalls({ providerId: "slack" })).toEqual([]);
  });

  test("not connected, disconnected, and a connection whose credential was refused", async () => {
    const w = await setup(simulatorUrl, "slack");
    expect(await w.runAction("github.create_issue", { owner: "acme", repo: "app", title: "x" })).toMatchObject({
      ok: false,
    });
    await w.simulator.revokeAll("slack");
    const refused = await w.runAction("slack.post_message", { channel: "C0GENERAL", text: "hi" });
    expect(refused).toMatchObject({ ok: false, error: { code: "auth_revoked", retryable: false } });
    expect((await w.connection()).status).toBe("error");
    const again = await w.runAction("slack.post_message", { channel: "C0GENERAL", text: "hi" });
    expect(again).toMatchObject({ ok: false, error: { code: "auth_revoked", message: expect.stringMatching(/reconnected/) } });
    // The second run was refused before sending.
    expect(await w.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })).toHaveLength(1);
  });

  test("the same idempotency key returns the first result without calling the provider again", async () => {
    const w = await setup(simulatorUrl, "slack");
    const input = { channel: "C0GENERAL", text: "only once" };
    const first = await w.runAction("slack.post_message", input, { idempotencyKey: "deploy-42" });
    const second = await w.runAction("slack.post_message", { text: "only once", channel: "C0GENERAL" }, { idempotencyKey: "deploy-42" });
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    expect(await w.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })).toHaveLength(1);

    const other = await w.runAction("slack.post_message", { channel: "C0GENERAL", text: "changed" }, { idempotencyKey: "deploy-42" });
    expect(other).toMatchObject({ ok: false, error: { code: "invalid_input", message: expect.stringMatching(/already used/) } });
    const bad = await w.runAction("slack.post_message", input, { idempotencyKey: "has space" });
    expect(bad).toMatchObject({ ok: false, error: { code: "invalid_input" } });
  });

  test("a key expires after 24 hours", async () => {
    const w = await setup(simulatorUrl, "slack");
    w.fakeClock();
    const input = { channel: "C0GENERAL", text: "daily" };
    await w.runAction("slack.post_message", input, { idempotencyKey: "daily-1" });
    const { vi } = await import("vitest");
    vi.advanceTimersByTime(24 * 60 * 60_000 + 1);
    await w.runAction("slack.post_message", input, { idempotencyKey: "daily-1" });
    expect(await w.simulator.apiCalls({ providerId: "slack", apiPath: "/chat.postMessage" })).toHaveLength(2);
  });
});
