/**
 * The SSRF rules of the webhook sender, with an injected resolver (no real DNS) and a
 * real receiver on 127.0.0.1 that must never be reached when a rule refuses.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sendSafely, type Resolver } from "./safeHttp";
import { startReceiver, type Receiver } from "../webhooks/outbound/test.receiver";

let hook: Receiver;
beforeAll(async () => {
  hook = await startReceiver(() => ({ status: 200, body: "ok" }));
});
afterAll(() => hook.close());

const request = { headers: { "content-type": "application/json" }, body: "{}" };
const options = (resolve: Resolver, allowLoopback = false) => ({ resolve, allowLoopback, timeoutMs: 500, maxResponseBytes: 1024 });
const answering = (...addresses: string[]): Resolver => async () => addresses;

describe("sendSafely", () => {
  test.each([
    ["127.0.0.1", "loopback address"],
    ["10.0.0.1", "private address"],
    ["169.254.169.254", "link local"],
    ["::ffff:10.0.0.1", "private address"],
    ["64:ff9b::a00:1", "private address"],
    ["fd00:ec2::254", "private address"],
    ["100.64.0.1", "cgnat address"],
    ["2002:a00:1::", "private address"],
    ["::ffff:127.0.0.1", "loopback address"],
  ])("refuses a name that resolves to %s", async (address, words) => {
    const before = hook.received.length;
    const result = await sendSafely(`https://hooks.example.com:${hook.port}/hooks`, request, options(answering(address)));
    expect(result.ending).toEqual({ kind: "refused", message: expect.stringContaining(words) });
    expect(hook.received).toHaveLength(before);
  });

  test("refuses when any one of the answers is private", async () => {
    const result = await sendSafely("https://hooks.example.com/", request, options(answering("93.184.216.34", "10.0.0.1")));
    expect(result.ending).toMatchObject({ kind: "refused" });
  });

  test("a name whose answer changes between resolutions: one resolution per attempt, connected to the checked address", async () => {
    // 127.0.0.1 stands in for a public address here (loopback is allowed, as for tests); 10.0.0.1 is the rebound answer.
    let calls = 0;
    const rebinding: Resolver = async () => (calls++ === 0 ? ["127.0.0.1"] : ["10.0.0.1"]);
    const url = `http://rebind.example.com:${hook.port}/hooks`;
    const before = hook.received.length;
    const first = await sendSafely(url, request, options(rebinding, true));
    expect(first.ending).toEqual({ kind: "response", status: 200, retryAfterSeconds: undefined });
    expect(calls).toBe(1); // the connection did not resolve the name again
    expect(hook.received).toHaveLength(before + 1);
    expect(hook.received.at(-1)!.headers.host).toBe(`rebind.example.com:${hook.port}`);
    // The next attempt checks again and sees the rebound answer.
    const second = await sendSafely(url, request, options(rebinding, true));
    expect(second.ending).toEqual({ kind: "refused", message: expect.stringContaining("10.0.0.1, a private address") });
    expect(hook.received).toHaveLength(before + 1);
  });

  test("plain http is only for names that resolve to loopback, and only where loopback is allowed", async () => {
    const url = `http://mixed.example.com:${hook.port}/hooks`;
    expect((await sendSafely(url, request, options(answering("93.184.216.34"), true))).ending).toEqual({
      kind: "refused",
      message: "Webhook URLs must use https.",
    });
    expect((await sendSafely(url, request, options(answering("127.0.0.1"), false))).ending).toMatchObject({ kind: "refused" });
  });

  test("refuses loopback unless allowed, and then only plain loopback", async () => {
    const url = `http://127.0.0.1:${hook.port}/hooks`;
    expect((await sendSafely(url, request, options(answering()))).ending).toMatchObject({ kind: "refused" });
    expect((await sendSafely(url, request, options(answering(), true))).ending).toMatchObject({ kind: "response", status: 200 });
  });

  test("refuses URLs the string check refuses, before resolving", async () => {
    let resolved = false;
    const resolve: Resolver = async () => {
      resolved = true;
      return ["93.184.216.34"];
    };
    for (const url of ["http://hooks.example.com/", "https://metadata.google.internal/", "ftp://x.example.com/"]) {
      expect((await sendSafely(url, request, options(resolve))).ending).toMatchObject({ kind: "refused" });
    }
    expect(resolved).toBe(false);
  });

  test("a name that does not resolve is a network error", async () => {
    const failing: Resolver = async () => {
      throw new Error("ENOTFOUND");
    };
    expect((await sendSafely("https://nowhere.example.com/", request, options(failing))).ending).toEqual({
      kind: "network_error",
      message: "nowhere.example.com could not be resolved.",
    });
    expect((await sendSafely("https://empty.example.com/", request, options(answering()))).ending).toMatchObject({ kind: "network_error" });
  });

  test("a receiver that does not answer in time is a timeout", async () => {
    const slow = await startReceiver(() => null);
    const result = await sendSafely(slow.url, request, { ...options(answering(), true), timeoutMs: 200 });
    expect(result.ending).toEqual({ kind: "timeout" });
    expect(result.latencyMs).toBeGreaterThanOrEqual(190);
    await slow.close();
  });

  test("reads at most maxResponseBytes of the answer", async () => {
    const big = await startReceiver(() => ({ status: 200, body: "x".repeat(100_000) }));
    const result = await sendSafely(big.url, request, { ...options(answering(), true), maxResponseBytes: 1024 });
    expect(result.ending).toMatchObject({ kind: "response", status: 200 });
    expect(result.body.length).toBe(1024);
    expect(result.bodyTruncated).toBe(true);
    await big.close();
  });
});
