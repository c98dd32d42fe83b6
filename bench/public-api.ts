/**
 * What a key costs a public API request: the database reads and writes of key
 * authentication and rate limiting (target: one indexed read of the key and one write
 * of its rate-limit row) and of the usage log, and their time against the request's.
 * GET /v1/connections through convex/http.ts with a key, then its two key mutations
 * on their own, taking turns round by round; "the route without auth" is the request's
 * median less theirs (the route's own work is the same either way).
 */
import { hashApiKey } from "../lib/api-keys";
import { api, internal } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { readSetOf, recordDatabase } from "../convex/test.syscalls";
import type { Backend } from "./backend";
import { summarise, timed, type Summary } from "./stats";

const AUTH = "apiKeys/auth:authenticate";
const USAGE = "apiKeys/usage:record";

export type PublicApiBench = {
  authReads: { documents: number; tables: string[] };
  authWrites: Record<string, number>;
  usageWrites: Record<string, number>;
  otherWrites: string[];
  request: Summary;
  auth: Summary;
  usage: Summary;
};

export async function benchPublicApi(t: Backend, admin: { action: Backend["action"] }, orgId: Id<"organizations">, rounds: number): Promise<PublicApiBench> {
  const { key, id: keyId } = await admin.action(api.apiKeys.keys.create, {
    orgId,
    name: "Bench key",
    scopes: ["connections:read"],
    rateLimitPerMinute: 10_000,
  });
  const keyHash = await hashApiKey(key);
  const request = () => t.fetch("/v1/connections", { headers: { Authorization: `Bearer ${key}` } }).then((r) => r.text());
  await request(); // the rate-limit row's first write is an insert; measure the steady state

  const writes = recordDatabase();
  const reads = await readSetOf(AUTH, request);
  writes.stop();
  const count = (by: string) =>
    writes.writes.filter((w) => w.by === by).reduce<Record<string, number>>((out, w) => ({ ...out, [`${w.kind} ${w.table}`]: (out[`${w.kind} ${w.table}`] ?? 0) + 1 }), {});
  const others = writes.writes.filter((w) => w.by !== AUTH && w.by !== USAGE).map((w) => `${w.by}: ${w.kind} ${w.table}`);

  const samples = { request: [] as number[], auth: [] as number[], usage: [] as number[] };
  const usageRow = { orgId, keyId, method: "GET", route: "/v1/connections", status: 200, latencyMs: 1, at: Date.now() };
  for (let i = 0; i < rounds; i++) {
    samples.request.push(await timed(request));
    samples.auth.push(await timed(() => t.mutation(internal.apiKeys.auth.authenticate, { keyHash, scope: "connections:read" })));
    samples.usage.push(await timed(() => t.mutation(internal.apiKeys.usage.record, { ...usageRow, at: Date.now() })));
  }
  return {
    authReads: { documents: reads.ids.size, tables: [...reads.rangeTables].sort() },
    authWrites: count(AUTH),
    usageWrites: count(USAGE),
    otherWrites: others,
    request: summarise(samples.request),
    auth: summarise(samples.auth),
    usage: summarise(samples.usage),
  };
}
