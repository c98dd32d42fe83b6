/// <reference types="vite/client" />
/**
 * A connected org for call and refresh tests: the real OAuth flow against the
 * provider simulator, and small readers for what the tests assert on. (Two dots in
 * the name: Convex, the test module map and the sandbox all skip this file.)
 */
import { afterEach, vi } from "vitest";
import { internal } from "../_generated/api";
import type { Doc, Id } from "../_generated/dataModel";
import { connectOAuth, simulatedOrg } from "../test.helpers";
import { CALL_SUMMARY_INTERVAL_MS } from "./counters";
import type { CallInput } from "./pipeline";

export type WorldOptions = {
  lifetimeSeconds?: number | null;
  rotation?: boolean | "none" | "reissued" | "single_use";
  /** Scopes asked for on top of the catalog's defaults (the optional ones an action needs). */
  extraScopes?: string[];
};

export async function connectedWorld(simulatorUrl: string, providerId: string, options: WorldOptions = {}) {
  const { t, simulator, admin, member, orgId } = await simulatedOrg(simulatorUrl);
  if (options.lifetimeSeconds !== undefined) await simulator.setTokenLifetime(providerId, options.lifetimeSeconds);
  if (options.rotation !== undefined) await simulator.setRotation(providerId, options.rotation);

  const connect = (id = providerId, extraScopes = options.extraScopes) => connectOAuth(admin, orgId, id, extraScopes);
  if (providerId) await connect();

  const connection = async (id = providerId): Promise<Doc<"connections">> =>
    (await t.run((ctx) =>
      ctx.db
        .query("connections")
        .withIndex("by_orgId_and_providerId", (q) => q.eq("orgId", orgId).eq("providerId", id))
        .unique(),
    ))!;

  /** A call through the pipeline as the system actor. */
  const call = (input: Partial<CallInput> & { path: string }) =>
    t.action(internal.calls.pipeline.call, {
      orgId,
      providerId,
      method: "GET",
      actor: { kind: "system", label: "test" },
      ...input,
    });

  /** An action run through the step contract as the system actor. */
  const runAction = (actionId: string, input: unknown, extra: { idempotencyKey?: string; correlationId?: string } = {}) =>
    t.action(internal.providerActions.run.run, {
      orgId,
      actionId,
      input,
      actor: { kind: "system", label: "test" },
      ...extra,
    });

  /** The app's current access token for the provider, as the simulator knows it. */
  const liveAccessToken = async (id = providerId) => {
    const tokens = await simulator.issuedTokens({ providerId: id, kind: "access_token" });
    return tokens.filter((token) => token.revokedAt === null).at(-1)!.token;
  };

  /** Makes the stored token look expired to the app and be expired at the simulator. */
  const expireEverywhere = async (id = providerId) => {
    await simulator.expireToken(await liveAccessToken(id));
    const row = await connection(id);
    await t.run((ctx) => ctx.db.patch(row._id, { accessTokenExpiresAt: Date.now() - 1_000 }));
  };

  /** Every log row: calls and Switchboard's own requests (token exchange, checks, refreshes). */
  const allLogs = () => t.run((ctx) => ctx.db.query("callLogs").collect());
  /** The log rows of pipeline calls only. */
  const logs = async () => (await allLogs()).filter((row) => (row.purpose ?? "call") === "call");
  const audit = () => t.run((ctx) => ctx.db.query("auditEvents").collect());
  const pendingJobs = () =>
    t.run(async (ctx) =>
      (await ctx.db.system.query("_scheduled_functions").collect()).filter((job) => job.state.kind === "pending"),
    );

  /**
   * Cancels every job still pending, so nothing this test scheduled fires later
   * against the shared simulator while another test runs.
   */
  const stop = async () => {
    await t.run(async (ctx) => {
      for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
        if (job.state.kind === "pending") await ctx.scheduler.cancel(job._id as Id<"_scheduled_functions">);
      }
    });
  };

  /**
   * Fakes Date and the scheduler's timers from here on (the simulator, in another
   * process, keeps real time), optionally from `at`. Undone after the test by
   * worldPerTest. Needed before calls whose counters a test reads: their summary
   * runs at the end of the minute, which `settleCounters` makes pass.
   */
  const fakeClock = (at?: number) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], shouldAdvanceTime: true });
    if (at !== undefined) vi.setSystemTime(at);
  };

  /** Lets the summary interval pass on the fake clock and waits for what the scheduler started: the counters' summary. */
  const settleCounters = async () => {
    vi.advanceTimersByTime(CALL_SUMMARY_INTERVAL_MS);
    await t.finishInProgressScheduledFunctions();
  };

  return { t, simulator, admin, member, orgId, connect, connection, call, runAction, liveAccessToken, expireEverywhere, logs, allLogs, audit, pendingJobs, stop, fakeClock, settleCounters };
}

export type World = Awaited<ReturnType<typeof connectedWorld>>;

/**
 * A `setup` for a test file whose tests each build one world: every world is stopped
 * after its test (its pending jobs cancelled), so nothing fires during the next one.
 * @example const setup = worldPerTest(); const w = await setup(simulatorUrl, "github");
 */
export function worldPerTest(): (...args: Parameters<typeof connectedWorld>) => Promise<World> {
  let world: World | undefined;
  afterEach(async () => {
    await world?.stop();
    world = undefined;
    vi.useRealTimers();
  });
  return async (...args) => {
    world = await connectedWorld(...args);
    return world;
  };
}
