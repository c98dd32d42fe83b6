/** Usage retention: request rows and day counters older than API_KEY_USAGE_RETENTION_DAYS go; newer ones stay. */
import { afterEach, describe, expect, test } from "vitest";
import { DAY_MS, usageDayStart } from "../../lib/api-keys";
import { internal } from "../_generated/api";
import { makeKey } from "../publicApi/test.api";
import { createOrg, createUser, setupBackend } from "../test.helpers";

afterEach(() => {
  delete process.env.API_KEY_USAGE_RETENTION_DAYS;
});

describe("apiKeys.usage.purge", () => {
  test("deletes what is older than the retention, and only that", async () => {
    process.env.API_KEY_USAGE_RETENTION_DAYS = "10";
    const t = await setupBackend();
    const admin = await createUser(t, "admin@example.com");
    const orgId = await createOrg(t, "Acme", [{ user: admin, role: "admin" }]);
    const { id: keyId } = await makeKey(admin, orgId, { scopes: ["calls:read"] });
    const now = Date.now();
    const row = { orgId, keyId, method: "GET", route: "/v1/connections", status: 200, latencyMs: 3 };
    for (const daysAgo of [20, 11, 9, 0]) await t.mutation(internal.apiKeys.usage.record, { ...row, at: now - daysAgo * DAY_MS });
    expect(await t.mutation(internal.apiKeys.usage.purge, {})).toEqual({ deleted: 4 });
    const left = await t.run(async (ctx) => ({
      requests: (await ctx.db.query("apiKeyRequests").collect()).map((r) => Math.round((now - r.at) / DAY_MS)).sort((a, b) => a - b),
      days: (await ctx.db.query("apiKeyUsageDays").collect()).map((d) => d.dayStart).sort((a, b) => a - b),
    }));
    expect(left.requests).toEqual([0, 9]);
    expect(left.days).toEqual([usageDayStart(now - 9 * DAY_MS), usageDayStart(now)]);
  });
});
