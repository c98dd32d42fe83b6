/**
 * `/v1/webhook-endpoints` with a working key, on a backend where real receivers on
 * 127.0.0.1 take deliveries: each route's happy path and refusals, the key as the
 * audit actor of every write, and a rotated secret that leaves the old one signing.
 */
import { Webhook as SvixWebhook } from "svix";
import { afterEach, describe, expect, test } from "vitest";
import { startReceiver, type Receiver } from "../webhooks/outbound/test.receiver";
import { CONNECTED, webhookWorld } from "../webhooks/outbound/test.webhooks";
import { callApi, makeKey } from "./test.api";

let hook: Receiver | undefined;
afterEach(async () => {
  await hook?.close();
  hook = undefined;
});

async function keyedWorld(scopes = ["webhooks:read", "webhooks:write"]) {
  const w = await webhookWorld();
  const made = await makeKey(w.admin, w.orgId, { scopes });
  return { ...w, keyId: made.id, call: (request: Parameters<typeof callApi>[1]) => callApi(w.t, request, made.key) };
}

const ENDPOINT_KEYS = [
  "id",
  "url",
  "description",
  "filter",
  "enabled",
  "disabled_reason",
  "disabled_at",
  "failing_since",
  "last_success_at",
  "last_failure_at",
  "last_failure",
  "previous_secret_expires_at",
  "created_at",
].sort();

describe("/v1/webhook-endpoints with a working key", () => {
  test("create, read, change, rotate and delete: every write audited as the key, the secret shown only when made", async () => {
    const w = await keyedWorld();
    hook = await startReceiver();
    const created = await w.call({
      method: "POST",
      path: "/v1/webhook-endpoints",
      body: { url: hook.url, description: "  Deploy bot ", filter: ["connection.*", "action.failed"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^ep_/),
      url: hook.url,
      description: "Deploy bot",
      filter: ["action.failed", "connection.*"].sort(),
      enabled: true,
      previous_secret_expires_at: null,
      secret: expect.stringMatching(/^whsec_/),
    });
    const id = created.body!.id as string;
    const secret = created.body!.secret as string;

    const listed = await w.call({ method: "GET", path: "/v1/webhook-endpoints" });
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ data: [{ id, url: hook.url }], next_cursor: null });
    const one = await w.call({ method: "GET", path: `/v1/webhook-endpoints/${id}` });
    expect(Object.keys(one.body!).sort()).toEqual(ENDPOINT_KEYS);
    for (const answer of [listed, one]) expect(answer.text).not.toContain("whsec_");

    const changed = await w.call({ method: "PATCH", path: `/v1/webhook-endpoints/${id}`, body: { description: "Ops", filter: ["*"], enabled: false } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id, description: "Ops", filter: ["*"], enabled: false, disabled_reason: "manual", disabled_at: expect.any(String) });
    // Off, it gets nothing; on again, it does.
    await w.emit("connection.connected", CONNECTED);
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect(hook.received).toHaveLength(0);
    expect((await w.call({ method: "PATCH", path: `/v1/webhook-endpoints/${id}`, body: { enabled: true } })).body).toMatchObject({ enabled: true, disabled_reason: null });

    const rotated = await w.call({ method: "POST", path: `/v1/webhook-endpoints/${id}/rotate-secret` });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id, secret: expect.stringMatching(/^whsec_/) });
    const newSecret = rotated.body!.secret as string;
    expect(newSecret).not.toBe(secret);
    const overlapMs = Date.parse(rotated.body!.previous_secret_expires_at as string) - Date.now();
    expect(overlapMs).toBeGreaterThan(23 * 3600_000);
    expect(overlapMs).toBeLessThanOrEqual(24 * 3600_000);
    expect((await w.call({ method: "GET", path: `/v1/webhook-endpoints/${id}` })).body).toMatchObject({ previous_secret_expires_at: rotated.body!.previous_secret_expires_at });

    // The next delivery verifies with the new secret and, during the overlap, with the old one.
    await w.emit("connection.connected", CONNECTED);
    await w.t.finishAllScheduledFunctions(() => undefined);
    expect(hook.received).toHaveLength(1);
    const { headers, body } = hook.received[0]!;
    const signed = { "webhook-id": headers["webhook-id"]!, "webhook-timestamp": headers["webhook-timestamp"]!, "webhook-signature": headers["webhook-signature"]! };
    expect(new SvixWebhook(newSecret).verify(body, signed)).toMatchObject({ type: "connection.connected" });
    expect(new SvixWebhook(secret).verify(body, signed)).toMatchObject({ type: "connection.connected" });

    const deleted = await w.call({ method: "DELETE", path: `/v1/webhook-endpoints/${id}` });
    expect(deleted).toMatchObject({ status: 200, body: { id, deleted: true } });
    expect((await w.call({ method: "GET", path: `/v1/webhook-endpoints/${id}` })).body).toMatchObject({ status: 404, code: "not_found" });
    expect((await w.call({ method: "DELETE", path: `/v1/webhook-endpoints/${id}` })).body).toMatchObject({ code: "not_found" });

    const audit = (await w.audit()).filter((event) => event.action.startsWith("webhook."));
    expect(audit.map((event) => event.action)).toEqual([
      "webhook.endpoint_created",
      "webhook.endpoint_updated",
      "webhook.endpoint_disabled",
      "webhook.endpoint_enabled",
      "webhook.secret_rotated",
      "webhook.endpoint_removed",
    ]);
    for (const event of audit) expect(event.actor).toMatchObject({ kind: "apiKey", id: w.keyId });
    expect(JSON.stringify(audit)).not.toContain("whsec_");
  }, 30_000);

  test("the list pages with a cursor, oldest first", async () => {
    const w = await keyedWorld();
    const ids: string[] = [];
    for (const name of ["a", "b", "c"]) {
      const made = await w.call({ method: "POST", path: "/v1/webhook-endpoints", body: { url: `https://${name}.example.com/hooks` } });
      expect(made.body).toMatchObject({ filter: ["*"], description: "" });
      ids.push(made.body!.id as string);
    }
    const first = await w.call({ method: "GET", path: "/v1/webhook-endpoints?limit=2" });
    expect((first.body!.data as Array<{ id: string }>).map((e) => e.id)).toEqual(ids.slice(0, 2));
    const second = await w.call({ method: "GET", path: `/v1/webhook-endpoints?limit=2&cursor=${first.body!.next_cursor}` });
    expect(second.body).toMatchObject({ data: [{ id: ids[2] }], next_cursor: null });
    expect((await w.call({ method: "GET", path: "/v1/webhook-endpoints?cursor=nonsense" })).body).toMatchObject({ code: "invalid_request", errors: { cursor: expect.any(String) } });
  });

  test("a URL the app refuses is refused with unsafe_url and the same reason", async () => {
    const w = await keyedWorld();
    const create = (url: string) => w.call({ method: "POST", path: "/v1/webhook-endpoints", body: { url } });
    const cases: Array<[string, string]> = [
      ["http://example.com/hooks", "Webhook URLs must use https."],
      ["https://user:pw@example.com/hooks", "Leave the user name and password out of the URL."],
      ["not a url", "Enter a full URL, such as https://example.com/webhooks."],
      ["https://10.0.0.7/hooks", "Webhooks cannot be sent to this address (private address)."],
      ["https://metadata.internal/hooks", "Webhooks cannot be sent to this address (internal hostname)."],
    ];
    for (const [url, message] of cases) {
      const answer = await create(url);
      expect(answer.status, url).toBe(422);
      expect(answer.headers.get("Content-Type")).toBe("application/problem+json");
      expect(answer.body, url).toMatchObject({ code: "unsafe_url", detail: message, errors: { "body.url": message } });
    }
    expect((await w.call({ method: "GET", path: "/v1/webhook-endpoints" })).body).toMatchObject({ data: [] });
    expect((await w.audit()).filter((event) => event.action === "webhook.endpoint_created")).toHaveLength(0);
  });

  test("bad fields, unknown ids and Convex ids are refused with stable codes", async () => {
    const w = await keyedWorld();
    const made = await w.call({ method: "POST", path: "/v1/webhook-endpoints", body: { url: "https://hooks.example.com/x" } });
    const id = made.body!.id as string;
    const documentId = (await w.t.run((ctx) => ctx.db.query("webhookEndpoints").first()))!._id;

    const longDescription = await w.call({ method: "POST", path: "/v1/webhook-endpoints", body: { url: "https://hooks.example.com/y", description: "x".repeat(201) } });
    expect(longDescription).toMatchObject({ status: 400, body: { code: "invalid_request", errors: { "body.description": "A description has at most 200 characters." } } });
    const badFilter = await w.call({ method: "PATCH", path: `/v1/webhook-endpoints/${id}`, body: { filter: ["nonsense.event"] } });
    expect(badFilter).toMatchObject({ status: 400, body: { code: "invalid_request", errors: { "body.filter": expect.any(String) } } });
    expect((await w.call({ method: "PATCH", path: `/v1/webhook-endpoints/${id}`, body: {} })).body).toMatchObject({ code: "invalid_request" });
    // The URL is not among the fields a PATCH changes, and unknown fields are not ignored.
    expect((await w.call({ method: "PATCH", path: `/v1/webhook-endpoints/${id}`, body: { url: "https://evil.example.com" } })).body).toMatchObject({ code: "invalid_request" });
    expect((await w.call({ method: "POST", path: "/v1/webhook-endpoints", body: { description: "no url" } })).body).toMatchObject({
      code: "invalid_request",
      errors: { "body.url": expect.any(String) },
    });

    for (const unknown of ["ep_nope", documentId]) {
      for (const request of [
        { method: "GET", path: `/v1/webhook-endpoints/${unknown}` },
        { method: "PATCH", path: `/v1/webhook-endpoints/${unknown}`, body: { enabled: false } },
        { method: "DELETE", path: `/v1/webhook-endpoints/${unknown}` },
        { method: "POST", path: `/v1/webhook-endpoints/${unknown}/rotate-secret` },
      ]) {
        const answer = await w.call(request);
        expect({ status: answer.status, code: answer.body?.code }, `${request.method} ${unknown}`).toEqual({ status: 404, code: "not_found" });
      }
    }
    // Nothing changed on the way.
    expect((await w.call({ method: "GET", path: `/v1/webhook-endpoints/${id}` })).body).toMatchObject({ filter: ["*"], enabled: true });
    expect((await w.audit()).filter((event) => event.action.startsWith("webhook.")).map((event) => event.action)).toEqual(["webhook.endpoint_created"]);
  });

  test("a key that can only read lists endpoints but cannot change them", async () => {
    const w = await keyedWorld(["webhooks:read"]);
    await w.create("https://hooks.example.com/read-only");
    expect((await w.call({ method: "GET", path: "/v1/webhook-endpoints" })).body).toMatchObject({ data: [{ url: "https://hooks.example.com/read-only" }] });
    const refused = await w.call({ method: "POST", path: "/v1/webhook-endpoints", body: { url: "https://hooks.example.com/more" } });
    expect(refused).toMatchObject({ status: 403, body: { code: "insufficient_scope" } });
  });
});
