/// <reference types="vite/client" />
/**
 * An org on a backend with loopback allowed (as under the provider simulator), admin
 * and member, plus readers for the webhook tables. Receivers are real servers on
 * 127.0.0.1 (test.receiver.ts).
 * (Two dots in the name: Convex, the test module map and the sandbox all skip this file.)
 */
import { inject, vi } from "vitest";
import type { WebhookEventData, WebhookEventType } from "../../../lib/webhooks";
import { api } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import { simulatedOrg } from "../../test.helpers";
import { emitWebhookEvent } from "./emit";

export async function webhookWorld() {
  const world = await simulatedOrg(inject("simulatorUrl"));
  const { t, admin, orgId } = world;
  const create = (url: string, filter: string[] = ["*"], description = "") =>
    admin.as.action(api.webhooks.outbound.endpoints.create, { orgId, url, description, filter });
  const emit = <T extends WebhookEventType>(type: T, data: WebhookEventData<T>) =>
    t.run((ctx) => emitWebhookEvent(ctx, orgId, type, data));
  const endpoint = async (endpointId: Id<"webhookEndpoints">): Promise<Doc<"webhookEndpoints">> =>
    (await t.run((ctx) => ctx.db.get(endpointId)))!;
  const messages = (endpointId: Id<"webhookEndpoints">): Promise<Doc<"webhookMessages">[]> =>
    t.run((ctx) => ctx.db.query("webhookMessages").withIndex("by_endpointId", (q) => q.eq("endpointId", endpointId)).collect());
  const attempts = (messageId: Id<"webhookMessages">): Promise<Doc<"webhookAttempts">[]> =>
    t.run((ctx) => ctx.db.query("webhookAttempts").withIndex("by_messageId", (q) => q.eq("messageId", messageId)).collect());
  const audit = (): Promise<Doc<"auditEvents">[]> =>
    t.run((ctx) => ctx.db.query("auditEvents").withIndex("by_orgId", (q) => q.eq("orgId", orgId)).collect());
  /** Runs every scheduled function, the fake clock jumping to each (after `fakeClock()`). */
  const settle = () => t.finishAllScheduledFunctions(vi.runAllTimers, 500);
  return { ...world, create, emit, endpoint, messages, attempts, audit, settle };
}

/** Fakes Date and the scheduler's timers, so retries hours apart run at once. */
export function fakeClock() {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
}

export const CONNECTED: WebhookEventData<"connection.connected"> = { providerId: "github", accountName: "octo" };
