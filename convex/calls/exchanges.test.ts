/**
 * Every request Switchboard makes to a provider is in the call log, not only the
 * pipeline's calls: the token exchange and account lookup of a connect, a Test click,
 * a keep-alive check, a refresh and a revocation. Each appears in the provider page's
 * list with its correlation id, counts in the 24-hour counters, and keeps no secret.
 */
import { describe, expect, inject, test } from "vitest";
import { KEEP_ALIVE_INTERVAL_MS } from "../../lib/refresh/plan";
import { api, internal } from "../_generated/api";
import { worldPerTest, type World } from "./test.world";

const simulatorUrl = inject("simulatorUrl");

const setup = worldPerTest();

async function listed(w: World, providerId: string) {
  const { page } = await w.member.as.query(api.calls.logs.listForProvider, {
    orgId: w.orgId,
    providerId,
    paginationOpts: { numItems: 50, cursor: null },
  });
  return page;
}

async function counters(w: World, providerId: string) {
  const { providers } = await w.member.as.query(api.integrations.connections.list, { orgId: w.orgId });
  return providers.find((provider) => provider.id === providerId)!.connection!;
}

describe("Switchboard's own requests in the call log", () => {
  test("a connect logs its token exchange and account lookup as one flow, without token bodies", async () => {
    const w = await setup(simulatorUrl, "github");
    const rows = await listed(w, "github");
    const connectionId = (await w.connection())._id;
    expect(rows.map((row) => row.purpose)).toEqual(["verify", "token"]);
    expect(rows[0]!.correlationId).toBe(rows[1]!.correlationId);
    const [detail] = (await w.admin.as.query(api.calls.logs.byCorrelationId, {
      orgId: w.orgId,
      correlationId: rows[0]!.correlationId,
    })).filter((row) => row.purpose === "token");
    expect(detail).toMatchObject({ method: "POST", status: 200, outcome: "ok" });
    // Only method and path of a token endpoint exchange: no headers, no body either way.
    expect(JSON.parse(detail!.request)).toEqual({ method: "POST", path: expect.stringContaining("/login/oauth/access_token") });
    expect(JSON.parse(detail!.response!)).toEqual({ status: 200 });
    // Logged before the connection existed, then attached to it: the counters agree with the list.
    expect((await counters(w, "github")).calls24h).toBe(2);
    expect((await w.allLogs()).every((row) => row.connectionId === (connectionId))).toBe(true);
  });

  test("a Test click is listed with the correlation id it answered with, and counted", async () => {
    const w = await setup(simulatorUrl, "github");
    const before = await counters(w, "github");
    w.fakeClock();
    const result = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: "github" });
    expect(result.ok).toBe(true);
    const row = (await listed(w, "github"))[0]!;
    expect(row).toMatchObject({ purpose: "test", correlationId: result.correlationId, method: "GET", status: 200, outcome: "ok" });
    // Under the API base, a check's path reads like a call's.
    expect(row.path).toBe("/user");
    await w.settleCounters();
    const after = await counters(w, "github");
    expect(after.calls24h).toBe(before.calls24h + 1);
    // A check is not use: "last used" stays what it was.
    expect(after.lastUsedAt).toBe(before.lastUsedAt);
  });

  test("a refused Test is listed as unauthorized and turns the connection to error", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.simulator.revokeAll("github");
    w.fakeClock();
    const result = await w.admin.as.action(api.integrations.connections.test, { orgId: w.orgId, providerId: "github" });
    expect(result.ok).toBe(false);
    expect((await listed(w, "github"))[0]).toMatchObject({ purpose: "test", status: 401, outcome: "unauthorized" });
    expect(await w.connection()).toMatchObject({ status: "error", statusReason: "unauthorized" });
    await w.settleCounters();
    expect((await counters(w, "github")).errors24h).toBeGreaterThanOrEqual(1);
  });

  test("a keep-alive check is listed as the system's", async () => {
    const w = await setup(simulatorUrl, "linkedin");
    const row = await w.connection();
    const idle = Date.now() - KEEP_ALIVE_INTERVAL_MS - 60_000;
    await w.t.run((ctx) => ctx.db.patch(row._id, { connectedAt: idle, lastCheckedAt: idle }));
    await w.t.action(internal.refresh.worker.maintain, { connectionId: row._id });
    const logged = (await listed(w, "linkedin"))[0]!;
    expect(logged).toMatchObject({ purpose: "keep_alive", status: 200, outcome: "ok" });
    const [detail] = await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId: logged.correlationId });
    expect(detail!.actor).toBe("Keep-alive");
  });

  test("a refresh a call needed shares the call's correlation id", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.expireEverywhere();
    const { correlationId } = await w.call({ path: "/user" });
    const rows = await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId });
    expect(rows.map((row) => row.purpose).sort()).toEqual(["call", "refresh"]);
    const refresh = rows.find((row) => row.purpose === "refresh")!;
    expect(refresh).toMatchObject({ actor: "Token refresh", method: "POST", status: 200 });
    expect(JSON.parse(refresh.request)).not.toHaveProperty("body");
  });

  test("a disconnect's revocation is listed under the admin", async () => {
    const w = await setup(simulatorUrl, "github");
    await w.admin.as.action(api.integrations.connections.disconnect, { orgId: w.orgId, providerId: "github" });
    const revoke = (await listed(w, "github"))[0]!;
    expect(revoke).toMatchObject({ purpose: "revoke", method: "DELETE", outcome: "ok" });
    expect(revoke.status).toBeGreaterThanOrEqual(200);
  });

  test("a webhook's URL is its credential: its log shows only the host", async () => {
    const w = await setup(simulatorUrl, "");
    const url = await w.simulator.webhookUrl("pumble");
    await w.admin.as.action(api.integrations.credentials.connect, { orgId: w.orgId, providerId: "pumble", values: { webhookUrl: url } });
    const [row] = await listed(w, "pumble");
    expect(row).toMatchObject({ purpose: "verify", method: "POST", status: 200 });
    expect(row!.path).toBe(`${new URL(url).host} (webhook URL)`);
    expect(JSON.stringify(await w.allLogs())).not.toContain(new URL(url).pathname);
  });
});
