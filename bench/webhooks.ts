/**
 * Outbound webhooks: signing against a bare HMAC of the same bytes, fan-out reads with
 * 1 and 100 endpoints in the org (one subscribed), and the time from an event to its
 * first attempt reaching a receiver on 127.0.0.1.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { GenericMutationCtx } from "convex/server";
import { generateWebhookSecret, secretKeyBytes, signatureHeader } from "../lib/webhooks";
import { api } from "../convex/_generated/api";
import type { DataModel, Id } from "../convex/_generated/dataModel";
import { emitWebhookEvent } from "../convex/webhooks/outbound/emit";
import { fanOutEvent } from "../convex/webhooks/outbound/fanout";
import { backend, type Backend } from "./backend";
import { sideBySide, summarise } from "./stats";

const BODY = JSON.stringify({
  type: "action.failed",
  timestamp: new Date(0).toISOString(),
  data: { actionId: "slack.post_message", providerId: "slack", correlationId: "call_bench", code: "provider_error", message: "x".repeat(300), retryable: true },
});

export async function benchSigning(rounds: number) {
  const secret = generateWebhookSecret();
  const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const content = new TextEncoder().encode(`msg_bench.1700000000.${BODY}`);
  const samples = await sideBySide(
    rounds,
    () => signatureHeader({ id: "msg_bench", timestampSeconds: 1_700_000_000, body: BODY, secrets: [secret] }),
    () => crypto.subtle.sign("HMAC", key, content),
  );
  return { signing: summarise(samples.a), bare: summarise(samples.b) };
}

async function orgWith(t: Backend, endpoints: number): Promise<Id<"organizations">> {
  return await t.run(async (ctx) => {
    const userId = await ctx.db.insert("users", { email: `bench-${endpoints}@example.com` });
    const orgId = await ctx.db.insert("organizations", { name: "Bench", slug: `bench-${endpoints}`, createdBy: userId });
    for (let i = 0; i < endpoints; i++) {
      const filterKey = i === 0 ? "action.failed" : "connection.connected";
      const endpointId = await ctx.db.insert("webhookEndpoints", {
        orgId,
        publicId: `ep_bench_${i}`,
        url: "https://hooks.example.com/",
        description: "",
        filter: [filterKey],
        enabled: true,
        secret: { ciphertext: "unused", version: 1 },
        createdAt: 0,
      });
      await ctx.db.insert("webhookSubscriptions", { orgId, endpointId, filterKey });
    }
    return orgId;
  });
}

/** Documents read and index ranges used by one fan-out of action.failed. */
async function fanOutReads(endpoints: number) {
  const t = backend({ transactionLimits: true });
  const orgId = await orgWith(t, endpoints);
  return await t.run(async (ctx) => {
    const metricsOf = async (c: GenericMutationCtx<DataModel>) => c.meta.getTransactionMetrics();
    const before = await metricsOf(ctx);
    const messages = await fanOutEvent(ctx, orgId, "action.failed", BODY);
    const after = await metricsOf(ctx);
    for (const job of await ctx.db.system.query("_scheduled_functions").collect()) {
      if (job.state.kind === "pending") await ctx.scheduler.cancel(job._id);
    }
    return {
      messages,
      documentsRead: after.documentsRead.used - before.documentsRead.used,
      databaseQueries: after.databaseQueries.used - before.databaseQueries.used,
    };
  });
}

export async function benchFanOut() {
  return { one: await fanOutReads(1), hundred: await fanOutReads(100) };
}

/** From emitting an event (the mutation that commits it) to the receiver holding the first attempt. */
export async function benchFirstAttempt(t: Backend, rounds: number) {
  let arrived: (() => void) | null = null;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(204).end();
      arrived?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const userId = await t.run((ctx) => ctx.db.insert("users", { email: "bench-webhooks@example.com" }));
  const sessionId = await t.run((ctx) => ctx.db.insert("authSessions", { userId, expirationTime: Date.now() + 3_600_000 }));
  const orgId = await t.run(async (ctx) => {
    const orgId = await ctx.db.insert("organizations", { name: "Hooks", slug: "bench-hooks", createdBy: userId });
    await ctx.db.insert("memberships", { orgId, userId, role: "owner" });
    return orgId;
  });
  const admin = t.withIdentity({ subject: `${userId}|${sessionId}` });
  await admin.action(api.webhooks.outbound.endpoints.create, { orgId, url, description: "bench", filter: ["action.failed"] });
  const samples: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const done = new Promise<void>((resolve) => (arrived = resolve));
      const start = performance.now();
      await t.run((ctx) =>
        emitWebhookEvent(ctx, orgId, "action.failed", {
          actionId: "slack.post_message",
          providerId: "slack",
          correlationId: `call_${i}`,
          code: "provider_error",
          message: "bench",
          retryable: true,
        }),
      );
      await done;
      samples.push(performance.now() - start);
      await t.finishInProgressScheduledFunctions();
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return summarise(samples);
}
