/**
 * Inbound webhooks (section 10): what receiving one Standard Webhooks delivery costs
 * against a bare HMAC check of the same bytes, the database writes of an accepted
 * delivery and of a duplicate, and sustained deliveries per second into the offline
 * sandbox over HTTP with 20 concurrent senders, checked afterwards for lost and
 * duplicated events. Deliveries are signed by the `standardwebhooks` library (not our
 * signer), outside every timing.
 */
import { fileURLToPath } from "node:url";
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";
import { Webhook } from "standardwebhooks";
import { dedupeKey, readDelivery } from "../lib/inbound/events";
import { concatBytes, fromBase64, toHex } from "../lib/inbound/hmac";
import { INBOUND_SCHEMES, verifyDelivery } from "../lib/inbound/schemes";
import { storedHeaders, storedPayload } from "../lib/inbound/store";
import { secretKeyBytes } from "../lib/webhooks";
import { startSandbox } from "../tools/convex-sandbox/server.mjs";
import { api, internal } from "../convex/_generated/api";
import type { Id } from "../convex/_generated/dataModel";
import { recordDatabase, type RecordedWrite } from "../convex/test.syscalls";
import { backend, type Backend } from "./backend";
import { medianDifference, rotated, summarise, type Summary } from "./stats";

const SCHEME = "standard_webhooks";
const PROVIDER = "custom-webhook";

/** A JSON body of exactly `bytes` bytes, the shape a Standard Webhooks sender posts. */
export function bodyOf(bytes: number): string {
  const head = '{"type":"invoice.paid","data":{"id":"in_bench","notes":"';
  const tail = '"}}';
  return head + "x".repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
}

type Delivery = { id: string; headers: Record<string, string>; body: Uint8Array<ArrayBuffer>; text: string };

/** A delivery signed as a sender signs it, with the headers a real request carries (lowercase, as the HTTP action reads them). */
function signedDelivery(secret: string, id: string, text: string, at = new Date()): Delivery {
  const body = new TextEncoder().encode(text);
  return {
    id,
    text,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "bench-sender/1.0",
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, at, text),
    },
  };
}

/** An org with an owner and one Standard Webhooks endpoint, made through the endpoints page's action. */
async function orgWithEndpoint(t: Backend, slug: string) {
  const userId = await t.run((ctx) => ctx.db.insert("users", { email: `${slug}@example.com` }));
  const sessionId = await t.run((ctx) => ctx.db.insert("authSessions", { userId, expirationTime: Date.now() + 3_600_000 }));
  const orgId = await t.run(async (ctx) => {
    const orgId = await ctx.db.insert("organizations", { name: "Inbound", slug, createdBy: userId });
    await ctx.db.insert("memberships", { orgId, userId, role: "owner" });
    return orgId;
  });
  const admin = t.withIdentity({ subject: `${userId}|${sessionId}` });
  const made = await admin.action(api.webhooks.inbound.endpoints.create, { orgId, providerId: PROVIDER, description: "Bench sender" });
  return { orgId, endpointId: made.endpointId, path: new URL(made.url).pathname, secret: made.secret! };
}

/**
 * What the HTTP action computes from a verified delivery before its one mutation
 * (convex/webhooks/inbound/receive.ts, steps 4 and 6): verify the raw bytes, parse,
 * read type and id, hash the body, redact and cap payload and headers.
 */
async function receivedArgs(delivery: Delivery, secret: string, orgId: Id<"organizations">, endpointId: Id<"inboundEndpoints">) {
  const receivedAt = Date.now();
  const verified = await verifyDelivery(SCHEME, { method: "POST", headers: delivery.headers, body: delivery.body, url: "", receivedAt }, [secret]);
  if (!verified.ok) throw new Error(`the bench delivery was refused: ${verified.reason}`);
  const parsed: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(delivery.body));
  const reading = readDelivery(SCHEME, { headers: delivery.headers, body: parsed });
  const bodyHash = toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", delivery.body)));
  const stored = storedPayload(delivery.body, parsed);
  return {
    targets: [{ orgId, endpointId }],
    providerId: PROVIDER,
    type: reading.type,
    dedupeKey: dedupeKey(SCHEME, reading, bodyHash),
    ...(reading.deliveryId !== null ? { deliveryId: reading.deliveryId } : {}),
    verification: INBOUND_SCHEMES[SCHEME].label,
    headers: storedHeaders(delivery.headers),
    payload: stored.payload,
    payloadBytes: stored.bytes,
    payloadTruncated: stored.truncated,
    receivedAt,
  };
}

export type InboundPathRun = {
  bytes: number;
  bare: Summary;
  pure: Summary;
  ours: Summary;
  floor: Summary;
  whole: Summary;
  fetchFloor: Summary;
  /** Medians of per-round differences: ours less the mutation floor; whole less the fetch floor. */
  oursOwnMs: number;
  wholeOwnMs: number;
};

/**
 * Per delivery, taking turns round by round, each contender with a delivery of its own
 * (a new `webhook-id`, signed before its turn):
 * - bare: `crypto.subtle.verify` HMAC-SHA256 of the same signed content (`id.timestamp.body`), key imported once;
 * - pure: the HTTP action's own work on the delivery (`receivedArgs`), no database;
 * - ours: pure + the `store` mutation (dedupe check, insert, schedule) in convex-test;
 * - floor: convex-test's cost of any mutation (`recordRefusal` of a removed endpoint: one get), to read ours without the harness;
 * - whole: the `receive` HTTP action through `t.fetch` (adds the endpoint query, the vault decrypt of its secret, the Request/Response);
 * - fetchFloor: convex-test's cost of any HTTP action through the same router: the same POST to an unknown provider (404 before any work).
 * Before each turn, untimed: the last delivery's processing is run to the end and the
 * events are removed, so every store sees the same small table.
 */
export async function benchInboundPath(bytes: number, rounds: number): Promise<InboundPathRun> {
  const t = backend();
  const { orgId, endpointId, path, secret } = await orgWithEndpoint(t, `inbound-path-${bytes}`);
  const removed = await t.run(async (ctx) => {
    const id = await ctx.db.insert("inboundEndpoints", {
      orgId,
      publicId: "ie_removed",
      providerId: PROVIDER,
      scheme: SCHEME,
      description: "removed",
      state: "active",
      failedVerifications: 0,
      createdAt: 0,
    });
    await ctx.db.delete(id);
    return id;
  });
  const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const text = bodyOf(bytes);
  let n = 0;
  let next: Delivery = signedDelivery(secret, "msg_warm", text);
  const prepare = async () => {
    await t.finishAllScheduledFunctions(() => undefined);
    await t.run(async (ctx) => {
      for (const event of await ctx.db.query("inboundEvents").take(10)) await ctx.db.delete(event._id);
    });
    next = signedDelivery(secret, `msg_${bytes}_${n++}`, text);
  };
  const contenders = {
    bare: {
      prepare,
      run: async () => {
        const d = next;
        const content = concatBytes(`${d.id}.${d.headers["webhook-timestamp"]}.`, d.body);
        const signature = fromBase64(d.headers["webhook-signature"]!.split(",", 2)[1]!)!;
        if (!(await crypto.subtle.verify("HMAC", key, signature, content))) throw new Error("the bare check refused the delivery");
      },
    },
    pure: { prepare, run: () => receivedArgs(next, secret, orgId, endpointId) },
    ours: {
      prepare,
      run: async () => {
        const { stored } = await t.mutation(internal.webhooks.inbound.ingest.store, await receivedArgs(next, secret, orgId, endpointId));
        if (stored !== 1) throw new Error("the bench delivery was not stored");
      },
    },
    floor: { prepare, run: () => t.mutation(internal.webhooks.inbound.ingest.recordRefusal, { endpointId: removed, reason: "bench" }) },
    whole: {
      prepare,
      run: async () => {
        const response = await t.fetch(path, { method: "POST", headers: next.headers, body: next.body });
        if (response.status !== 200) throw new Error(`the bench delivery was answered ${response.status}`);
        await response.text();
      },
    },
    fetchFloor: {
      prepare,
      run: async () => {
        const response = await t.fetch("/webhooks/not-a-provider", { method: "POST", headers: next.headers, body: next.body });
        if (response.status !== 404) throw new Error(`the unknown provider was answered ${response.status}`);
        await response.text();
      },
    },
  };
  // A few rounds untimed first: JIT, module loading and the first inserts.
  await rotated(10, contenders);
  const samples = await rotated(rounds, contenders);
  await t.finishAllScheduledFunctions(() => undefined);
  return {
    bytes,
    bare: summarise(samples.bare),
    pure: summarise(samples.pure),
    ours: summarise(samples.ours),
    floor: summarise(samples.floor),
    whole: summarise(samples.whole),
    fetchFloor: summarise(samples.fetchFloor),
    oursOwnMs: medianDifference(samples.ours, samples.floor),
    wholeOwnMs: medianDifference(samples.whole, samples.fetchFloor),
  };
}

export type WriteCount = { writes: RecordedWrite[]; documents: number; scheduled: number };

/**
 * The writes of one accepted delivery and of the same delivery resent (re-signed, as a
 * sender's retry is: same `webhook-id`, new timestamp), through `receive` on convex-test,
 * recorded at the syscalls with the function that made each; jobs scheduled counted in
 * `_scheduled_functions`. Processing (after the answer) is run and counted apart.
 */
export async function benchInboundWrites() {
  const t = backend();
  const { path, secret } = await orgWithEndpoint(t, "inbound-writes");
  const text = bodyOf(1024);
  const jobs = () => t.run(async (ctx) => (await ctx.db.system.query("_scheduled_functions").take(1000)).length);
  const deliver = async (delivery: Delivery): Promise<WriteCount> => {
    const before = await jobs();
    const recorder = recordDatabase();
    try {
      const response = await t.fetch(path, { method: "POST", headers: delivery.headers, body: delivery.body });
      if (response.status !== 200) throw new Error(`the bench delivery was answered ${response.status}`);
    } finally {
      recorder.stop();
    }
    // Only the request's writes: processing runs on its own, from the scheduled job.
    const writes = recorder.writes.filter((w) => !w.by.startsWith("webhooks/inbound/processing"));
    return { writes, documents: new Set(writes.map((w) => w.id)).size, scheduled: (await jobs()) - before };
  };
  const accepted = await deliver(signedDelivery(secret, "msg_once", text));
  const processing = recordDatabase();
  await t.finishAllScheduledFunctions(() => undefined);
  processing.stop();
  const duplicate = await deliver(signedDelivery(secret, "msg_once", text, new Date(Date.now() + 1000)));
  await t.finishAllScheduledFunctions(() => undefined);
  const events = await t.run(async (ctx) => (await ctx.db.query("inboundEvents").take(10)).length);
  return { accepted, duplicate, processingWrites: processing.writes, events };
}

export type SandboxRun = {
  senders: number;
  sent: number;
  distinct: number;
  resent: number;
  wallMs: number;
  perSecond: number;
  /** Deliveries per second over the first and the last quarter of the answers. */
  firstQuarterPerSecond: number;
  lastQuarterPerSecond: number;
  answers: Record<string, number>;
  lost: number;
  duplicated: number;
  processed: number;
  pendingAfterMs: number;
};

const ref = <K extends "mutation" | "action">(kind: K, name: string) => makeFunctionReference<K>(name);

/**
 * `senders` concurrent senders post `total` signed deliveries to one Standard Webhooks
 * endpoint's URL on the sandbox's site port; every tenth distinct delivery is sent again
 * right after itself (same `webhook-id`, re-signed), so a copy often races its original.
 * Then the database: every distinct id must have exactly one event.
 */
export async function benchInboundSandbox(options: { senders: number; total: number; bytes: number }): Promise<SandboxRun> {
  const sandbox = await startSandbox({
    convexDir: fileURLToPath(new URL("../convex", import.meta.url)),
    port: 0,
    sitePort: 0,
    quiet: true,
    envFile: null,
    crons: false,
  });
  try {
    // Its functions' log lines (Convex Auth's) are not the bench's output.
    const convex = new ConvexHttpClient(sandbox.url, { logger: false });
    const signedUp = (await convex.action(ref("action", "auth:signIn"), {
      provider: "password",
      params: { email: "inbound-bench@example.com", password: "correct-horse-battery-9", flow: "signUp" },
    })) as { tokens: { token: string } };
    convex.setAuth(signedUp.tokens.token);
    const { orgId } = (await convex.mutation(ref("mutation", "orgs/organizations:create"), { name: "Inbound bench" })) as { orgId: string };
    const endpoint = (await convex.action(ref("action", "webhooks/inbound/endpoints:create"), { orgId, providerId: PROVIDER, description: "Bench senders" })) as {
      url: string;
      secret: string;
    };
    const url = `${sandbox.siteUrl}${new URL(endpoint.url).pathname}`;
    const text = bodyOf(options.bytes);

    // The work list: ids in order, each tenth one twice in a row.
    const ids: string[] = [];
    for (let i = 0; ids.length < options.total; i++) {
      ids.push(`msg_${i}`);
      if (i % 10 === 9 && ids.length < options.total) ids.push(`msg_${i}`);
    }
    const distinct = new Set(ids);
    // Signed ahead, so the senders only send.
    const deliveries = ids.map((id) => signedDelivery(endpoint.secret, id, text));
    const answers: Record<string, number> = {};
    const answeredAt: number[] = [];
    let nextIndex = 0;
    const sender = async () => {
      for (let i = nextIndex++; i < deliveries.length; i = nextIndex++) {
        const d = deliveries[i]!;
        const response = await fetch(url, { method: "POST", headers: d.headers, body: d.body });
        await response.arrayBuffer();
        answers[response.status] = (answers[response.status] ?? 0) + 1;
        answeredAt.push(performance.now());
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: options.senders }, sender));
    const wallMs = performance.now() - start;
    const quarter = Math.floor(answeredAt.length / 4);
    const rate = (from: number, to: number, count: number) => (count / (to - from)) * 1000;

    // Processing runs on after the answers; wait (bounded) for it to drain before reading the table.
    type EventDoc = { orgId: string; deliveryId?: string; status: string };
    const events = async () => ((await sandbox.exportTables()).inboundEvents ?? []) as unknown as EventDoc[];
    let rows = await events();
    const waitStart = performance.now();
    while (rows.some((row) => row.status === "pending") && performance.now() - waitStart < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      rows = await events();
    }
    const pendingAfterMs = performance.now() - waitStart;
    const perId = new Map<string, number>();
    for (const row of rows) {
      if (row.orgId !== orgId || row.deliveryId === undefined) continue;
      perId.set(row.deliveryId, (perId.get(row.deliveryId) ?? 0) + 1);
    }
    return {
      senders: options.senders,
      sent: ids.length,
      distinct: distinct.size,
      resent: ids.length - distinct.size,
      wallMs,
      perSecond: (ids.length / wallMs) * 1000,
      firstQuarterPerSecond: rate(start, answeredAt[quarter - 1]!, quarter),
      lastQuarterPerSecond: rate(answeredAt[answeredAt.length - quarter - 1]!, answeredAt.at(-1)!, quarter),
      answers,
      lost: [...distinct].filter((id) => !perId.has(id)).length,
      duplicated: [...perId.values()].filter((count) => count > 1).length,
      processed: rows.filter((row) => row.orgId === orgId && row.status === "processed").length,
      pendingAfterMs,
    };
  } finally {
    await sandbox.close();
  }
}
