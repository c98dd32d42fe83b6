/// <reference types="vite/client" />
/**
 * An org on a backend for inbound webhook tests: admin and member, a Standard Webhooks
 * endpoint maker, a delivery sender (through the HTTP router, as a provider would), and
 * readers for the inbound tables.
 * (Two dots in the name: Convex, the test module map and the sandbox all skip this file.)
 */
import { vi } from "vitest";
import { api } from "../../_generated/api";
import type { Doc, Id } from "../../_generated/dataModel";
import { createOrg, createUser, setupBackend, type Backend } from "../../test.helpers";

export async function inboundWorld() {
  const t = await setupBackend();
  const admin = await createUser(t, "admin@example.com");
  const member = await createUser(t, "member@example.com");
  const orgId = await createOrg(t, "Acme", [
    { user: admin, role: "owner" },
    { user: member, role: "member" },
  ]);
  const standardEndpoint = (description = "Billing system") =>
    admin.as.action(api.webhooks.inbound.endpoints.create, { orgId, providerId: "custom-webhook", description });
  const events = (forOrg: Id<"organizations"> = orgId): Promise<Doc<"inboundEvents">[]> =>
    t.run((ctx) => ctx.db.query("inboundEvents").withIndex("by_orgId_and_receivedAt", (q) => q.eq("orgId", forOrg)).collect());
  const endpoint = async (endpointId: Id<"inboundEndpoints">): Promise<Doc<"inboundEndpoints">> => (await t.run((ctx) => ctx.db.get(endpointId)))!;
  /** Runs every scheduled function, the fake clock jumping to each (after `fakeClock()`). */
  const settle = () => t.finishAllScheduledFunctions(vi.runAllTimers, 500);
  return { t, admin, member, orgId, standardEndpoint, events, endpoint, settle };
}

/** POSTs raw bytes to a path of the deployment's HTTP router. */
export function post(t: Backend, path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) {
  return t.fetch(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
}

/** Inserts a live connection directly (no OAuth flow), for app-level routing tests. */
export async function insertConnection(t: Backend, orgId: Id<"organizations">, userId: Id<"users">, providerId: string, accountId: string) {
  return await t.run((ctx) =>
    ctx.db.insert("connections", {
      orgId,
      providerId,
      status: "connected",
      accountId,
      accountName: `${providerId} ${accountId}`,
      scopes: [],
      secrets: {},
      config: {},
      connectedAt: Date.now(),
      connectedBy: userId,
    }),
  );
}
