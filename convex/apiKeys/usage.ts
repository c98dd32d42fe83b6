/**
 * What each key is used for: a request log row and the day's counter per request (one
 * mutation after the answer is known), read by the API keys page; and their retention.
 */
import { v } from "convex/values";
import { USAGE_DAYS_SHOWN, DAY_MS, usageDayStart } from "../../lib/api-keys";
import { apiKeyUsageEnv, readEnv } from "../../lib/env";
import { internalMutation, orgQuery } from "../functions";
import { internal } from "../_generated/api";
import { requireOrgKey } from "./model";
import { apiKeyRequestFields } from "./validators";

/** Rows deleted per transaction. */
const RETENTION_BATCH_SIZE = 500;
/** Requests the page lists per key. */
const RECENT_REQUESTS_SHOWN = 20;

export const record = internalMutation({
  args: apiKeyRequestFields,
  handler: async (ctx, row) => {
    await ctx.db.insert("apiKeyRequests", row);
    const dayStart = usageDayStart(row.at);
    const day = await ctx.db
      .query("apiKeyUsageDays")
      .withIndex("by_keyId_and_dayStart", (q) => q.eq("keyId", row.keyId).eq("dayStart", dayStart))
      .unique();
    const isError = row.status >= 400 ? 1 : 0;
    if (day) {
      await ctx.db.patch(day._id, { requests: day.requests + 1, errors: day.errors + isError, lastUsedAt: Math.max(day.lastUsedAt, row.at) });
    } else {
      await ctx.db.insert("apiKeyUsageDays", { orgId: row.orgId, keyId: row.keyId, dayStart, requests: 1, errors: isError, lastUsedAt: row.at });
    }
    return null;
  },
});

/** A key's requests per day (the last USAGE_DAYS_SHOWN days) and its latest requests. */
export const forKey = orgQuery({
  role: "member",
  args: { keyId: v.string() },
  handler: async (ctx, { keyId }) => {
    const key = await requireOrgKey(ctx, ctx.org._id, keyId);
    const since = usageDayStart(Date.now()) - (USAGE_DAYS_SHOWN - 1) * DAY_MS;
    const days = await ctx.db
      .query("apiKeyUsageDays")
      .withIndex("by_keyId_and_dayStart", (q) => q.eq("keyId", key._id).gte("dayStart", since))
      .take(USAGE_DAYS_SHOWN);
    const recent = await ctx.db
      .query("apiKeyRequests")
      .withIndex("by_keyId_and_at", (q) => q.eq("keyId", key._id))
      .order("desc")
      .take(RECENT_REQUESTS_SHOWN);
    return {
      days: days.map((day) => ({ dayStart: day.dayStart, requests: day.requests, errors: day.errors })),
      recent: recent.map((row) => ({
        id: row._id,
        at: row.at,
        method: row.method,
        route: row.route,
        status: row.status,
        latencyMs: row.latencyMs,
        userAgent: row.userAgent ?? null,
        ip: row.ip ?? null,
      })),
    };
  },
});

/** Deletes one batch of request rows and day counters older than the retention; schedules itself while there are more. */
export const purge = internalMutation({
  args: {},
  handler: async (ctx) => {
    const cutoff = Date.now() - readEnv(apiKeyUsageEnv).API_KEY_USAGE_RETENTION_DAYS * DAY_MS;
    const requests = await ctx.db
      .query("apiKeyRequests")
      .withIndex("by_at", (q) => q.lt("at", cutoff))
      .take(RETENTION_BATCH_SIZE);
    const days = await ctx.db
      .query("apiKeyUsageDays")
      .withIndex("by_dayStart", (q) => q.lt("dayStart", usageDayStart(cutoff)))
      .take(RETENTION_BATCH_SIZE);
    for (const row of [...requests, ...days]) await ctx.db.delete(row._id);
    if (requests.length === RETENTION_BATCH_SIZE || days.length === RETENTION_BATCH_SIZE) {
      await ctx.scheduler.runAfter(0, internal.apiKeys.usage.purge, {});
    }
    return { deleted: requests.length + days.length };
  },
});
