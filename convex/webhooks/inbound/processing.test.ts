/**
 * Processing off the request: a failure is retried with backoff, dead-lettered after its
 * attempts, and a Replay then processes it exactly once. The failure is injected where
 * processing hands the event to workflows (the one step a test can make fail on demand).
 */
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, test, vi } from "vitest";
import { PROCESSING_MAX_ATTEMPTS, PROCESSING_RETRY_SCHEDULE_MS } from "../../../lib/inbound/store";
import { api, internal } from "../../_generated/api";
import { errorOf } from "../../test.helpers";
import { inboundWorld, post } from "./test.inbound";

const failures = vi.hoisted(() => ({ remaining: 0, calls: 0 }));
vi.mock("../../workflows/events", async (original) => {
  const actual = await original<typeof import("../../workflows/events")>();
  return {
    ...actual,
    startWorkflowsForEvent: async (...args: Parameters<typeof actual.startWorkflowsForEvent>) => {
      failures.calls++;
      if (failures.remaining > 0) {
        failures.remaining--;
        throw new Error("The workflow store is unavailable (injected).");
      }
      return await actual.startWorkflowsForEvent(...args);
    },
  };
});

afterEach(() => {
  vi.useRealTimers();
  failures.remaining = 0;
  failures.calls = 0;
});

async function deliverOne(w: Awaited<ReturnType<typeof inboundWorld>>) {
  const { url, secret } = await w.standardEndpoint();
  const body = JSON.stringify({ type: "order.created", data: { id: "o_1" } });
  const at = new Date();
  const headers = {
    "webhook-id": "msg_p1",
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret!).sign("msg_p1", at, body),
  };
  expect((await post(w.t, new URL(url).pathname, body, headers)).status).toBe(200);
}

describe("processing", () => {
  test("a failure retries with backoff, dead-letters after its attempts, and Replay processes it exactly once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    const w = await inboundWorld();
    failures.remaining = Number.POSITIVE_INFINITY;
    await deliverOne(w);

    // The first attempt fails and waits for the schedule's first step.
    vi.runOnlyPendingTimers();
    await w.t.finishInProgressScheduledFunctions();
    let [event] = await w.events();
    expect(event).toMatchObject({ status: "failed", attempts: 1, lastError: expect.stringContaining("injected") });
    expect(event!.nextAttemptAt! - Date.now()).toBeGreaterThan(PROCESSING_RETRY_SCHEDULE_MS[0] - 1_000);

    await w.settle();
    [event] = await w.events();
    expect(event).toMatchObject({ status: "dead", attempts: PROCESSING_MAX_ATTEMPTS });
    expect(failures.calls).toBe(PROCESSING_MAX_ATTEMPTS);

    // A member may look but not replay.
    expect((await errorOf(w.member.as.mutation(api.webhooks.inbound.events.replay, { orgId: w.orgId, eventId: event!._id }))).code).toBe("FORBIDDEN");

    failures.remaining = 0;
    await w.admin.as.mutation(api.webhooks.inbound.events.replay, { orgId: w.orgId, eventId: event!._id });
    await w.settle();
    [event] = await w.events();
    expect(event).toMatchObject({ status: "processed", attempts: PROCESSING_MAX_ATTEMPTS + 1, replays: 1 });
    expect(event!.lastError).toBeUndefined();
    expect(failures.calls).toBe(PROCESSING_MAX_ATTEMPTS + 1);
  });

  test("a replay that fails again is dead at once: one attempt, no new retries", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    const w = await inboundWorld();
    await deliverOne(w);
    await w.settle();
    let [event] = await w.events();
    expect(event).toMatchObject({ status: "processed", attempts: 1 });

    failures.remaining = Number.POSITIVE_INFINITY;
    await w.admin.as.mutation(api.webhooks.inbound.events.replay, { orgId: w.orgId, eventId: event!._id });
    await w.settle();
    [event] = await w.events();
    expect(event).toMatchObject({ status: "dead", attempts: 2, replays: 1 });
  });

  test("a replay while processing is under way is refused in words", async () => {
    const w = await inboundWorld();
    await deliverOne(w);
    const [event] = await w.events();
    expect(event!.status).toBe("pending");
    const refused = await errorOf(w.admin.as.mutation(api.webhooks.inbound.events.replay, { orgId: w.orgId, eventId: event!._id }));
    expect(refused).toMatchObject({ code: "CONFLICT", message: expect.stringContaining("being processed") });
  });

  test("a stalled event (its job died) is started again by the sweep", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    const w = await inboundWorld();
    await deliverOne(w);
    const [pending] = await w.events();
    // The job is lost: cancelled, as if its action had crashed without reporting.
    await w.t.run(async (ctx) => {
      await ctx.scheduler.cancel(pending!.jobId!);
    });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const { restarted } = await w.t.mutation(internal.webhooks.inbound.events.restartStalled, {});
    expect(restarted).toBe(1);
    await w.settle();
    const [event] = await w.events();
    expect(event).toMatchObject({ status: "processed", attempts: 1 });
  });
});
