/**
 * The simulator's provider webhooks, received by a plain node:http server and checked with
 * code that is not the simulator's: @octokit/webhooks-methods for GitHub, the
 * standardwebhooks package for Standard Webhooks, and node's createHmac with each
 * provider's documented recipe for the rest. The app's own verifier (lib/inbound) must
 * agree too, and refuse each `tamper` for exactly its reason.
 */
import { verify as octokitVerify } from "@octokit/webhooks-methods";
import { jwtVerify } from "jose";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { readDelivery } from "../../lib/inbound/events";
import { verifyDelivery, type InboundSchemeId } from "../../lib/inbound/schemes";
import { connectSimulator } from "./control-client";
import { startSimulator, type RunningSimulator } from "./server";
import { startTrapServer } from "./testing";
import { asanaHandshake, graphValidate, notionVerification, slackUrlVerification, trelloHeadCheck, zoomUrlValidation } from "./webhook-handshakes";
import { SENDERS, STALE_BY_MS, WEBHOOK_SENDER_IDS, type TamperMode, type WebhookSenderId } from "./webhooks";

type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer };
type Handler = (req: Received, res: ServerResponse) => void;

/** A receiver on 127.0.0.1 that records each request's raw bytes and answers with `handler` (default 200 "ok"). */
async function startReceiver() {
  const requests: Received[] = [];
  let handler: Handler = (_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(received);
      handler(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    answer(next: Handler) {
      handler = next;
    },
    last: () => requests.at(-1)!,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let sim: RunningSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sim = await startSimulator();
  receiver = await startReceiver();
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  sim.control.reset();
  receiver.requests.length = 0;
  receiver.answer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
});

const SECRET = "endpoint-secret-3f9c";
const WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const secretOf = (id: WebhookSenderId) => (id === "standard_webhooks" ? WHSEC : SECRET);
const hex = (algorithm: string, key: string, data: Buffer | string) => createHmac(algorithm, key).update(data).digest("hex");
const header = (r: Received, name: string) => {
  const value = r.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
};
const bodyJson = (r: Received) => JSON.parse(r.body.toString("utf8")) as Record<string, unknown>;

/** One event per scheme, the one the app cares most about. */
const EVENT: Record<WebhookSenderId, string> = {
  github: "issues.opened",
  slack: "message",
  linear: "Issue.create",
  notion: "page.created",
  zoom: "meeting.started",
  asana: "task.changed",
  trello: "createCard",
  jira: "jira:issue_created",
  jira_dynamic: "jira:issue_created",
  pumble: "NEW_MESSAGE",
  microsoft_graph: "created",
  google_calendar: "exists",
  standard_webhooks: "invoice.paid",
};

/**
 * Each provider's documented check, written here from the docs (not the simulator's code):
 * whether the received request carries a valid signature (or token) under `secret`.
 */
const INDEPENDENT: Record<WebhookSenderId, (r: Received, secret: string, url: string, receivedAt?: number) => Promise<boolean> | boolean> = {
  github: async (r, secret) =>
    header(r, "x-hub-signature-256") !== undefined &&
    (await octokitVerify(secret, r.body.toString("utf8"), header(r, "x-hub-signature-256")!)) &&
    header(r, "x-hub-signature") === `sha1=${hex("sha1", secret, r.body)}`,
  slack: (r, secret) => header(r, "x-slack-signature") === `v0=${hex("sha256", secret, `v0:${header(r, "x-slack-request-timestamp")}:${r.body.toString("utf8")}`)}`,
  linear: (r, secret) => header(r, "linear-signature") === hex("sha256", secret, r.body),
  notion: (r, secret) => header(r, "x-notion-signature") === `sha256=${hex("sha256", secret, r.body)}`,
  zoom: (r, secret) => header(r, "x-zm-signature") === `v0=${hex("sha256", secret, `v0:${header(r, "x-zm-request-timestamp")}:${r.body.toString("utf8")}`)}`,
  asana: (r, secret) => header(r, "x-hook-signature") === hex("sha256", secret, r.body),
  trello: (r, secret, url) => header(r, "x-trello-webhook") === createHmac("sha1", secret).update(r.body.toString("utf8") + url).digest("base64"),
  jira: (r, secret) => header(r, "x-hub-signature") === `sha256=${hex("sha256", secret, r.body)}`,
  // jose checks the HS256 signature and exp against the given clock.
  jira_dynamic: async (r, secret, _url, receivedAt = Date.now()) => {
    const token = /^Bearer (.+)$/.exec(header(r, "authorization") ?? "")?.[1];
    if (token === undefined) return false;
    try {
      await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ["HS256"], currentDate: new Date(receivedAt) });
      return true;
    } catch {
      return false;
    }
  },
  pumble: (r, secret) => header(r, "x-pumble-request-signature") === hex("sha256", secret, `${header(r, "x-pumble-request-timestamp")}:${r.body.toString("utf8")}`),
  microsoft_graph: (r, secret) => (bodyJson(r).value as Array<{ clientState?: string }>).every((n) => n.clientState === secret),
  google_calendar: (r, secret) => header(r, "x-goog-channel-token") === secret,
  // The package checks the timestamp against its clock: received at `receivedAt` (default now).
  standard_webhooks: (r, secret, _url, receivedAt = Date.now()) => {
    vi.useFakeTimers({ toFake: ["Date"], now: receivedAt });
    try {
      new StandardWebhook(secret).verify(r.body.toString("utf8"), r.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    } finally {
      vi.useRealTimers();
    }
  },
};

/** The request as lib/inbound reads it. */
const inbound = (r: Received, url: string, receivedAt = Date.now()) => ({
  method: r.method,
  headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")])),
  body: new Uint8Array(r.body),
  url,
  receivedAt,
});

describe.each(WEBHOOK_SENDER_IDS)("%s", (providerId) => {
  const url = () => `${receiver.url}/webhooks/${providerId}/ep_1?x=1`;

  it("sends a POST signed the provider's way, which independent code and the app's verifier accept", async () => {
    const answer = await sim.control.sendWebhook({ providerId, url: url(), secret: secretOf(providerId), event: EVENT[providerId] });
    expect(answer).toMatchObject({ status: 200, body: "ok" });
    expect(answer.headers["content-type"]).toBe("text/plain");
    const r = receiver.last();
    expect(r.method).toBe("POST");
    expect(r.url).toBe(`/webhooks/${providerId}/ep_1?x=1`);
    expect(await INDEPENDENT[providerId](r, secretOf(providerId), url())).toBe(true);
    expect(await INDEPENDENT[providerId](r, `${secretOf(providerId)}x`.replace("whsec_MfKQ", "whsec_AAAA"), url())).toBe(false);
    expect(await verifyDelivery(providerId as InboundSchemeId, inbound(r, url()), [secretOf(providerId)])).toEqual({ ok: true });
    expect(sim.control.sentWebhooks({ providerId })).toEqual([
      expect.objectContaining({ deliveryId: answer.deliveryId, providerId, url: url(), event: EVENT[providerId], status: 200, attempt: 0, asRetry: false, tamper: null }),
    ]);
  });

  it("a resend is the same bytes and headers with the same id", async () => {
    const first = await sim.control.sendWebhook({ providerId, url: url(), secret: secretOf(providerId), event: EVENT[providerId] });
    const again = await sim.control.resendWebhook(first.deliveryId);
    expect(again.deliveryId).toBe(first.deliveryId);
    const [a, b] = receiver.requests;
    expect(b!.body.equals(a!.body)).toBe(true);
    expect(b!.headers).toEqual(a!.headers);
    expect(sim.control.sentWebhooks({ providerId }).map((s) => [s.deliveryId, s.attempt])).toEqual([
      [first.deliveryId, 0],
      [first.deliveryId, 1],
    ]);
  });

  it.each(["body", "secret", "stale_timestamp", "missing_signature"] as const)("tamper %s breaks that one thing", async (tamper: TamperMode) => {
    const secret = secretOf(providerId);
    const send = () => sim.control.sendWebhook({ providerId, url: url(), secret, event: EVENT[providerId], tamper });
    const unsignedBody = providerId === "microsoft_graph" || providerId === "google_calendar" || providerId === "jira_dynamic";
    const timestamped = ["slack", "zoom", "pumble", "linear", "standard_webhooks", "jira_dynamic"].includes(providerId);
    if ((tamper === "body" && unsignedBody) || (tamper === "stale_timestamp" && !timestamped)) {
      await expect(send()).rejects.toThrow(/nothing to break/);
      return;
    }
    const at = sim.control.now();
    await send();
    const r = receiver.last();
    const expected = { body: "bad_signature", secret: "bad_signature", stale_timestamp: "stale_timestamp", missing_signature: "missing_signature" }[tamper];
    expect(await verifyDelivery(providerId as InboundSchemeId, inbound(r, url()), [secret])).toEqual({ ok: false, reason: expected });
    if (tamper === "body") {
      // Without the added field, the body is what was signed.
      const { tampered, ...original } = bodyJson(r);
      expect(tampered).toBe(true);
      expect(await INDEPENDENT[providerId]({ ...r, body: Buffer.from(JSON.stringify(original)) }, secret, url())).toBe(true);
    } else if (tamper === "secret") {
      expect(await INDEPENDENT[providerId](r, secret, url())).toBe(false);
    } else if (tamper === "stale_timestamp") {
      // Signed properly, only long ago: received then, it passes.
      expect(await INDEPENDENT[providerId](r, secret, url(), at - STALE_BY_MS)).toBe(true);
      expect(await verifyDelivery(providerId as InboundSchemeId, inbound(r, url(), at - STALE_BY_MS), [secret])).toEqual({ ok: true });
    } else {
      expect(await INDEPENDENT[providerId](r, secret, url())).toBe(false);
    }
  });
});

describe("the providers' documented examples", () => {
  const ctx = (secret: string, sentAt: number) => ({ event: "", data: {}, deliveryId: "d", eventAt: sentAt, sentAt, secret, unsigned: false, url: "", account: null, sequence: 1, attempt: 0 });

  it("GitHub: 'Validating webhook deliveries' signs Hello, World! as the docs show", () => {
    const signed = SENDERS.github.sign(new TextEncoder().encode("Hello, World!"), ctx("It's a Secret to Everybody", 0));
    expect(signed["X-Hub-Signature-256"]).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  });

  it("Slack: 'Verifying requests from Slack' signs its example as the docs show", () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const signed = SENDERS.slack.sign(new TextEncoder().encode(body), ctx("8f742231b10e8888abcd99yyyzzz85a5", 1531420618 * 1000));
    expect(signed).toEqual({ "X-Slack-Request-Timestamp": "1531420618", "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503" });
  });
});

describe("payloads the app reads", () => {
  const url = () => `${receiver.url}/webhooks/app`;

  it("GitHub: event and action, a GUID delivery id, the hook id, Hookshot's user agent, and each documented event", async () => {
    const answer = await sim.control.sendWebhook({ providerId: "github", url: url(), secret: SECRET, event: "issues.opened" });
    const r = receiver.last();
    expect(header(r, "x-github-event")).toBe("issues");
    expect(header(r, "x-github-delivery")).toBe(answer.deliveryId);
    expect(answer.deliveryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(header(r, "x-github-hook-id")).toMatch(/^\d+$/);
    expect(header(r, "user-agent")).toMatch(/^GitHub-Hookshot\//);
    expect(header(r, "content-type")).toBe("application/json");
    expect(bodyJson(r)).toMatchObject({ action: "opened", issue: { number: 1 }, repository: { full_name: "octo-org/app" }, sender: { id: 1001 }, installation: { id: 1001 } });
    const expectations: Array<[string, string | null, object]> = [
      ["pull_request.opened", "github.pull_request.opened", { number: 2 }],
      ["installation.deleted", "provider_uninstalled", { installation: { id: 1001 } }],
      ["installation.suspend", "provider_suspended", { installation: { id: 1001 } }],
      ["github_app_authorization.revoked", "provider_revoked", { action: "revoked" }],
      ["ping", "github.ping", { hook_id: expect.any(Number), zen: expect.any(String) }],
    ];
    for (const [event, meaning, shape] of expectations) {
      await sim.control.sendWebhook({ providerId: "github", url: url(), secret: SECRET, event });
      const reading = readDelivery("github", { headers: inbound(receiver.last(), url()).headers, body: bodyJson(receiver.last()) });
      expect(meaning?.startsWith("github.") ? reading.type : reading.lifecycle?.reason, event).toBe(meaning);
      expect(bodyJson(receiver.last()), event).toMatchObject(shape);
    }
  });

  it("account fields follow the simulated account, and data deep-merges into the body", async () => {
    sim.control.setAccount("slack", { id: "T0ACME" });
    await sim.control.sendWebhook({ providerId: "slack", url: url(), secret: SECRET, event: "app_mention", data: { event: { text: "hi" } } });
    const body = bodyJson(receiver.last());
    expect(body).toMatchObject({ type: "event_callback", team_id: "T0ACME", api_app_id: expect.any(String), event: { type: "app_mention", text: "hi", user: expect.any(String) } });
    expect(body.event_id).toBe(sim.control.sentWebhooks().at(-1)!.deliveryId);
    expect(body.event_time).toBe(Math.floor(sim.control.sentWebhooks().at(-1)!.at / 1000));
    for (const event of ["tokens_revoked", "app_uninstalled"]) {
      await sim.control.sendWebhook({ providerId: "slack", url: url(), secret: SECRET, event });
      expect(readDelivery("slack", { headers: {}, body: bodyJson(receiver.last()) }).lifecycle).not.toBeNull();
    }
    await sim.control.sendWebhook({ providerId: "zoom", url: url(), secret: SECRET, event: "app_deauthorized" });
    expect(bodyJson(receiver.last())).toMatchObject({ event: "app_deauthorized", payload: { account_id: "sim-zoom-account", client_id: expect.any(String), deauthorization_time: expect.any(String) } });
    await sim.control.sendWebhook({ providerId: "linear", url: url(), secret: SECRET, event: "Comment.update", at: 1_780_000_000_000 });
    const r = receiver.last();
    expect(header(r, "linear-event")).toBe("Comment");
    expect(header(r, "linear-delivery")).toBe(sim.control.sentWebhooks().at(-1)!.deliveryId);
    expect(bodyJson(r)).toMatchObject({ action: "update", type: "Comment", organizationId: "sim-linear-account", webhookTimestamp: 1_780_000_000_000, webhookId: expect.any(String) });
  });

  it("Graph: change and lifecycle notifications; catalog id 'microsoft' works too", async () => {
    await sim.control.sendWebhook({ providerId: "microsoft", url: url(), secret: SECRET, event: "updated", data: { subscriptionId: "sub-1" } });
    expect(bodyJson(receiver.last()).value).toEqual([
      expect.objectContaining({ subscriptionId: "sub-1", clientState: SECRET, changeType: "updated", resource: expect.any(String), tenantId: "sim-microsoft-account", resourceData: expect.objectContaining({ id: expect.any(String) }) }),
    ]);
    for (const lifecycleEvent of ["reauthorizationRequired", "subscriptionRemoved", "missed"]) {
      await sim.control.sendWebhook({ providerId: "microsoft_graph", url: url(), secret: SECRET, event: lifecycleEvent });
      const [notification] = bodyJson(receiver.last()).value as Array<Record<string, unknown>>;
      expect(notification).toMatchObject({ lifecycleEvent, clientState: SECRET, subscriptionId: expect.any(String) });
      expect(notification).not.toHaveProperty("changeType");
    }
    expect(sim.control.sentWebhooks({ providerId: "microsoft" })).toHaveLength(4);
  });

  it("Google Calendar: an empty body, the channel headers, sync numbered 1 and later messages counting up", async () => {
    for (const state of ["sync", "exists", "not_exists"]) {
      await sim.control.sendWebhook({ providerId: "google-calendar", url: url(), secret: "channel-token", event: state, data: { channelId: "ch-1" } });
    }
    const [sync, exists, gone] = receiver.requests;
    expect(sync!.body.length).toBe(0);
    expect([sync, exists, gone].map((r) => [header(r!, "x-goog-resource-state"), header(r!, "x-goog-message-number")])).toEqual([
      ["sync", "1"],
      ["exists", "2"],
      ["not_exists", "3"],
    ]);
    expect(header(exists!, "x-goog-channel-id")).toBe("ch-1");
    expect(header(exists!, "x-goog-channel-token")).toBe("channel-token");
    expect(header(exists!, "x-goog-resource-id")).toEqual(expect.any(String));
    expect(header(exists!, "x-goog-channel-expiration")).toMatch(/GMT$/);
  });

  it("extra headers override the provider's, whatever their case", async () => {
    await sim.control.sendWebhook({ providerId: "github", url: url(), secret: SECRET, event: "ping", headers: { "x-github-event": "pong", "X-Extra": "1" } });
    expect(header(receiver.last(), "x-github-event")).toBe("pong");
    expect(header(receiver.last(), "x-extra")).toBe("1");
  });

  it("refuses bad input", async () => {
    const base = { providerId: "github", url: url(), secret: SECRET, event: "ping" };
    await expect(sim.control.sendWebhook({ ...base, providerId: "gitlab" })).rejects.toThrow(/providerId/);
    await expect(sim.control.sendWebhook({ ...base, url: "/relative" })).rejects.toThrow(/url/);
    await expect(sim.control.sendWebhook({ ...base, secret: "" })).rejects.toThrow(/secret/);
    await expect(sim.control.sendWebhook({ ...base, tamper: "all" as TamperMode })).rejects.toThrow(/tamper/);
    await expect(sim.control.sendWebhook({ ...base, headers: { "Bad Name": "x" } })).rejects.toThrow(/headers/);
    const { deliveryId } = await sim.control.sendWebhook(base);
    await expect(sim.control.sendWebhook({ ...base, deliveryId })).rejects.toThrow(/resendWebhook/);
    await expect(sim.control.resendWebhook("nope")).rejects.toThrow(/No delivery/);
    expect(receiver.requests).toHaveLength(1);
  });
});

describe("retries", () => {
  const url = () => `${receiver.url}/webhooks/slack`;

  it("Slack: a retry keeps the event_id, says its number and reason, and is signed at its own time", async () => {
    receiver.answer((_req, res) => res.writeHead(500).end());
    const first = await sim.control.sendWebhook({ providerId: "slack", url: url(), secret: SECRET, event: "message" });
    expect(first.status).toBe(500);
    sim.control.advanceClock(60_000);
    receiver.answer((_req, res) => res.writeHead(200).end());
    const retry = await sim.control.resendWebhook(first.deliveryId, { asRetry: true });
    expect(retry.status).toBe(200);
    const [a, b] = receiver.requests;
    expect(a!.headers["x-slack-retry-num"]).toBeUndefined();
    expect([b!.headers["x-slack-retry-num"], b!.headers["x-slack-retry-reason"]]).toEqual(["1", "http_error"]);
    expect(b!.body.equals(a!.body)).toBe(true);
    expect(Number(b!.headers["x-slack-request-timestamp"]) - Number(a!.headers["x-slack-request-timestamp"])).toBeGreaterThanOrEqual(60);
    expect(INDEPENDENT.slack(b!, SECRET, url())).toBe(true);
    expect(bodyJson(b!).event_id).toBe(first.deliveryId);
    await sim.control.resendWebhook(first.deliveryId, { asRetry: true });
    expect(receiver.last().headers["x-slack-retry-num"]).toBe("2");
    expect(sim.control.sentWebhooks().map((s) => [s.status, s.attempt, s.asRetry])).toEqual([
      [500, 0, false],
      [200, 1, true],
      [200, 2, true],
    ]);
  });

  it("Slack: a timeout's retry says http_timeout", async () => {
    receiver.answer(() => {});
    const first = await sim.control.sendWebhook({ providerId: "slack", url: url(), secret: SECRET, event: "message", timeoutMs: 150 });
    expect(first).toMatchObject({ status: 0, error: expect.stringMatching(/^timeout/) });
    receiver.answer((_req, res) => res.writeHead(200).end());
    await sim.control.resendWebhook(first.deliveryId, { asRetry: true });
    expect(receiver.last().headers["x-slack-retry-reason"]).toBe("http_timeout");
  });

  it("Jira counts retries in X-Atlassian-Webhook-Retry, same identifier and bytes; Linear and Standard Webhooks re-sign", async () => {
    const jira = await sim.control.sendWebhook({ providerId: "jira", url: url(), secret: SECRET, event: "jira:issue_updated" });
    await sim.control.resendWebhook(jira.deliveryId, { asRetry: true });
    const [a, b] = receiver.requests;
    expect(b!.headers["x-atlassian-webhook-retry"]).toBe("1");
    expect(b!.headers["x-atlassian-webhook-identifier"]).toBe(jira.deliveryId);
    expect(b!.body.equals(a!.body)).toBe(true);

    sim.control.advanceClock(-120_000);
    const linear = await sim.control.sendWebhook({ providerId: "linear", url: url(), secret: SECRET, event: "Issue.update" });
    sim.control.advanceClock(120_000);
    await sim.control.resendWebhook(linear.deliveryId, { asRetry: true });
    const retried = receiver.last();
    expect(header(retried, "linear-delivery")).toBe(linear.deliveryId);
    expect(await verifyDelivery("linear", inbound(retried, url()), [SECRET])).toEqual({ ok: true });

    const standard = await sim.control.sendWebhook({ providerId: "standard_webhooks", url: url(), secret: WHSEC, event: "invoice.paid" });
    sim.control.advanceClock(600_000);
    await sim.control.resendWebhook(standard.deliveryId, { asRetry: true });
    expect(header(receiver.last(), "webhook-id")).toBe(standard.deliveryId);
    expect(INDEPENDENT.standard_webhooks(receiver.last(), WHSEC, url(), sim.control.now())).toBe(true);
    expect(INDEPENDENT.standard_webhooks(receiver.last(), WHSEC, url(), Date.now())).toBe(false);
  });
});

describe("sending", () => {
  it("never follows a redirect: the 3xx is the answer and its target gets nothing", async () => {
    const trap = await startTrapServer();
    try {
      receiver.answer((_req, res) => res.writeHead(307, { location: `${trap.url}/stolen` }).end());
      const answer = await sim.control.sendWebhook({ providerId: "github", url: `${receiver.url}/hook`, secret: SECRET, event: "ping" });
      expect(answer).toMatchObject({ status: 307, headers: expect.objectContaining({ location: `${trap.url}/stolen` }) });
      expect(trap.requests).toEqual([]);
    } finally {
      await trap.close();
    }
  });

  it("no answer is status 0 with why, recorded", async () => {
    const closed = await startReceiver();
    await closed.close();
    const answer = await sim.control.sendWebhook({ providerId: "github", url: `${closed.url}/hook`, secret: SECRET, event: "ping" });
    expect(answer).toMatchObject({ status: 0, body: "", error: expect.stringMatching(/^no answer/) });
    expect(sim.control.sentWebhooks()[0]).toMatchObject({ status: 0, error: answer.error });
  });

  it("the list of sends never holds a secret, and reset forgets them", async () => {
    const { deliveryId } = await sim.control.sendWebhook({ providerId: "github", url: `${receiver.url}/hook`, secret: SECRET, event: "ping", tamper: "secret" });
    expect(JSON.stringify(sim.control.sentWebhooks())).not.toContain(SECRET);
    sim.control.reset();
    expect(sim.control.sentWebhooks()).toEqual([]);
    await expect(sim.control.resendWebhook(deliveryId)).rejects.toThrow(/No delivery/);
  });

  it("works over the control API from another process", async () => {
    const remote = connectSimulator(sim.url);
    const answer = await remote.sendWebhook({ providerId: "slack", url: `${receiver.url}/hook`, secret: SECRET, event: "message" });
    expect(answer.status).toBe(200);
    await remote.resendWebhook(answer.deliveryId, { asRetry: true });
    const listed = (await (await fetch(`${sim.url}/_control/sentWebhooks?providerId=slack`)).json()) as { result: unknown[] };
    expect(listed.result).toHaveLength(2);
    await expect(remote.sendWebhook({ providerId: "nope", url: receiver.url, secret: SECRET, event: "x" })).rejects.toThrow(/providerId/);
    expect(await remote.webhookHandshake("trello", `${receiver.url}/cb`)).toEqual({ ok: true, status: 200 });
  });
});

describe("handshakes", () => {
  const redirecting: Handler = (_req, res) => res.writeHead(302, { location: "http://127.0.0.1:9/elsewhere" }).end();
  const silent: Handler = () => {};

  it("Slack url_verification: the challenge as text, form or JSON passes; a wrong one, a non-200 or a redirect does not", async () => {
    const echo =
      (as: "text" | "form" | "json", change = (c: string) => c, status = 200): Handler =>
      (req, res) => {
        const { challenge } = bodyJson(req) as { challenge: string };
        const c = change(challenge);
        if (as === "json") res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ challenge: c }));
        else if (as === "form") res.writeHead(status, { "content-type": "application/x-www-form-urlencoded" }).end(`challenge=${encodeURIComponent(c)}`);
        else res.writeHead(status, { "content-type": "text/plain" }).end(c);
      };
    for (const as of ["text", "form", "json"] as const) {
      receiver.answer(echo(as));
      expect(await slackUrlVerification(`${receiver.url}/slack`, SECRET), as).toEqual({ ok: true, status: 200 });
    }
    const r = receiver.last();
    expect(bodyJson(r)).toMatchObject({ type: "url_verification", token: expect.any(String) });
    expect(INDEPENDENT.slack(r, SECRET, "")).toBe(true);
    receiver.answer(echo("json", (c) => `${c}x`));
    expect(await slackUrlVerification(`${receiver.url}/slack`, SECRET)).toMatchObject({ ok: false, why: expect.stringMatching(/challenge/) });
    receiver.answer(echo("json", (c) => c, 201));
    expect(await slackUrlVerification(`${receiver.url}/slack`, SECRET)).toMatchObject({ ok: false, status: 201 });
    receiver.answer(redirecting);
    expect(await slackUrlVerification(`${receiver.url}/slack`, SECRET)).toMatchObject({ ok: false, status: 302, why: expect.stringMatching(/redirect/) });
    receiver.answer(silent);
    expect(await slackUrlVerification(`${receiver.url}/slack`, SECRET, { timeoutMs: 150 })).toMatchObject({ ok: false, status: 0, why: expect.stringMatching(/timeout/) });
  });

  it("Zoom endpoint.url_validation: the HMAC of the plainToken under the secret token, nothing else", async () => {
    const answer =
      (key: string): Handler =>
      (req, res) => {
        const plainToken = (bodyJson(req).payload as { plainToken: string }).plainToken;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ plainToken, encryptedToken: hex("sha256", key, plainToken) }));
      };
    receiver.answer(answer(SECRET));
    expect(await zoomUrlValidation(`${receiver.url}/zoom`, SECRET)).toEqual({ ok: true, status: 200 });
    expect(bodyJson(receiver.last())).toMatchObject({ event: "endpoint.url_validation", event_ts: expect.any(Number) });
    expect(INDEPENDENT.zoom(receiver.last(), SECRET, "")).toBe(true);
    receiver.answer(answer("another secret"));
    expect(await zoomUrlValidation(`${receiver.url}/zoom`, SECRET)).toMatchObject({ ok: false, why: expect.stringMatching(/encryptedToken/) });
    receiver.answer(redirecting);
    expect(await zoomUrlValidation(`${receiver.url}/zoom`, SECRET)).toMatchObject({ ok: false, status: 302 });
  });

  it("Asana: the X-Hook-Secret echoed with 200 or 204 passes and hands the secret back", async () => {
    receiver.answer((req, res) => res.writeHead(204, { "x-hook-secret": String(req.headers["x-hook-secret"]) }).end());
    const passed = await asanaHandshake(`${receiver.url}/asana`);
    expect(passed).toEqual({ ok: true, status: 204, secret: receiver.last().headers["x-hook-secret"] });
    expect(receiver.last().method).toBe("POST");
    receiver.answer((_req, res) => res.writeHead(200, { "x-hook-secret": "something else" }).end());
    expect(await asanaHandshake(`${receiver.url}/asana`)).toMatchObject({ ok: false, why: expect.stringMatching(/X-Hook-Secret/) });
    receiver.answer((_req, res) => res.writeHead(200).end());
    expect(await asanaHandshake(`${receiver.url}/asana`)).toMatchObject({ ok: false });
    receiver.answer(redirecting);
    expect(await asanaHandshake(`${receiver.url}/asana`)).toMatchObject({ ok: false, status: 302 });
  });

  it("Graph validationToken: the decoded token as text/plain, with 200, or refused", async () => {
    const echo =
      (type = "text/plain; charset=utf-8", change = (t: string) => t): Handler =>
      (req, res) => {
        const token = new URL(req.url, "http://x").searchParams.get("validationToken") ?? "";
        res.writeHead(200, { "content-type": type }).end(change(token));
      };
    receiver.answer(echo());
    expect(await graphValidate(`${receiver.url}/graph?endpoint=ep_1`)).toEqual({ ok: true, status: 200 });
    const r = receiver.last();
    expect(r.method).toBe("POST");
    expect(new URL(r.url, "http://x").searchParams.get("endpoint")).toBe("ep_1");
    expect(r.headers["content-type"]).toMatch(/^text\/plain/);
    receiver.answer(echo("text/plain", (t) => encodeURIComponent(t)));
    expect(await graphValidate(`${receiver.url}/graph`)).toMatchObject({ ok: false, why: expect.stringMatching(/decoded/) });
    receiver.answer(echo("application/json", (t) => t));
    expect(await graphValidate(`${receiver.url}/graph`)).toMatchObject({ ok: false, why: expect.stringMatching(/text\/plain/) });
    receiver.answer(redirecting);
    expect(await graphValidate(`${receiver.url}/graph`)).toMatchObject({ ok: false, status: 302 });
    receiver.answer(silent);
    expect(await graphValidate(`${receiver.url}/graph`, { timeoutMs: 150 })).toMatchObject({ ok: false, status: 0 });
  });

  it("Trello HEAD: 200 passes; anything else, a redirect included, does not", async () => {
    expect(await trelloHeadCheck(`${receiver.url}/trello`)).toEqual({ ok: true, status: 200 });
    expect(receiver.last().method).toBe("HEAD");
    receiver.answer((_req, res) => res.writeHead(404).end());
    expect(await trelloHeadCheck(`${receiver.url}/trello`)).toMatchObject({ ok: false, status: 404 });
    receiver.answer(redirecting);
    expect(await trelloHeadCheck(`${receiver.url}/trello`)).toMatchObject({ ok: false, status: 302 });
  });

  it("Notion: one unsigned POST with only the verification_token", async () => {
    const sent = await notionVerification(`${receiver.url}/notion`);
    expect(sent).toEqual({ ok: true, status: 200, token: expect.stringMatching(/^secret_/) });
    const r = receiver.last();
    expect(bodyJson(r)).toEqual({ verification_token: (sent as { token: string }).token });
    expect(r.headers["x-notion-signature"]).toBeUndefined();
    receiver.answer((_req, res) => res.writeHead(500).end());
    expect(await notionVerification(`${receiver.url}/notion`)).toMatchObject({ ok: false, status: 500 });
  });
});
