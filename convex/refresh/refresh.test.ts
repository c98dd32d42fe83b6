/**
 * Token refresh against the provider simulator: the schedule a stored token gets,
 * single flight under concurrency, rotation, failures with their reasons, the
 * sweep, and keep-alive.
 */
import { afterEach, describe, expect, inject, test, vi } from "vitest";
import {
  DEFAULT_ACCESS_TOKEN_LIFETIME_MS,
  KEEP_ALIVE_INTERVAL_MS,
  REFRESH_EXHAUSTED_AFTER_MS,
  REFRESH_JITTER_MAX_MS,
  REFRESH_MARGIN_MS,
} from "../../lib/refresh/plan";
import { api, internal } from "../_generated/api";
import type { Doc } from "../_generated/dataModel";
import { worldPerTest, type World } from "../calls/test.world";
import { decryptSecrets, encryptSecrets } from "../shared/secrets";
import { SWEEP_CLAIM_MS, SWEEP_GRACE_MS } from "./sweep";

const simulatorUrl = inject("simulatorUrl");
const HOUR = 3_600_000;

const setup = worldPerTest();
afterEach(() => {
  vi.useRealTimers();
});

const maintainJobs = async (w: World) => (await w.pendingJobs()).filter((job) => job.name === "refresh/worker:maintain");
const refreshCount = (w: World, providerId = "github") =>
  w.simulator.requestCount({ providerId, endpoint: "refresh" });
/** Runs the connection's job the way the scheduler would. */
const runJob = async (w: World, row: Doc<"connections">) =>
  w.t.action(internal.refresh.worker.maintain, { connectionId: row._id });
/** A one-hour token with five minutes left: inside its margin. */
const nearExpiry = () => ({ accessTokenIssuedAt: Date.now() - 55 * 60_000, accessTokenExpiresAt: Date.now() + 5 * 60_000 });
const patchRow = async (w: World, row: Doc<"connections">, fields: Partial<Doc<"connections">>) =>
  w.t.run((ctx) => ctx.db.patch(row._id, fields));

async function waitFor(check: () => Promise<boolean>, timeoutMs = 8_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the schedule a stored token gets", () => {
  test("a one-hour token is planned 15 minutes before expiry, minus up to 2 minutes of jitter", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    const [job] = await maintainJobs(w);
    expect(job).toBeDefined();
    expect(job!.args).toEqual([{ connectionId: row._id }]);
    expect(row.refreshJobId).toBe(job!._id);
    expect(row.nextRefreshAt).toBe(job!.scheduledTime);
    const plannedFromExpiry = row.accessTokenExpiresAt! - REFRESH_MARGIN_MS;
    expect(row.nextRefreshAt!).toBeLessThanOrEqual(plannedFromExpiry);
    expect(row.nextRefreshAt!).toBeGreaterThanOrEqual(plannedFromExpiry - REFRESH_JITTER_MAX_MS);
  });

  test("a refreshable token without expires_in is assumed to live an hour", async () => {
    const w = await setup(simulatorUrl, "notion");
    const row = await w.connection("notion");
    expect(row.accessTokenExpiresAt).toBeUndefined();
    const planned = row.accessTokenIssuedAt! + DEFAULT_ACCESS_TOKEN_LIFETIME_MS - REFRESH_MARGIN_MS;
    expect(row.nextRefreshAt!).toBeLessThanOrEqual(planned);
    expect(row.nextRefreshAt!).toBeGreaterThanOrEqual(planned - REFRESH_JITTER_MAX_MS);
  });

  test("a token that cannot be refreshed is kept alive daily instead", async () => {
    const w = await setup(simulatorUrl, "linkedin");
    const row = await w.connection("linkedin");
    expect(row.nextRefreshAt).toBe(row.lastCheckedAt! + KEEP_ALIVE_INTERVAL_MS);
  });

  test("reconnecting moves the job; disconnecting cancels it", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const first = (await maintainJobs(w))[0]!;
    await w.simulator.setTokenLifetime("github", 7200);
    await w.connect();
    const jobs = await maintainJobs(w);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!._id).not.toBe(first._id);
    expect(jobs[0]!.scheduledTime).toBeGreaterThan(first.scheduledTime + 50 * 60_000);
    await w.admin.as.action(api.integrations.connections.disconnect, { orgId: w.orgId, providerId: "github" });
    expect(await maintainJobs(w)).toEqual([]);
    expect((await w.connection()).nextRefreshAt).toBeUndefined();
  });
});

describe("proactive refresh", () => {
  test("a one-hour token is refreshed by its scheduled job at its planned time, not before, without any call", async () => {
    // Fake clock for the scheduler and Date; the simulator keeps real time (refresh tokens do not expire).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const before = await w.connection();
    vi.advanceTimersByTime(before.nextRefreshAt! - Date.now() - 5_000);
    await w.t.finishInProgressScheduledFunctions();
    expect(await refreshCount(w)).toBe(0);
    vi.advanceTimersByTime(10_000);
    await waitFor(async () => (await refreshCount(w)) === 1);
    await w.t.finishInProgressScheduledFunctions();
    const after = await w.connection();
    expect(after.secrets.accessToken).not.toBe(before.secrets.accessToken);
    expect(after.lastRefreshedAt! - before.accessTokenIssuedAt!).toBeGreaterThanOrEqual(3600_000 - REFRESH_MARGIN_MS - REFRESH_JITTER_MAX_MS);
    expect(await w.simulator.requestCount({ providerId: "github", endpoint: "api" })).toBe(0);
    expect(after.nextRefreshAt!).toBeGreaterThan(after.lastRefreshedAt! + 40 * 60_000);
  });

  test("a token that expires within the margin is refreshed by its scheduled job, without any call", async () => {
    // A 4-second token: inside the 15-minute margin from birth, so planned at half its life.
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 4 });
    const before = await w.connection();
    expect(before.nextRefreshAt! - before.accessTokenIssuedAt!).toBeLessThanOrEqual(2_000);
    await waitFor(async () => (await refreshCount(w)) >= 1);
    await w.t.finishInProgressScheduledFunctions();
    const after = await w.connection();
    expect(await refreshCount(w)).toBe(1);
    expect(await w.simulator.requestCount({ providerId: "github", endpoint: "api" })).toBe(0);
    expect(await w.logs()).toEqual([]);
    expect(after.secrets.accessToken).not.toBe(before.secrets.accessToken);
    expect(after.accessTokenExpiresAt!).toBeGreaterThan(before.accessTokenExpiresAt!);
    expect(after.status).toBe("connected");
    const refreshed = (await w.audit()).filter((e) => e.action === "integration.refreshed");
    expect(refreshed).toEqual([expect.objectContaining({ actor: expect.objectContaining({ kind: "system" }) })]);
    expect(refreshed[0]!.details).toMatchObject({ trigger: "expiring", rotated: true });
    // The new token got its own plan.
    expect((await maintainJobs(w)).map((job) => job._id)).toEqual([after.refreshJobId]);
    const stored = await decryptSecrets(after.orgId, "github", after.secrets);
    expect(stored.accessToken).toBe(await w.liveAccessToken());
  });

  test("a job that finds nothing due (the plan moved) only re-plans", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    expect(await runJob(w, row)).toEqual({ action: "none", reason: "not_due" });
    expect(await refreshCount(w)).toBe(0);
    expect(await maintainJobs(w)).toHaveLength(1);
  });
});

describe("single flight", () => {
  test("20 concurrent calls with an expired token cause one refresh at the simulator, and all 20 succeed", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600, rotation: "single_use" });
    await w.expireEverywhere();
    const results = await Promise.all(Array.from({ length: 20 }, () => w.call({ path: "/user/repos" })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await refreshCount(w)).toBe(1);
    const logs = await w.logs();
    expect(logs.filter((log) => log.refresh === "refreshed")).toHaveLength(1);
    // They really ran at once: the others found the lease taken and waited for its result.
    expect(logs.filter((log) => log.refresh === "waited").length).toBeGreaterThan(0);
    expect((await w.audit()).filter((e) => e.action === "integration.refreshed")).toHaveLength(1);
  });

  test("concurrent calls refused with 401 share one refresh and are each sent once more", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600, rotation: "single_use" });
    // Dead at the provider, alive as far as the app knows: only the 401 tells.
    await w.simulator.expireToken(await w.liveAccessToken());
    const results = await Promise.all(Array.from({ length: 10 }, () => w.call({ path: "/user/repos" })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await refreshCount(w)).toBe(1);
    expect(await w.simulator.requestCount({ providerId: "github", endpoint: "api" })).toBe(20);
  });

  test("with rotation on, a spent refresh token is never sent again, and the new one is stored before use", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600, rotation: "single_use" });
    for (let round = 0; round < 3; round++) {
      await w.expireEverywhere();
      const results = await Promise.all(Array.from({ length: 8 }, () => w.call({ path: "/user" })));
      expect(results.every((r) => r.status === 200)).toBe(true);
      const row = await w.connection();
      const stored = await decryptSecrets(row.orgId, "github", row.secrets);
      const refreshTokens = await w.simulator.issuedTokens({ providerId: "github", kind: "refresh_token" });
      // The stored refresh token is the newest one, and the only one not yet spent.
      expect(stored.refreshToken).toBe(refreshTokens.at(-1)!.token);
      expect(refreshTokens.filter((token) => token.usedAt === null).map((token) => token.token)).toEqual([stored.refreshToken]);
    }
    const refreshes = await w.simulator.requests({ providerId: "github", endpoint: "refresh" });
    // A spent single-use token would have been refused; every refresh was accepted.
    expect(refreshes.map((request) => request.status)).toEqual([200, 200, 200]);
    expect((await w.connection()).status).toBe("connected");
  });
});

describe("a refresh whose holder died", () => {
  test("shows as connected once its lease ran out, and the next refresh takes the lease over", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    const listed = async () =>
      (await w.member.as.query(api.integrations.connections.list, { orgId: w.orgId })).providers.find((p) => p.id === "github")!
        .connection!.status;
    await patchRow(w, row, { status: "refreshing", refreshLease: { id: "crashed", expiresAt: Date.now() + 60_000 } });
    expect(await listed()).toBe("refreshing");
    await patchRow(w, row, { refreshLease: { id: "crashed", expiresAt: Date.now() - 1 }, ...nearExpiry() });
    expect(await listed()).toBe("connected");
    expect(await runJob(w, row)).toEqual({ action: "refresh", reason: "expiring" });
    expect(await refreshCount(w)).toBe(1);
    expect(await w.connection()).toMatchObject({ status: "connected" });
  });
});

describe("storing a refresh", () => {
  test("is kept when a key rotation re-encrypted the spent refresh token meanwhile, dropped when a newer grant is there", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    const plain = await decryptSecrets(row.orgId, "github", row.secrets);
    const complete = (leaseId: string, spentRefreshToken: string) =>
      w.t.mutation(internal.refresh.lease.complete, {
        connectionId: row._id,
        leaseId,
        spentRefreshToken,
        secrets: row.secrets,
        trigger: "call",
        rotated: false,
      });
    const take = (leaseId: string) =>
      w.t.mutation(internal.refresh.lease.acquire, {
        connectionId: row._id,
        leaseId,
        need: { kind: "rejected", accessToken: row.secrets.accessToken! },
      });

    // Same refresh token under a fresh ciphertext, as rotateKeys would leave it.
    const reencrypted = await encryptSecrets(row.orgId, "github", plain);
    await patchRow(w, row, { secrets: reencrypted });
    expect((await take("lease-1")).kind).toBe("acquired");
    expect((await complete("lease-1", row.secrets.refreshToken!)).stored).toBe(true);

    // A different refresh token (a reconnect happened): the late result is dropped.
    const other = await encryptSecrets(row.orgId, "github", { refreshToken: "some-other-grant" });
    expect((await take("lease-2")).kind).toBe("acquired");
    expect((await complete("lease-2", other.refreshToken!)).stored).toBe(false);
    expect((await w.connection()).refreshLease).toBeUndefined();
  });
});

describe("failures with reasons", () => {
  test("invalid_grant turns the connection to error/refresh_revoked and stops automatic refresh", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    await patchRow(w, row, nearExpiry());
    await w.simulator.failNext("github", "refresh", { kind: "invalid_grant" });
    expect(await runJob(w, row)).toEqual({ action: "refresh", reason: "expiring" });
    const after = await w.connection();
    expect(after).toMatchObject({ status: "error", statusReason: "refresh_revoked" });
    expect(after.nextRefreshAt).toBeUndefined();
    expect(after.refreshLease).toBeUndefined();
    expect(await maintainJobs(w)).toEqual([]);
    const failed = (await w.audit()).find((e) => e.action === "integration.refresh_failed");
    expect(failed?.details).toMatchObject({ outcome: "refresh_revoked", failure: "invalid_grant" });
    // A call with the dead token does not try to refresh again.
    await w.expireEverywhere();
    const answer = await w.call({ path: "/user" });
    expect(answer.status).toBe(401);
    expect(await refreshCount(w)).toBe(1);
    expect(await runJob(w, after)).toEqual({ action: "none", reason: "not_live" });
    expect(await refreshCount(w)).toBe(1);
  });

  test("an outage backs off and tries again; days of failures end in refresh_exhausted", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    await patchRow(w, row, nearExpiry());
    await w.simulator.failNext("github", "refresh", { kind: "status", status: 503 });
    const before = Date.now();
    await runJob(w, row);
    const retrying = await w.connection();
    expect(retrying).toMatchObject({ status: "connected", refreshFailures: 1 });
    expect(retrying.lastError).toMatch(/unavailable/);
    expect(retrying.refreshRetryAt!).toBeGreaterThanOrEqual(before + 30_000);
    expect(retrying.refreshRetryAt!).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(retrying.nextRefreshAt).toBe(retrying.refreshRetryAt);
    expect((await maintainJobs(w)).map((job) => job.scheduledTime)).toEqual([retrying.refreshRetryAt]);
    expect((await w.audit()).find((e) => e.action === "integration.refresh_failed")?.details).toMatchObject({
      outcome: "will_retry",
      failure: "unavailable",
      attempt: 1,
    });

    // Retry-After on the token endpoint is honoured.
    await patchRow(w, retrying, { refreshRetryAt: Date.now() - 1 });
    await w.simulator.failNext("github", "refresh", { kind: "rate_limit", retryAfterSeconds: 900 });
    await runJob(w, retrying);
    expect((await w.connection()).refreshRetryAt!).toBeGreaterThanOrEqual(Date.now() + 899_000);

    // Three days later it is still failing: exhausted, and no more automatic refresh.
    await patchRow(w, retrying, {
      refreshRetryAt: Date.now() - 1,
      refreshFailingSince: Date.now() - REFRESH_EXHAUSTED_AFTER_MS,
    });
    await w.simulator.failNext("github", "refresh", { kind: "status", status: 502 });
    await runJob(w, retrying);
    const exhausted = await w.connection();
    expect(exhausted).toMatchObject({ status: "error", statusReason: "refresh_exhausted" });
    expect(exhausted.nextRefreshAt).toBeUndefined();
    expect(await maintainJobs(w)).toEqual([]);
  });

  test("a refresh that succeeds after failures clears them", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    const row = await w.connection();
    await patchRow(w, row, { refreshFailures: 3, refreshFailingSince: Date.now() - HOUR, refreshRetryAt: Date.now() - 1 });
    expect(await runJob(w, row)).toEqual({ action: "refresh", reason: "retry" });
    const after = await w.connection();
    expect(after.status).toBe("connected");
    expect([after.refreshFailures, after.refreshFailingSince, after.refreshRetryAt]).toEqual([undefined, undefined, undefined]);
    expect(after.nextRefreshAt!).toBeGreaterThan(Date.now() + 40 * 60_000);
  });
});

describe("the sweep", () => {
  test("restarts overdue connections whose job was lost, and reads nothing else", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 3600 });
    await w.connect("gmail");
    await w.connect("linkedin");
    const github = await w.connection("github");
    const gmail = await w.connection("gmail");
    // GitHub's job was lost and its token is nearly due; Gmail's plan is in the future.
    await w.t.run(async (ctx) => {
      await ctx.scheduler.cancel(github.refreshJobId!);
      await ctx.db.patch(github._id, { nextRefreshAt: Date.now() - SWEEP_GRACE_MS - 1, ...nearExpiry() });
    });
    const now = Date.now();
    expect(await w.t.mutation(internal.refresh.sweep.run, {})).toEqual({ scheduled: 1, more: false });
    const claimed = await w.connection("github");
    expect(claimed.nextRefreshAt!).toBeGreaterThanOrEqual(now + SWEEP_CLAIM_MS);
    expect(claimed.refreshJobId).not.toBe(github.refreshJobId);
    expect((await w.connection("gmail")).refreshJobId).toBe(gmail.refreshJobId);
    // The restarted job refreshes and re-plans from the real time.
    await waitFor(async () => (await refreshCount(w)) === 1);
    await w.t.finishInProgressScheduledFunctions();
    const done = await w.connection("github");
    expect(done.lastRefreshedAt).toBeDefined();
    expect(done.nextRefreshAt!).toBeLessThan(done.accessTokenExpiresAt! - REFRESH_MARGIN_MS + 1);
    expect(await w.t.mutation(internal.refresh.sweep.run, {})).toEqual({ scheduled: 0, more: false });
  });
});

describe("keep-alive", () => {
  const idleSince = () => Date.now() - KEEP_ALIVE_INTERVAL_MS - 60_000;

  test("an idle connection that cannot refresh is tested; a refusal turns it to error/unauthorized", async () => {
    const w = await setup(simulatorUrl, "linkedin");
    const row = await w.connection("linkedin");
    const tests = () => w.simulator.requestCount({ providerId: "linkedin", endpoint: "test" });
    const testsBefore = await tests();
    await patchRow(w, row, { connectedAt: idleSince(), lastCheckedAt: idleSince() });
    expect(await runJob(w, row)).toEqual({ action: "test", reason: "keep_alive" });
    expect(await tests()).toBe(testsBefore + 1);
    const checked = await w.connection("linkedin");
    expect(checked.lastCheckedAt!).toBeGreaterThan(Date.now() - 5_000);
    expect(checked.nextRefreshAt!).toBeGreaterThan(Date.now() + KEEP_ALIVE_INTERVAL_MS - 5_000);

    await w.simulator.revokeAll("linkedin");
    await patchRow(w, checked, { lastCheckedAt: idleSince() });
    await runJob(w, checked);
    expect(await w.connection("linkedin")).toMatchObject({ status: "error", statusReason: "unauthorized" });
    expect((await w.audit()).map((e) => e.action)).toContain("integration.unauthorized");
    expect(await maintainJobs(w)).toEqual([]);
  });

  test("an idle connection that can refresh is refreshed, which keeps its refresh token alive", async () => {
    const w = await setup(simulatorUrl, "github", { lifetimeSeconds: 30 * 24 * 3600 });
    const row = await w.connection();
    expect(row.nextRefreshAt).toBe(row.lastCheckedAt! + KEEP_ALIVE_INTERVAL_MS);
    await patchRow(w, row, { connectedAt: idleSince(), lastCheckedAt: idleSince(), accessTokenIssuedAt: idleSince() });
    expect(await runJob(w, row)).toEqual({ action: "refresh", reason: "keep_alive" });
    expect(await refreshCount(w)).toBe(1);
    expect((await w.audit()).find((e) => e.action === "integration.refreshed")?.details).toMatchObject({ trigger: "keep_alive" });
  });

  test("webhooks are never kept alive (a test would post a message)", async () => {
    const w = await setup(simulatorUrl, "");
    await w.admin.as.action(api.integrations.credentials.connect, {
      orgId: w.orgId,
      providerId: "custom-webhook",
      values: { url: await w.simulator.webhookUrl("custom-webhook"), method: "POST", authMode: "none" },
    });
    expect((await w.connection("custom-webhook")).nextRefreshAt).toBeUndefined();
    expect(await maintainJobs(w)).toEqual([]);
  });
});
