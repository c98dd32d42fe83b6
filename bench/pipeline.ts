/**
 * Pipeline overhead: a GET through `internal.calls.pipeline.call` (load the
 * connection, decrypt, guard the URL, inject auth and headers, send, read the
 * answer, write the log row and counters) against a bare `fetch` of the same URL
 * with the same headers, reading the same answer, both to the provider simulator on
 * 127.0.0.1, in the same process. Answers are the simulator's API-like record lists
 * of a given size, optionally behind a simulated provider latency.
 *
 * What the pipeline's time is made of is measured in the same rounds by a third
 * contender: `runCall`, the action's body, run directly with a ctx whose
 * `runQuery`/`runMutation` go to the same convex-test backend and are counted and
 * timed. The action minus the direct run is convex-test running an action (argument
 * validation, the result's conversion: the harness); the direct run minus the bare
 * fetch and minus its database round trips is the pipeline's own work.
 */
import { api, internal } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import type { ActionCtx } from "../convex/_generated/server";
import { runCall, type CallInput } from "../convex/calls/pipeline";
import type { RunningSimulator } from "../tools/provider-simulator/server";
import type { Backend } from "./backend";
import { medianDifference, rotated, summarise, type Summary } from "./stats";

const PATH = "/repos/acme/app/issues";
const SIMULATOR_PATH = `/github${PATH}`;

/** A ctx for `runCall` (or `runAction`) whose database round trips go to `t`, counted and timed. */
export function countingCtx(t: Backend) {
  const trips = { count: 0, ms: 0 };
  const timedTrip =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      trips.count += 1;
      const started = performance.now();
      try {
        return await run(...args);
      } finally {
        trips.ms += performance.now() - started;
      }
    };
  // runCall passes function references and their arguments through untouched.
  const loose = t as unknown as Record<"query" | "mutation" | "action", (ref: unknown, args: unknown) => Promise<unknown>>;
  const ctx = {
    runQuery: timedTrip((ref: unknown, args: unknown) => loose.query(ref, args)),
    runMutation: timedTrip((ref: unknown, args: unknown) => loose.mutation(ref, args)),
    runAction: timedTrip((ref: unknown, args: unknown) => loose.action(ref, args)),
  } as unknown as ActionCtx;
  return { ctx, trips };
}

/** Connects GitHub for a fresh org through the real OAuth flow, with the simulator approving. */
export async function connectGitHub(t: Backend, simulator: RunningSimulator) {
  return connectOAuthProvider(t, simulator, "github");
}

/** Connects an OAuth provider for a fresh org (a new one per call) through the real flow. */
export async function connectOAuthProvider(t: Backend, simulator: RunningSimulator, providerId: string, extraScopes?: string[], label = providerId) {
  const userId = await t.run((ctx) => ctx.db.insert("users", { email: `bench-${label}@example.com` }));
  const sessionId = await t.run((ctx) => ctx.db.insert("authSessions", { userId, expirationTime: Date.now() + 3_600_000 }));
  const orgId = await t.run(async (ctx) => {
    const id = await ctx.db.insert("organizations", { name: "Bench", slug: `bench-${label}`, createdBy: userId });
    await ctx.db.insert("memberships", { orgId: id, userId, role: "owner" });
    return id;
  });
  const admin = t.withIdentity({ subject: `${userId}|${sessionId}` });
  simulator.control.setTokenLifetime(providerId, 3600);
  const { authorizeUrl } = await admin.action(api.integrations.oauth.start, {
    orgId,
    providerId,
    mode: "redirect",
    returnTo: "/o/bench/settings/integrations",
    ...(extraScopes ? { extraScopes } : {}),
  });
  const redirect = await fetch(authorizeUrl, { redirect: "manual" });
  const params = new URL(redirect.headers.get("location")!).searchParams;
  const result = await admin.action(api.integrations.oauth.complete, {
    providerId,
    state: params.get("state")!,
    code: params.get("code")!,
  });
  if (!result.ok) throw new Error(`connecting ${providerId} failed: ${result.code}`);
  return { orgId, admin };
}

export type PipelineRun = {
  bytes: number;
  latencyMs: number;
  pipeline: Summary;
  bare: Summary;
  /** `runCall` with the counting ctx. */
  direct: Summary;
  /** Time in runQuery/runMutation per direct call. */
  database: Summary;
  /** runQuery/runMutation/runAction per call (the most any call made). */
  roundTrips: number;
  /** Median over rounds of pipeline − direct: convex-test running the action. */
  harnessMs: number;
  /** Median over rounds of direct − bare − database: the pipeline's own work. */
  ownMs: number;
};

export async function benchPipeline(
  t: Backend,
  simulator: RunningSimulator,
  orgId: Id<"organizations">,
  { bytes, latencyMs, rounds }: { bytes: number; latencyMs: number; rounds: number },
): Promise<PipelineRun> {
  const token = simulator.control.issuedTokens({ providerId: "github", kind: "access_token" }).at(-1)!.token;
  const url = `${simulator.url}${SIMULATOR_PATH}`;
  const headers = {
    Accept: "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "Switchboard",
    Authorization: `Bearer ${token}`,
  };
  const args: CallInput = { orgId, providerId: "github", method: "GET", path: PATH, actor: { kind: "system", label: "bench" } };
  const answerOfSize = () => simulator.control.hugeBodyNext("github", { bytes, shape: "records", path: SIMULATOR_PATH });
  const check = (status: number, length: number) => {
    if (status !== 200 || length !== bytes) throw new Error(`expected 200 with ${bytes} bytes, got ${status} with ${length}`);
  };

  const database: number[] = [];
  let roundTrips = 0;
  const contenders = {
    pipeline: {
      prepare: answerOfSize,
      run: async () => {
        const result = await t.action(internal.calls.pipeline.call, args);
        check(result.status, result.body.length);
      },
    },
    direct: {
      prepare: answerOfSize,
      run: async () => {
        const { ctx, trips } = countingCtx(t);
        const result = await runCall(ctx, args);
        check(result.status, result.body.length);
        database.push(trips.ms);
        roundTrips = Math.max(roundTrips, trips.count);
      },
    },
    bare: {
      prepare: answerOfSize,
      run: async () => {
        const response = await fetch(url, { headers, redirect: "manual" });
        check(response.status, (await response.text()).length);
      },
    },
  };
  simulator.control.setLatency("github", latencyMs);
  try {
    await rotated(Math.max(5, Math.round(rounds / 10)), contenders); // warm-up
    database.length = 0;
    const samples = await rotated(rounds, contenders);
    return {
      bytes,
      latencyMs,
      pipeline: summarise(samples.pipeline),
      bare: summarise(samples.bare),
      direct: summarise(samples.direct),
      database: summarise(database),
      roundTrips,
      harnessMs: medianDifference(samples.pipeline, samples.direct),
      ownMs: medianDifference(samples.direct, samples.bare, database),
    };
  } finally {
    simulator.control.setLatency("github", null);
  }
}
