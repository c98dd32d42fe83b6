/** Reading call logs (a provider's page, a correlation id) and deleting them after their retention. */
import { afterEach, describe, expect, inject, test } from "vitest";
import { api, internal } from "../_generated/api";
import type { Id } from "../_generated/dataModel";
import { createOrg, createUser, errorOf, type Backend } from "../test.helpers";
import { worldPerTest } from "./test.world";

const simulatorUrl = inject("simulatorUrl");
const DAY = 24 * 3_600_000;
const setupWorld = worldPerTest();
afterEach(() => {
  delete process.env.CALL_LOG_RETENTION_DAYS;
});
const setup = () => setupWorld(simulatorUrl, "github", { lifetimeSeconds: 3600 });

describe("logs.listForProvider", () => {
  test("a provider's calls, newest first, paginated, without excerpts", async () => {
    const w = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await w.call({ path: `/repos/acme/app/issues/${i}` })).correlationId);
    await w.connect("gmail");
    await w.call({ providerId: "gmail", path: "/gmail/v1/users/me/labels" });
    const first = await w.member.as.query(api.calls.logs.listForProvider, {
      orgId: w.orgId,
      providerId: "github",
      paginationOpts: { numItems: 3, cursor: null },
    });
    expect(first.page.map((row) => row.correlationId)).toEqual(ids.slice(2).reverse());
    expect(Object.keys(first.page[0]!).sort()).toEqual(
      ["at", "correlationId", "errorCode", "id", "latencyMs", "method", "outcome", "path", "providerId", "purpose", "status"].sort(),
    );
    const second = await w.member.as.query(api.calls.logs.listForProvider, {
      orgId: w.orgId,
      providerId: "github",
      paginationOpts: { numItems: 4, cursor: first.continueCursor },
    });
    expect(second.page.slice(0, 2).map((row) => row.correlationId)).toEqual(ids.slice(0, 2).reverse());
    // Before the calls: the connect itself, the account lookup after the token exchange, in one flow.
    expect(second.page.slice(2).map((row) => row.purpose)).toEqual(["verify", "token"]);
    expect(second.page[2]!.correlationId).toBe(second.page[3]!.correlationId);
  });

  test("another org sees none of them", async () => {
    const w = await setup();
    const { correlationId } = await w.call({ path: "/user/repos" });
    const outsider = await createUser(w.t, "outsider@example.com");
    const otherOrg = await createOrg(w.t, "Other", [{ user: outsider, role: "owner" }]);
    expect(
      (await outsider.as.query(api.calls.logs.listForProvider, {
        orgId: otherOrg,
        providerId: "github",
        paginationOpts: { numItems: 10, cursor: null },
      })).page,
    ).toEqual([]);
    expect(await outsider.as.query(api.calls.logs.byCorrelationId, { orgId: otherOrg, correlationId })).toEqual([]);
    expect((await errorOf(outsider.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId }))).code).toBe("FORBIDDEN");
  });
});

describe("logs.byCorrelationId", () => {
  test("finds the call with its redacted excerpts and who made it", async () => {
    const w = await setup();
    // An echoed path: the simulator's GitHub lists (/user/repos) answer more than an excerpt keeps, cut and so not JSON.
    const { correlationId } = await w.call({ path: "/user/orgs", query: { access_token: "in-the-url" } });
    const [found] = await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId });
    expect(found).toMatchObject({ correlationId, actor: "test", attempts: 1, status: 200 });
    expect(found!.path).toBe("/user/orgs?access_token=[REDACTED]");
    expect(found!.request).not.toContain("in-the-url");
    expect(JSON.parse(found!.response!)).toMatchObject({ status: 200 });
  });

  test("a correlation id reused across calls finds each of them", async () => {
    const w = await setup();
    await w.call({ path: "/a", correlationId: "workflow-run-7" });
    await w.call({ path: "/b", correlationId: "workflow-run-7" });
    const found = await w.admin.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId: "workflow-run-7" });
    expect(found.map((row) => row.path)).toEqual(["/b", "/a"]);
  });

  test("members see the call list but not the excerpts: byCorrelationId is FORBIDDEN to them", async () => {
    const w = await setup();
    const { correlationId } = await w.call({ path: "/user" });
    const error = await errorOf(w.member.as.query(api.calls.logs.byCorrelationId, { orgId: w.orgId, correlationId }));
    expect(error.code).toBe("FORBIDDEN");
  });
});

async function insertLog(t: Backend, orgId: Id<"organizations">, at: number, correlationId: string) {
  await t.run((ctx) =>
    ctx.db.insert("callLogs", {
      orgId,
      providerId: "github",
      actor: { kind: "system" },
      method: "GET",
      path: "/x",
      status: 200,
      outcome: "ok",
      latencyMs: 1,
      attempts: 1,
      correlationId,
      request: "{}",
      at,
    }),
  );
}

describe("retention", () => {
  test("deletes call logs older than 30 days and nothing else", async () => {
    const w = await setup();
    const now = Date.now();
    await insertLog(w.t, w.orgId, now - 31 * DAY, "old-1");
    await insertLog(w.t, w.orgId, now - 45 * DAY, "old-2");
    await insertLog(w.t, w.orgId, now - 29 * DAY, "recent-1");
    await w.call({ path: "/user/repos", correlationId: "recent-2" });
    const counts = () =>
      w.t.run(async (ctx) => ({
        audit: (await ctx.db.query("auditEvents").collect()).length,
        connections: (await ctx.db.query("connections").collect()).length,
        consents: (await ctx.db.query("consents").collect()).length,
      }));
    const before = await counts();
    expect(await w.t.mutation(internal.calls.retention.purge, {})).toEqual({ deleted: 2 });
    expect((await w.logs()).map((log) => log.correlationId).sort()).toEqual(["recent-1", "recent-2"]);
    expect(await counts()).toEqual(before);
    expect(await w.t.mutation(internal.calls.retention.purge, {})).toEqual({ deleted: 0 });
  });

  test("CALL_LOG_RETENTION_DAYS shortens it", async () => {
    const w = await setup();
    await insertLog(w.t, w.orgId, Date.now() - 8 * DAY, "eight-days");
    await insertLog(w.t, w.orgId, Date.now() - 6 * DAY, "six-days");
    process.env.CALL_LOG_RETENTION_DAYS = "7";
    await w.t.mutation(internal.calls.retention.purge, {});
    expect((await w.logs()).map((log) => log.correlationId)).toEqual(["six-days"]);
  });
});
