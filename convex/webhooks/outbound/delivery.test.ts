import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterEach, describe, expect, test, vi } from "vitest";
import { AUTO_DISABLE_AFTER_MS, RETRY_SCHEDULE_MS } from "../../../lib/webhooks";
import { api, internal } from "../../_generated/api";
import { errorOf } from "../../test.helpers";
import { startReceiver, type Receiver } from "./test.receiver";
import { CONNECTED, fakeClock, webhookWorld } from "./test.webhooks";

const receivers: Receiver[] = [];
async function receiver(...args: Parameters<typeof startReceiver>) {
  const started = await startReceiver(...args);
  receivers.push(started);
  return started;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** Verifies a received delivery with both independent libraries; throws when either refuses. */
function verifyWithBoth(secret: string, request: { headers: Record<string, string>; body: string }) {
  const headers = {
    "webhook-id": request.headers["webhook-id"]!,
    "webhook-timestamp": request.headers["webhook-timestamp"]!,
    "webhook-signature": request.headers["webhook-signature"]!,
  };
  const a = new StandardWebhook(secret).verify(request.body, headers);
  const b = new SvixWebhook(secret).verify(request.body, headers);
  expect(a).toEqual(b);
  return a as { type: string; timestamp: string; data: Record<string, unknown> };
}

describe("delivery", () => {
  test("an event reaches a subscribed endpoint signed by Standard Webhooks, and the log shows it", async () => {
    const w = await webhookWorld();
    const hook = await receiver();
    const { endpointId, secret } = await w.create(hook.url);
    expect(secret).toMatch(/^whsec_/);
    await w.emit("connection.connected", CONNECTED);
    await w.t.finishAllScheduledFunctions(() => undefined);

    expect(hook.received).toHaveLength(1);
    const payload = verifyWithBoth(secret, hook.received[0]!);
    expect(payload).toEqual({ type: "connection.connected", timestamp: expect.any(String), data: CONNECTED });
    expect(hook.received[0]!.headers["webhook-id"]).toMatch(/^msg_/);
    expect(hook.received[0]!.headers["content-type"]).toBe("application/json");

    const [message] = await w.messages(endpointId);
    expect(message).toMatchObject({ status: "delivered", attempts: 1 });
    const log = await w.member.as.query(api.webhooks.outbound.deliveries.listMessages, {
      orgId: w.orgId,
      endpointId,
      paginationOpts: { numItems: 10, cursor: null },
    });
    expect(log.page).toHaveLength(1);
    expect(log.page[0]).toMatchObject({ eventType: "connection.connected", status: "delivered", webhookId: hook.received[0]!.headers["webhook-id"] });
    expect(log.page[0]!.attemptLog[0]).toMatchObject({ attempt: 1, outcome: "delivered", status: 200, responseExcerpt: "ok" });

    const [listed] = await w.member.as.query(api.webhooks.outbound.endpoints.list, { orgId: w.orgId });
    expect(listed!.health).toMatchObject({ attempts: 1, delivered: 1, successRate: 1 });
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  test("fan-out follows each endpoint's filter: all, exact types, provider wildcards; disabled endpoints get nothing", async () => {
    const w = await webhookWorld();
    const [all, github, failures, off] = await Promise.all([receiver(), receiver(), receiver(), receiver()]);
    await w.create(all.url, ["*"]);
    await w.create(github.url, ["github.*"]);
    await w.create(failures.url, ["action.failed"]);
    const disabled = await w.create(off.url, ["*"]);
    await w.admin.as.mutation(api.webhooks.outbound.endpoints.setEnabled, { orgId: w.orgId, endpointId: disabled.endpointId, enabled: false });
    await w.emit("github.issues.opened", { providerId: "github", deliveryId: "d1", payload: { number: 1 } });
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect([all.received.length, github.received.length, failures.received.length, off.received.length]).toEqual([1, 1, 0, 0]);
    expect(JSON.parse(github.received[0]!.body).type).toBe("github.issues.opened");
  });

  test("during a rotation both secrets verify; after 24 hours only the new one", async () => {
    const w = await webhookWorld();
    fakeClock();
    const hook = await receiver();
    const { endpointId, secret: oldSecret } = await w.create(hook.url);
    const { secret: newSecret } = await w.admin.as.action(api.webhooks.outbound.endpoints.rotateSecret, { orgId: w.orgId, endpointId });
    expect(newSecret).not.toBe(oldSecret);

    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    expect(hook.received[0]!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    verifyWithBoth(oldSecret, hook.received[0]!);
    verifyWithBoth(newSecret, hook.received[0]!);

    vi.advanceTimersByTime(24 * 3_600_000 + 1_000);
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    const later = hook.received[1]!;
    expect(later.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    verifyWithBoth(newSecret, later);
    expect(() => new StandardWebhook(oldSecret).verify(later.body, later.headers)).toThrow();
    expect(() => new SvixWebhook(oldSecret).verify(later.body, later.headers)).toThrow();
    expect((await w.audit()).map((e) => e.action)).toContain("webhook.secret_rotated");
  });

  test("a failing receiver gets Svix's schedule, the same webhook-id each time, then the message is failed", async () => {
    const w = await webhookWorld();
    fakeClock();
    const hook = await receiver(() => ({ status: 500, body: "down" }));
    const { endpointId } = await w.create(hook.url);
    await w.emit("connection.connected", CONNECTED);
    await w.settle();

    expect(hook.received).toHaveLength(RETRY_SCHEDULE_MS.length);
    expect(new Set(hook.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const gaps = hook.received.slice(1).map((r, i) => r.at - hook.received[i]!.at);
    gaps.forEach((gap, i) => {
      const planned = RETRY_SCHEDULE_MS[i + 1]!;
      expect(gap).toBeGreaterThanOrEqual(planned * 0.9 - 50);
      expect(gap).toBeLessThanOrEqual(planned * 1.1 + 1_000);
    });
    const [message] = await w.messages(endpointId);
    expect(message).toMatchObject({ status: "failed", attempts: 8 });
    const endpoint = await w.endpoint(endpointId);
    expect(endpoint.enabled).toBe(true);
    expect(endpoint.lastFailure).toBe("Answered HTTP 500.");
  });

  test("Retry-After on a 503 is honoured", async () => {
    const w = await webhookWorld();
    fakeClock();
    const hook = await receiver((_, index) => (index === 0 ? { status: 503, headers: { "retry-after": "120" } } : { status: 204 }));
    await w.create(hook.url);
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.at - hook.received[0]!.at).toBeGreaterThanOrEqual(120_000);
    expect(hook.received[1]!.at - hook.received[0]!.at).toBeLessThan(130_000);
  });

  test("a receiver down for an hour loses nothing; each message keeps its webhook-id", async () => {
    const w = await webhookWorld();
    fakeClock();
    const backAt = Date.now() + 3_600_000;
    const hook = await receiver(() => (Date.now() < backAt ? { status: 502 } : { status: 200 }));
    const { endpointId } = await w.create(hook.url);
    for (const accountName of ["a", "b", "c"]) await w.emit("connection.connected", { providerId: "github", accountName });
    await w.settle();

    const delivered = hook.received.filter((r) => r.at >= backAt);
    expect(delivered.map((r) => JSON.parse(r.body).data.accountName).sort()).toEqual(["a", "b", "c"]);
    const messages = await w.messages(endpointId);
    expect(messages.every((m) => m.status === "delivered")).toBe(true);
    for (const message of messages) {
      const ids = new Set(hook.received.filter((r) => JSON.parse(r.body).data.accountName === JSON.parse(message.body).data.accountName).map((r) => r.headers["webhook-id"]));
      expect(ids).toEqual(new Set([`msg_${message._id}`]));
    }
    expect((await w.endpoint(endpointId)).failingSince).toBeUndefined();
  });

  test("410 Gone disables the endpoint at once, audits it and emits endpoint.disabled", async () => {
    const w = await webhookWorld();
    const gone = await receiver(() => ({ status: 410 }));
    const watcher = await receiver();
    const { endpointId } = await w.create(gone.url);
    await w.create(watcher.url, ["endpoint.disabled"]);
    await w.emit("connection.connected", CONNECTED);
    await w.t.finishAllScheduledFunctions(() => undefined);

    expect(gone.received).toHaveLength(1);
    expect(await w.endpoint(endpointId)).toMatchObject({ enabled: false, disabled: { reason: "gone" } });
    expect((await w.audit()).find((e) => e.action === "webhook.endpoint_disabled")).toMatchObject({ details: { reason: "gone" } });
    expect(watcher.received.map((r) => JSON.parse(r.body))).toEqual([
      expect.objectContaining({ type: "endpoint.disabled", data: expect.objectContaining({ reason: "gone", url: gone.url }) }),
    ]);
  });

  test("five days of failures disable the endpoint; turning it on again resumes delivery", async () => {
    const w = await webhookWorld();
    fakeClock();
    const hook = await receiver(() => ({ status: 500 }));
    const { endpointId } = await w.create(hook.url);
    await w.t.run((ctx) => ctx.db.patch(endpointId, { failingSince: Date.now() - AUTO_DISABLE_AFTER_MS + 60_000 }));
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    // The first attempts fail within the limit and are retried; the one past five days disables the endpoint.
    const endpoint = await w.endpoint(endpointId);
    expect(endpoint).toMatchObject({ enabled: false, disabled: { reason: "failing" } });
    expect((await w.audit()).find((e) => e.action === "webhook.endpoint_disabled")).toMatchObject({ actor: { kind: "system" } });
    const attemptsBefore = hook.received.length;

    hook.answerWith(() => ({ status: 200 }));
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    expect(hook.received).toHaveLength(attemptsBefore);

    await w.admin.as.mutation(api.webhooks.outbound.endpoints.setEnabled, { orgId: w.orgId, endpointId, enabled: true });
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    expect(hook.received).toHaveLength(attemptsBefore + 1);
    expect((await w.endpoint(endpointId)).failingSince).toBeUndefined();
  });

  test("a redirect is a failure and is never followed", async () => {
    const w = await webhookWorld();
    fakeClock();
    const elsewhere = await receiver();
    const hook = await receiver(() => ({ status: 302, headers: { location: elsewhere.url } }));
    const { endpointId } = await w.create(hook.url);
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    expect(hook.received).toHaveLength(RETRY_SCHEDULE_MS.length);
    expect(elsewhere.received).toHaveLength(0);
    expect((await w.endpoint(endpointId)).lastFailure).toBe("Answered 302 (a redirect; webhooks do not follow them).");
    const [message] = await w.messages(endpointId);
    expect((await w.attempts(message!._id))[0]).toMatchObject({ outcome: "redirect", status: 302 });
  });

  test("Replay re-sends one message with its webhook-id; Recover re-sends what failed since a time", async () => {
    const w = await webhookWorld();
    fakeClock();
    const hook = await receiver(() => ({ status: 500 }));
    const { endpointId } = await w.create(hook.url);
    await w.emit("connection.connected", { providerId: "github", accountName: "first" });
    await w.emit("connection.connected", { providerId: "github", accountName: "second" });
    await w.settle();
    const failed = await w.messages(endpointId);
    expect(failed.map((m) => m.status)).toEqual(["failed", "failed"]);

    hook.answerWith(() => ({ status: 200 }));
    const count = hook.received.length;
    await w.admin.as.mutation(api.webhooks.outbound.deliveries.replay, { orgId: w.orgId, messageId: failed[0]!._id });
    await w.settle();
    expect(hook.received.slice(count).map((r) => r.headers["webhook-id"])).toEqual([`msg_${failed[0]!._id}`]);
    expect((await w.messages(endpointId)).map((m) => m.status)).toEqual(["delivered", "failed"]);

    await w.admin.as.mutation(api.webhooks.outbound.deliveries.recover, { orgId: w.orgId, endpointId, since: failed[0]!._creationTime });
    await w.settle();
    expect((await w.messages(endpointId)).map((m) => m.status)).toEqual(["delivered", "delivered"]);
    expect(hook.received.slice(count).map((r) => r.headers["webhook-id"])).toEqual([`msg_${failed[0]!._id}`, `msg_${failed[1]!._id}`]);
    expect((await w.audit()).map((e) => e.action)).toContain("webhook.messages_recovered");
  });

  test("Send test event reaches the endpoint whatever its filter", async () => {
    const w = await webhookWorld();
    const hook = await receiver();
    const { endpointId, secret } = await w.create(hook.url, ["action.failed"]);
    await w.admin.as.mutation(api.webhooks.outbound.endpoints.sendTest, { orgId: w.orgId, endpointId });
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect(verifyWithBoth(secret, hook.received[0]!)).toMatchObject({ type: "endpoint.test" });
  });
});

describe("endpoints", () => {
  test("bad input gets a clear error naming the field", async () => {
    const w = await webhookWorld();
    const create = (url: string, filter = ["*"], description = "") =>
      errorOf(w.admin.as.action(api.webhooks.outbound.endpoints.create, { orgId: w.orgId, url, filter, description }));
    expect(await create("http://example.com/hook")).toMatchObject({ code: "UNSAFE_URL", message: "Webhook URLs must use https." });
    expect(await create("https://10.0.0.1/hook")).toMatchObject({ code: "UNSAFE_URL", message: expect.stringContaining("private address") });
    expect(await create("https://169.254.169.254/")).toMatchObject({ code: "UNSAFE_URL" });
    expect(await create("nope")).toMatchObject({ code: "UNSAFE_URL", message: expect.stringContaining("full URL") });
    expect(await create("https://example.com/", ["nope.*"])).toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("nope.*") });
    expect(await create("https://example.com/", [])).toMatchObject({ code: "INVALID_INPUT" });
    expect(await create("https://example.com/", ["*"], "x".repeat(201))).toMatchObject({ code: "INVALID_INPUT" });
  });

  test("editing the filter changes what the endpoint receives; removing it stops everything", async () => {
    const w = await webhookWorld();
    const hook = await receiver();
    const { endpointId } = await w.create(hook.url, ["action.failed"]);
    await w.emit("connection.connected", CONNECTED);
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect(hook.received).toHaveLength(0);

    await w.admin.as.mutation(api.webhooks.outbound.endpoints.update, { orgId: w.orgId, endpointId, filter: ["connection.*"] });
    await w.emit("connection.connected", CONNECTED);
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect(hook.received).toHaveLength(1);

    await w.admin.as.mutation(api.webhooks.outbound.endpoints.remove, { orgId: w.orgId, endpointId });
    await w.emit("connection.connected", CONNECTED);
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect(hook.received).toHaveLength(1);
    expect(await w.t.run((ctx) => ctx.db.query("webhookMessages").collect())).toHaveLength(0);
    expect(await w.t.run((ctx) => ctx.db.query("webhookSubscriptions").collect())).toHaveLength(0);
  });

  test("another org's endpoint answers like a missing one", async () => {
    const w = await webhookWorld();
    const hook = await receiver();
    const { endpointId } = await w.create(hook.url);
    const otherOrg = await w.t.run(async (ctx) => {
      const orgId = await ctx.db.insert("organizations", { name: "Other", slug: "other", createdBy: w.admin.userId });
      await ctx.db.insert("memberships", { orgId, userId: w.admin.userId, role: "owner" });
      return orgId;
    });
    expect(await errorOf(w.admin.as.mutation(api.webhooks.outbound.endpoints.sendTest, { orgId: otherOrg, endpointId }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("retention", () => {
  test("delivered and failed messages older than 30 days go with their attempts; pending ones stay", async () => {
    const w = await webhookWorld();
    fakeClock();
    const hook = await receiver();
    const { endpointId } = await w.create(hook.url);
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    const [old] = await w.messages(endpointId);
    await w.t.run((ctx) =>
      ctx.db.insert("webhookMessages", { orgId: w.orgId, endpointId, eventType: "endpoint.test", body: "{}", status: "pending", attempts: 3 }),
    );
    vi.advanceTimersByTime(31 * 24 * 3_600_000);
    await w.emit("connection.connected", CONNECTED);
    await w.settle();
    await w.t.mutation(internal.webhooks.outbound.retention.purge, {});
    const left = await w.messages(endpointId);
    expect(left.map((m) => m.status).sort()).toEqual(["delivered", "pending"]);
    expect(left.some((m) => m._id === old!._id)).toBe(false);
    expect(await w.attempts(old!._id)).toHaveLength(0);
  });
});
