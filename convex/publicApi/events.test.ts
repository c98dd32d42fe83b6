/**
 * `GET /v1/events` and `GET /v1/events/{eventId}` through convex/http.ts: deliveries
 * received at a Standard Webhooks endpoint (signed by the `standardwebhooks` library, not
 * by our code) listed newest first, filtered, paged by cursor across rows received in the
 * same millisecond; an event's detail with redacted headers, the payload as JSON (or its
 * text when cut); clear 400s; a key limited to some connections seeing only theirs; and
 * neither the endpoint's secret nor a signature anywhere in an answer.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { STORED_PAYLOAD_MAX_BYTES } from "../../lib/inbound/store";
import type { Id } from "../_generated/dataModel";
import { inboundWorld, insertConnection, post } from "../webhooks/inbound/test.inbound";
import { callApi, makeKey } from "./test.api";

function signed(secret: string, id: string, body: string) {
  const at = new Date();
  return { "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(secret).sign(id, at, body) };
}

async function world() {
  const w = await inboundWorld();
  const { url, secret } = await w.standardEndpoint();
  const path = new URL(url).pathname;
  const deliver = async (id: string, payload: unknown) => {
    const body = typeof payload === "string" ? payload : JSON.stringify(payload);
    const response = await post(w.t, path, body, signed(secret!, id, body));
    expect(response.status).toBe(200);
  };
  const { key } = await makeKey(w.admin, w.orgId, { scopes: ["events:read"] });
  const get = (path: string, withKey = key) => callApi(w.t, { method: "GET", path }, withKey);
  return { ...w, secret: secret!, deliver, key, get };
}

type Page = { data: Array<Record<string, unknown> & { id: string; type: string }>; next_cursor: string | null };

/** Every page of `path` (which has a query already), following next_cursor. */
async function allPages(get: (path: string) => Promise<{ status: number; body: Record<string, unknown> | null }>, path: string) {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const answer = await get(cursor === null ? path : `${path}&cursor=${cursor}`);
    expect(answer.status).toBe(200);
    const page = answer.body as Page;
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

describe("GET /v1/events", () => {
  test("lists received deliveries newest first, without payloads, and filters by type, provider and status", async () => {
    const w = await world();
    await w.deliver("msg_1", { type: "invoice.paid", data: { id: "in_1" } });
    await w.deliver("msg_2", { type: "invoice.failed", data: { id: "in_2" } });
    await w.deliver("msg_3", { type: "invoice.paid", data: { id: "in_3" } });

    const all = await w.get("/v1/events");
    expect(all.status).toBe(200);
    const page = all.body as Page;
    expect(page.data.map((event) => event.delivery_id)).toEqual(["msg_3", "msg_2", "msg_1"]);
    expect(page.next_cursor).toBeNull();
    // Processing is scheduled at once (real timers): pending or already processed.
    expect(page.data[0]).toMatchObject({ provider_id: "custom-webhook", type: "webhook.invoice.paid", status: expect.stringMatching(/^(pending|processed)$/), last_error: null, lifecycle: null });
    expect(page.data[0]).not.toHaveProperty("payload");

    const paid = (await w.get("/v1/events?type=webhook.invoice.paid")).body as Page;
    expect(paid.data.map((event) => event.delivery_id)).toEqual(["msg_3", "msg_1"]);
    expect(((await w.get("/v1/events?provider=github")).body as Page).data).toEqual([]);
    expect(((await w.get("/v1/events?provider=custom-webhook&type=webhook.invoice.failed")).body as Page).data.map((e) => e.delivery_id)).toEqual(["msg_2"]);

    await w.t.finishAllScheduledFunctions(() => undefined);
    const processed = (await w.get("/v1/events?status=processed&type=webhook.invoice.paid")).body as Page;
    expect(processed.data.map((event) => [event.delivery_id, event.status, event.attempts])).toEqual([
      ["msg_3", "processed", 1],
      ["msg_1", "processed", 1],
    ]);
    expect(((await w.get("/v1/events?status=pending")).body as Page).data).toEqual([]);
  });

  test("pages by cursor: every event once, in order, also across events received in the same millisecond", async () => {
    const w = await world();
    // Seven events in two milliseconds (the cursor must break ties), and one of another type between them.
    await w.t.run(async (ctx) => {
      for (let i = 0; i < 8; i++) {
        await ctx.db.insert("inboundEvents", {
          orgId: w.orgId,
          providerId: "custom-webhook",
          type: i === 4 ? "webhook.other" : "webhook.tick",
          dedupeKey: `standard_webhooks:msg_${i}`,
          deliveryId: `msg_${i}`,
          verification: "Standard Webhooks (webhook-signature v1)",
          headers: {},
          payload: "{}",
          payloadBytes: 2,
          payloadTruncated: false,
          receivedAt: 1_700_000_000_000 + (i < 3 ? 0 : 1),
          status: "processed",
          attempts: 1,
          attemptLimit: 5,
        });
      }
    });
    const newestFirst = ["msg_7", "msg_6", "msg_5", "msg_4", "msg_3", "msg_2", "msg_1", "msg_0"];
    for (const limit of [1, 2, 3, 100]) {
      const pages = await allPages(w.get, `/v1/events?limit=${limit}`);
      expect(pages.flatMap((page) => page.data.map((event) => event.delivery_id)), `limit ${limit}`).toEqual(newestFirst);
      expect(pages.every((page) => page.data.length <= limit)).toBe(true);
      expect(pages.at(-1)!.next_cursor).toBeNull();
    }
    const ticks = await allPages(w.get, "/v1/events?limit=2&type=webhook.tick");
    expect(ticks.flatMap((page) => page.data.map((event) => event.delivery_id))).toEqual(newestFirst.filter((id) => id !== "msg_4"));
    const first = ticks[0]!.data.map((event) => event.received_at);
    expect(first).toEqual([new Date(1_700_000_000_001).toISOString(), new Date(1_700_000_000_001).toISOString()]);
  });

  test("a page reads a bounded number of rows: past them it comes back short, with a cursor that goes on", async () => {
    const w = await world();
    // The status index is read; the type is checked per row. 160 newer rows of another type hide the one that matches.
    await w.t.run(async (ctx) => {
      for (let i = 0; i < 161; i++) {
        await ctx.db.insert("inboundEvents", {
          orgId: w.orgId,
          providerId: "custom-webhook",
          type: i === 0 ? "webhook.wanted" : "webhook.noise",
          dedupeKey: `standard_webhooks:id:n_${i}`,
          deliveryId: `n_${i}`,
          verification: "x",
          headers: {},
          payload: "{}",
          payloadBytes: 2,
          payloadTruncated: false,
          receivedAt: 1_700_000_000_000 + i,
          status: "processed",
          attempts: 1,
          attemptLimit: 5,
        });
      }
    });
    const first = (await w.get("/v1/events?status=processed&type=webhook.wanted")).body as Page;
    expect(first.data).toEqual([]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await w.get(`/v1/events?status=processed&type=webhook.wanted&cursor=${first.next_cursor}`)).body as Page;
    expect(second.data.map((event) => event.delivery_id)).toEqual(["n_0"]);
    expect(second.next_cursor).toBeNull();
  });

  test("a bad query is a 400 that names the field and says what is allowed", async () => {
    const w = await world();
    for (const [query, field, message] of [
      ["status=done", "status", "One of pending, processed, failed, dead."],
      ["limit=0", "limit", expect.any(String)],
      ["limit=101", "limit", expect.any(String)],
      ["provider=", "provider", "A provider id, such as github."],
      ["type=" + "x".repeat(129), "type", "An event type is at most 128 characters."],
      ["cursor=nonsense", "cursor", expect.any(String)],
      ["cursor=cDE6Mg", "cursor", expect.any(String)], // a connections cursor (p1:2) is not an events one
    ] as const) {
      const answer = await w.get(`/v1/events?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.headers.get("Content-Type")).toBe("application/problem+json");
      expect(answer.body, query).toMatchObject({ code: "invalid_request", errors: { [field]: message } });
    }
  });

  test("a key limited to some connections sees their providers' events and the organization's own, not the others", async () => {
    const w = await world();
    await w.deliver("msg_org", { type: "invoice.paid", data: {} });
    const githubConnection = await insertConnection(w.t, w.orgId, w.admin.userId, "github", "1");
    const slackConnection = await insertConnection(w.t, w.orgId, w.admin.userId, "slack", "T1");
    const ids: Record<string, Id<"inboundEvents">> = {};
    await w.t.run(async (ctx) => {
      for (const [providerId, connectionId] of [["github", githubConnection], ["slack", slackConnection]] as const) {
        ids[providerId] = await ctx.db.insert("inboundEvents", {
          orgId: w.orgId,
          providerId,
          connectionId,
          type: `${providerId}.thing`,
          dedupeKey: `${providerId}:1`,
          verification: "x",
          headers: {},
          payload: "{}",
          payloadBytes: 2,
          payloadTruncated: false,
          receivedAt: Date.now(),
          status: "processed",
          attempts: 1,
          attemptLimit: 5,
        });
      }
    });
    const { key: slackOnly } = await makeKey(w.admin, w.orgId, { scopes: ["events:read"], providerIds: ["slack"] });
    const listed = (await w.get("/v1/events", slackOnly)).body as Page;
    expect(listed.data.map((event) => event.provider_id).sort()).toEqual(["custom-webhook", "slack"]);
    expect(((await w.get("/v1/events?provider=github", slackOnly)).body as Page).data).toEqual([]);
    expect((await w.get(`/v1/events/${ids.github}`, slackOnly)).body).toMatchObject({ status: 403, code: "connection_not_allowed" });
    expect((await w.get(`/v1/events/${ids.slack}`, slackOnly)).status).toBe(200);
    expect(((await w.get("/v1/events")).body as Page).data).toHaveLength(3);
  });
});

describe("GET /v1/events/{eventId}", () => {
  test("one event: redacted headers, the payload as JSON, never the secret or a signature", async () => {
    const w = await world();
    await w.deliver("msg_1", { type: "invoice.paid", data: { id: "in_1", api_key: "sk_live_hidden" } });
    const [listed] = ((await w.get("/v1/events")).body as Page).data;
    const answer = await w.get(`/v1/events/${listed!.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: listed!.id,
      provider_id: "custom-webhook",
      type: "webhook.invoice.paid",
      delivery_id: "msg_1",
      verification: "Standard Webhooks (webhook-signature v1)",
      payload: { type: "invoice.paid", data: { id: "in_1", api_key: "[REDACTED]" } },
      payload_format: "json",
      truncated: false,
      headers: { "webhook-id": "msg_1", "webhook-signature": "[REDACTED]" },
    });
    const stored = (await w.events())[0]!;
    expect(answer.body!.payload_bytes).toBe(stored.payloadBytes);
    expect(answer.text).not.toContain("sk_live_hidden");
    expect(answer.text).not.toContain(w.secret);
    expect(answer.text).not.toMatch(/v1,[A-Za-z0-9+/=]{20,}/);

    await w.t.finishAllScheduledFunctions(() => undefined);
    expect((await w.get(`/v1/events/${listed!.id}`)).body).toMatchObject({ status: "processed", attempts: 1, processed_at: expect.any(String), next_attempt_at: null });
  });

  test("a payload cut at the cap is its text, marked truncated", async () => {
    const w = await world();
    await w.deliver("msg_big", { type: "export.ready", data: { rows: "r".repeat(STORED_PAYLOAD_MAX_BYTES) } });
    const [listed] = ((await w.get("/v1/events")).body as Page).data;
    const answer = await w.get(`/v1/events/${listed!.id}`);
    expect(answer.body).toMatchObject({ truncated: true, payload_format: "text", payload: expect.stringMatching(/^\{"type":"export.ready"/) });
    expect(answer.body!.payload_bytes).toBeGreaterThan(STORED_PAYLOAD_MAX_BYTES);
  });

  test("an id that is not an event, or is another organization's, is 404", async () => {
    const w = await world();
    await w.deliver("msg_1", { type: "invoice.paid", data: {} });
    const [listed] = ((await w.get("/v1/events")).body as Page).data;
    expect((await w.get("/v1/events/nope")).body).toMatchObject({ status: 404, code: "not_found" });
    expect((await w.get(`/v1/events/${w.orgId}`)).body).toMatchObject({ status: 404, code: "not_found" });
    const other = await world();
    expect((await other.get(`/v1/events/${listed!.id}`)).body).toMatchObject({ status: 404, code: "not_found" });
  });
});
