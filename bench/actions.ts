/**
 * An action run vs the bare pipeline call it makes: `slack.post_message` through
 * `runAction` (validate the input, read the connection, check scopes, map the request,
 * the call, map and validate the answer) against `runCall` with the same request
 * (method, path, headers, body) the mapping produces, both run directly with the same
 * counting ctx (no convex-test action harness on either side), same payload, same answer
 * from the simulator's Slack. The action passes the connection it read to the call, so
 * both make the same database round trips.
 */
import type { Id } from "../convex/_generated/dataModel";
import { runCall } from "../convex/calls/pipeline";
import { runAction } from "../convex/providerActions/run";
import type { Backend } from "./backend";
import { countingCtx } from "./pipeline";
import { rotated, summarise, type Summary } from "./stats";

export type ActionRun = { textBytes: number; action: Summary; call: Summary; actionTrips: number; callTrips: number };

export async function benchAction(t: Backend, orgId: Id<"organizations">, { textBytes, rounds }: { textBytes: number; rounds: number }): Promise<ActionRun> {
  const text = "x".repeat(textBytes);
  const actor = { kind: "system" as const, label: "bench" };
  const trips = { action: 0, call: 0 };
  const contenders = {
    action: {
      run: async () => {
        const { ctx, trips: counted } = countingCtx(t);
        const result = await runAction(ctx, { orgId, actionId: "slack.post_message", input: { channel: "C0GENERAL", text }, actor });
        if (!result.ok) throw new Error(`the action failed: ${result.error.message}`);
        trips.action = Math.max(trips.action, counted.count);
      },
    },
    call: {
      run: async () => {
        const { ctx, trips: counted } = countingCtx(t);
        const result = await runCall(ctx, {
          orgId,
          providerId: "slack",
          method: "POST",
          path: "/chat.postMessage",
          headers: { "Content-Type": "application/json; charset=utf-8" },
          body: JSON.stringify({ channel: "C0GENERAL", text }),
          actor,
        });
        if (result.status !== 200 || !JSON.parse(result.body).ok) throw new Error(`the call failed: ${result.status}`);
        trips.call = Math.max(trips.call, counted.count);
      },
    },
  };
  await rotated(Math.max(5, Math.round(rounds / 10)), contenders); // warm-up
  const samples = await rotated(rounds, contenders);
  return { textBytes, action: summarise(samples.action), call: summarise(samples.call), actionTrips: trips.action, callTrips: trips.call };
}
