/**
 * Each scheme against signatures made by something other than our own code: the GitHub
 * and Slack examples from their documentation, @octokit/webhooks-methods for GitHub, the
 * standardwebhooks package for Standard Webhooks, and Node's own `crypto.createHmac` (not
 * the Web Crypto path the schemes use) for the rest. One thing is broken per refusal.
 */
import { sign as octokitSign } from "@octokit/webhooks-methods";
import { SignJWT } from "jose";
import { createHmac } from "node:crypto";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  INBOUND_SCHEME_IDS,
  INBOUND_SCHEMES,
  JIRA_JWT_CLOCK_TOLERANCE_S,
  JIRA_JWT_MAX_CHARS,
  LINEAR_TIMESTAMP_TOLERANCE_MS,
  PUMBLE_TIMESTAMP_TOLERANCE_S,
  SLACK_TIMESTAMP_TOLERANCE_S,
  STANDARD_WEBHOOKS_TOLERANCE_S,
  VERIFICATION_FAILURES,
  ZOOM_TIMESTAMP_TOLERANCE_S,
  verifyDelivery,
  type InboundDelivery,
  type InboundSchemeId,
} from "./schemes";

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const NOW_S = Math.floor(NOW / 1000);
const URL = "https://switchboard.example/webhooks/trello/ep_4f9c";
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const hex = (algorithm: string, secret: string | Buffer, data: string) => createHmac(algorithm, secret).update(data).digest("hex");
const b64 = (algorithm: string, secret: string | Buffer, data: string) => createHmac(algorithm, secret).update(data).digest("base64");

function delivery(body: string, headers: Record<string, string>, extra: Partial<InboundDelivery> = {}): InboundDelivery {
  return { method: "POST", headers, body: utf8(body), url: URL, receivedAt: NOW, ...extra };
}

describe("documented examples", () => {
  it("GitHub: the example of 'Validating webhook deliveries'", async () => {
    const d = delivery("Hello, World!", {
      "x-hub-signature-256": "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    });
    expect(await INBOUND_SCHEMES.github.verify(d, "It's a Secret to Everybody")).toEqual({ ok: true });
  });

  it("Slack: the example of 'Verifying requests from Slack'", async () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const d = delivery(
      body,
      {
        "x-slack-request-timestamp": "1531420618",
        "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      },
      { receivedAt: 1531420618 * 1000 + 2000 },
    );
    expect(await INBOUND_SCHEMES.slack.verify(d, "8f742231b10e8888abcd99yyyzzz85a5")).toEqual({ ok: true });
  });
});

const SECRET = "s3cret-for-tests";
const WHSEC = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/** How a provider would sign `body` at `atS` (seconds) with `secret`: the headers it sends, and the URL it posts to. */
type Signer = { sign: (body: string, secret: string, atS: number) => Promise<Record<string, string>> | Record<string, string>; secret: string; body: (atMs: number) => string };

/** A JWT as Jira signs a dynamic webhook's (?): HS256 with the OAuth client secret, made by jose, not by our code. */
async function jiraJwt(secret: string, claims: Record<string, unknown>, alg = "HS256"): Promise<string> {
  return await new SignJWT({ iss: "jira", ...claims }).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

const jsonBody = () => JSON.stringify({ action: "opened", n: 1, text: "héllo" });
const SIGNERS: Record<InboundSchemeId, Signer> = {
  github: { secret: SECRET, body: jsonBody, sign: async (body, secret) => ({ "x-hub-signature-256": await octokitSign(secret, body) }) },
  slack: {
    secret: SECRET,
    body: jsonBody,
    sign: (body, secret, at) => ({ "x-slack-request-timestamp": String(at), "x-slack-signature": `v0=${hex("sha256", secret, `v0:${at}:${body}`)}` }),
  },
  linear: {
    secret: SECRET,
    body: (atMs) => JSON.stringify({ action: "create", type: "Issue", webhookTimestamp: atMs }),
    sign: (body, secret) => ({ "linear-signature": hex("sha256", secret, body) }),
  },
  notion: { secret: SECRET, body: jsonBody, sign: (body, secret) => ({ "x-notion-signature": `sha256=${hex("sha256", secret, body)}` }) },
  zoom: {
    secret: SECRET,
    body: jsonBody,
    sign: (body, secret, at) => ({ "x-zm-request-timestamp": String(at), "x-zm-signature": `v0=${hex("sha256", secret, `v0:${at}:${body}`)}` }),
  },
  asana: { secret: SECRET, body: jsonBody, sign: (body, secret) => ({ "x-hook-signature": hex("sha256", secret, body) }) },
  trello: { secret: SECRET, body: jsonBody, sign: (body, secret) => ({ "x-trello-webhook": b64("sha1", secret, body + URL) }) },
  jira: { secret: SECRET, body: jsonBody, sign: (body, secret) => ({ "x-hub-signature": `sha256=${hex("sha256", secret, body)}` }) },
  jira_dynamic: { secret: SECRET, body: jsonBody, sign: async (_body, secret, at) => ({ authorization: `Bearer ${await jiraJwt(secret, { iat: at, exp: at + 180 })}` }) },
  // The documented reading: the signed text is the body prefixed by "hmacsha256=", hex, and the header carries it as is (?).
  linkedin: { secret: SECRET, body: jsonBody, sign: (body, secret) => ({ "x-li-signature": hex("sha256", secret, `hmacsha256=${body}`) }) },
  pumble: {
    secret: SECRET,
    body: jsonBody,
    sign: (body, secret, at) => ({ "x-pumble-request-timestamp": String(at), "x-pumble-request-signature": hex("sha256", secret, `${at}:${body}`) }),
  },
  microsoft_graph: {
    secret: SECRET,
    // The token is in the body: "signing" writes it there (the body function is replaced below).
    body: () => "",
    sign: () => ({}),
  },
  google_calendar: { secret: SECRET, body: () => "", sign: (_body, secret) => ({ "x-goog-channel-token": secret, "x-goog-resource-state": "exists" }) },
  standard_webhooks: {
    secret: WHSEC,
    body: jsonBody,
    sign: (body, secret, at) => {
      const id = "msg_2bX9";
      return { "webhook-id": id, "webhook-timestamp": String(at), "webhook-signature": new StandardWebhook(secret).sign(id, new Date(at * 1000), body) };
    },
  },
};

/** A signed delivery of each scheme; Graph carries its clientState in the body. */
async function signed(scheme: InboundSchemeId, options: { secret?: string; atS?: number } = {}) {
  const signer = SIGNERS[scheme];
  const atS = options.atS ?? NOW_S;
  const secret = options.secret ?? signer.secret;
  const body =
    scheme === "microsoft_graph" ? JSON.stringify({ value: [{ clientState: secret, changeType: "created", resource: "me/events/1" }] }) : signer.body(atS * 1000);
  return delivery(body, await signer.sign(body, secret, atS));
}

const TIMESTAMPED: Partial<Record<InboundSchemeId, { toleranceS: number; header?: string }>> = {
  slack: { toleranceS: SLACK_TIMESTAMP_TOLERANCE_S, header: "x-slack-request-timestamp" },
  zoom: { toleranceS: ZOOM_TIMESTAMP_TOLERANCE_S, header: "x-zm-request-timestamp" },
  pumble: { toleranceS: PUMBLE_TIMESTAMP_TOLERANCE_S, header: "x-pumble-request-timestamp" },
  standard_webhooks: { toleranceS: STANDARD_WEBHOOKS_TOLERANCE_S, header: "webhook-timestamp" },
  linear: { toleranceS: LINEAR_TIMESTAMP_TOLERANCE_MS / 1000 },
};

/** The header that carries each scheme's signature or token. */
const SIGNATURE_HEADER: Partial<Record<InboundSchemeId, string>> = {
  github: "x-hub-signature-256",
  slack: "x-slack-signature",
  linear: "linear-signature",
  notion: "x-notion-signature",
  zoom: "x-zm-signature",
  asana: "x-hook-signature",
  trello: "x-trello-webhook",
  jira: "x-hub-signature",
  jira_dynamic: "authorization",
  linkedin: "x-li-signature",
  pumble: "x-pumble-request-signature",
  google_calendar: "x-goog-channel-token",
  standard_webhooks: "webhook-signature",
};

describe("LinkedIn's two readings of 'prefixed by hmacsha256='", () => {
  const body = JSON.stringify({ type: "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", notifications: [{ notificationId: 1 }] });
  it.each([
    ["the HMAC of the prefixed body, bare in the header", hex("sha256", SECRET, `hmacsha256=${body}`)],
    ["the HMAC of the prefixed body, the header prefixed too", `hmacsha256=${hex("sha256", SECRET, `hmacsha256=${body}`)}`],
    ["the HMAC of the body, the header prefixed", `hmacsha256=${hex("sha256", SECRET, body)}`],
    ["the HMAC of the body, bare", hex("sha256", SECRET, body)],
  ])("accepts %s", async (_name, signature) => {
    expect(await INBOUND_SCHEMES.linkedin.verify(delivery(body, { "x-li-signature": signature }), SECRET)).toEqual({ ok: true });
  });

  it("refuses another secret's, and a value that is not hex", async () => {
    expect(await INBOUND_SCHEMES.linkedin.verify(delivery(body, { "x-li-signature": `hmacsha256=${hex("sha256", "other", body)}` }), SECRET)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await INBOUND_SCHEMES.linkedin.verify(delivery(body, { "x-li-signature": "hmacsha256=zz" }), SECRET)).toEqual({ ok: false, reason: "malformed_signature" });
    expect(await INBOUND_SCHEMES.linkedin.verify(delivery(body, { "x-li-signature": "hmacsha256=" }), SECRET)).toEqual({ ok: false, reason: "malformed_signature" });
  });
});

describe.each(INBOUND_SCHEME_IDS)("%s", (scheme) => {
  it("accepts a delivery signed with the endpoint's secret", async () => {
    expect(await INBOUND_SCHEMES[scheme].verify(await signed(scheme), SIGNERS[scheme].secret)).toEqual({ ok: true });
  });

  it("refuses a wrong secret", async () => {
    const other = scheme === "standard_webhooks" ? "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" : "another-secret";
    expect(await INBOUND_SCHEMES[scheme].verify(await signed(scheme, { secret: other }), SIGNERS[scheme].secret)).toEqual({
      ok: false,
      reason: "bad_signature",
    });
  });

  it.skipIf(scheme === "google_calendar")("refuses a tampered body", async () => {
    const d = await signed(scheme);
    const text = new TextDecoder().decode(d.body);
    // One character changed, JSON still valid (Linear and Graph read the body).
    const tampered = text.includes("created") ? text.replace("created", "deleted") : text.replace(/"n":1|"type":"Issue"/, (m) => (m === '"n":1' ? '"n":2' : '"type":"Isue"'));
    expect(tampered).not.toBe(text);
    const result = await INBOUND_SCHEMES[scheme].verify({ ...d, body: utf8(tampered) }, SIGNERS[scheme].secret);
    // Graph's token and Jira's JWT are not bound to the body: changing it leaves them as they were.
    expect(result).toEqual(scheme === "microsoft_graph" || scheme === "jira_dynamic" ? { ok: true } : { ok: false, reason: "bad_signature" });
  });

  it.skipIf(scheme === "microsoft_graph")("refuses a delivery without its signature header, or with an empty one", async () => {
    const d = await signed(scheme);
    const { [SIGNATURE_HEADER[scheme]!]: _dropped, ...headers } = d.headers;
    expect(await INBOUND_SCHEMES[scheme].verify({ ...d, headers }, SIGNERS[scheme].secret)).toEqual({ ok: false, reason: "missing_signature" });
    const empty = { ...d.headers, [SIGNATURE_HEADER[scheme]!]: "" };
    expect(await INBOUND_SCHEMES[scheme].verify({ ...d, headers: empty }, SIGNERS[scheme].secret)).toEqual({ ok: false, reason: "missing_signature" });
  });

  const timestamped = TIMESTAMPED[scheme];
  it.runIf(timestamped !== undefined)("accepts the edge of its clock tolerance and refuses past it, either way", async () => {
    const { toleranceS } = timestamped!;
    for (const [offset, ok] of [
      [-toleranceS, true],
      [toleranceS, true],
      [-toleranceS - 2, false],
      [toleranceS + 2, false],
    ] as const) {
      const result = await INBOUND_SCHEMES[scheme].verify(await signed(scheme, { atS: NOW_S + offset }), SIGNERS[scheme].secret);
      expect(result, `signed ${offset} s from arrival`).toEqual(ok ? { ok: true } : { ok: false, reason: "stale_timestamp" });
    }
  });

  it.runIf(timestamped?.header !== undefined)("refuses a delivery without its timestamp, or with one that is not a number", async () => {
    const d = await signed(scheme);
    const { [timestamped!.header!]: _dropped, ...headers } = d.headers;
    expect(await INBOUND_SCHEMES[scheme].verify({ ...d, headers }, SIGNERS[scheme].secret)).toEqual({ ok: false, reason: "missing_timestamp" });
    for (const value of ["12e9", "", "-1", " 1"]) {
      const odd = { ...d.headers, [timestamped!.header!]: value };
      expect(await INBOUND_SCHEMES[scheme].verify({ ...d, headers: odd }, SIGNERS[scheme].secret), value).toEqual({ ok: false, reason: "missing_timestamp" });
    }
  });
});

describe("signature formats", () => {
  it("refuses a hex signature without its prefix, with odd hex, or empty", async () => {
    const d = await signed("github");
    const sig = d.headers["x-hub-signature-256"]!;
    for (const value of [sig.slice("sha256=".length), `sha1=${sig.slice(7)}`, "sha256=abc", "sha256=zz", "sha256="]) {
      expect(await INBOUND_SCHEMES.github.verify({ ...d, headers: { "x-hub-signature-256": value } }, SECRET), value).toEqual({
        ok: false,
        reason: "malformed_signature",
      });
    }
  });

  it("takes hex in either case, as the providers' own libraries do", async () => {
    const d = await signed("github");
    const upper = `sha256=${d.headers["x-hub-signature-256"]!.slice(7).toUpperCase()}`;
    expect(await INBOUND_SCHEMES.github.verify({ ...d, headers: { "x-hub-signature-256": upper } }, SECRET)).toEqual({ ok: true });
  });

  it("refuses a truncated signature as not matching", async () => {
    const d = await signed("github");
    const short = d.headers["x-hub-signature-256"]!.slice(0, -2);
    expect(await INBOUND_SCHEMES.github.verify({ ...d, headers: { "x-hub-signature-256": short } }, SECRET)).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("Trello signs the callback URL too: the same body posted to another URL is refused", async () => {
    const d = await signed("trello");
    expect(await INBOUND_SCHEMES.trello.verify({ ...d, url: `${URL}x` }, SECRET)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await INBOUND_SCHEMES.trello.verify({ ...d, headers: { "x-trello-webhook": "***" } }, SECRET)).toEqual({ ok: false, reason: "malformed_signature" });
  });

  it("Standard Webhooks: any one of several signatures verifies; unknown versions are skipped", async () => {
    const d = await signed("standard_webhooks");
    const ours = d.headers["webhook-signature"]!;
    const several = { ...d.headers, "webhook-signature": `v1a,xyz v1,${"A".repeat(43)}= ${ours}` };
    expect(await INBOUND_SCHEMES.standard_webhooks.verify({ ...d, headers: several }, WHSEC)).toEqual({ ok: true });
    const none = { ...d.headers, "webhook-signature": "v2,abc v1" };
    expect(await INBOUND_SCHEMES.standard_webhooks.verify({ ...d, headers: none }, WHSEC)).toEqual({ ok: false, reason: "malformed_signature" });
    const noId = { ...d.headers, "webhook-id": "" };
    expect(await INBOUND_SCHEMES.standard_webhooks.verify({ ...d, headers: noId }, WHSEC)).toEqual({ ok: false, reason: "missing_signature" });
    const { "webhook-id": _id, ...withoutId } = d.headers;
    expect(await INBOUND_SCHEMES.standard_webhooks.verify({ ...d, headers: withoutId }, WHSEC)).toEqual({ ok: false, reason: "missing_signature" });
    for (const value of ["v1,", "v1,***", "v1"]) {
      const odd = { ...d.headers, "webhook-signature": value };
      expect(await INBOUND_SCHEMES.standard_webhooks.verify({ ...d, headers: odd }, WHSEC), value).toEqual({ ok: false, reason: "malformed_signature" });
    }
    // The id is signed: another id with the same signature fails.
    const otherId = { ...d.headers, "webhook-id": "msg_other" };
    expect(await INBOUND_SCHEMES.standard_webhooks.verify({ ...d, headers: otherId }, WHSEC)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await INBOUND_SCHEMES.standard_webhooks.verify(d, "not-a-whsec")).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("Linear: a verified body without a numeric webhookTimestamp is refused, and one that is not JSON is malformed", async () => {
    const linear = (body: string | Uint8Array) => {
      const bytes = typeof body === "string" ? utf8(body) : body;
      const signature = createHmac("sha256", SECRET).update(bytes).digest("hex");
      return INBOUND_SCHEMES.linear.verify({ ...delivery("", { "linear-signature": signature }), body: bytes }, SECRET);
    };
    for (const body of [JSON.stringify({ action: "create" }), JSON.stringify({ webhookTimestamp: String(NOW) }), `{"webhookTimestamp":1e999}`]) {
      expect(await linear(body), body).toEqual({ ok: false, reason: "missing_timestamp" });
    }
    for (const body of ["not json", "null", ""]) expect(await linear(body), body).toEqual({ ok: false, reason: "malformed_body" });
    // Valid JSON around a byte that is not UTF-8: not what anyone signed as text.
    const invalid = concat(utf8(`{"webhookTimestamp":${NOW},"t":"`), new Uint8Array([0xff]), utf8(`"}`));
    expect(await linear(invalid)).toEqual({ ok: false, reason: "malformed_body" });
    expect(await linear(JSON.stringify({ webhookTimestamp: NOW }))).toEqual({ ok: true });
  });

  it("Graph: every notification must carry the clientState; a body that is not a notification list is refused", async () => {
    const two = JSON.stringify({ value: [{ clientState: SECRET }, { clientState: "other" }] });
    expect(await INBOUND_SCHEMES.microsoft_graph.verify(delivery(two, {}), SECRET)).toEqual({ ok: false, reason: "bad_signature" });
    const missing = JSON.stringify({ value: [{ clientState: SECRET }, { changeType: "updated" }] });
    expect(await INBOUND_SCHEMES.microsoft_graph.verify(delivery(missing, {}), SECRET)).toEqual({ ok: false, reason: "missing_signature" });
    expect(await INBOUND_SCHEMES.microsoft_graph.verify(delivery(JSON.stringify({ value: [null] }), {}), SECRET)).toEqual({ ok: false, reason: "missing_signature" });
    for (const body of ["", "not json", "{}", '{"value":[]}', '{"value":{}}', "\xff"]) {
      expect(await INBOUND_SCHEMES.microsoft_graph.verify(delivery(body, {}), SECRET), body).toEqual({ ok: false, reason: "malformed_body" });
    }
  });
});

describe("Jira dynamic webhooks: the bearer JWT", () => {
  const verify = (authorization: string | undefined, receivedAt = NOW) =>
    INBOUND_SCHEMES.jira_dynamic.verify(delivery(jsonBody(), authorization === undefined ? {} : { authorization }, { receivedAt }), SECRET);
  const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it("takes exp up to the tolerance after it, and refuses past it", async () => {
    const token = await jiraJwt(SECRET, { iat: NOW_S - 600, exp: NOW_S - JIRA_JWT_CLOCK_TOLERANCE_S });
    expect(await verify(`Bearer ${token}`)).toEqual({ ok: true });
    const expired = await jiraJwt(SECRET, { iat: NOW_S - 600, exp: NOW_S - JIRA_JWT_CLOCK_TOLERANCE_S - 2 });
    expect(await verify(`Bearer ${expired}`)).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("refuses an iat in the future beyond the tolerance, a token without exp, and a non-numeric exp", async () => {
    expect(await verify(`Bearer ${await jiraJwt(SECRET, { iat: NOW_S + JIRA_JWT_CLOCK_TOLERANCE_S, exp: NOW_S + 600 })}`)).toEqual({ ok: true });
    expect(await verify(`Bearer ${await jiraJwt(SECRET, { iat: NOW_S + JIRA_JWT_CLOCK_TOLERANCE_S + 2, exp: NOW_S + 600 })}`)).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(await verify(`Bearer ${await jiraJwt(SECRET, { iat: NOW_S })}`)).toEqual({ ok: false, reason: "missing_timestamp" });
    expect(await verify(`Bearer ${await jiraJwt(SECRET, { iat: NOW_S, exp: String(NOW_S + 600) })}`)).toEqual({ ok: false, reason: "missing_timestamp" });
  });

  it("refuses alg none and every algorithm but HS256, even when signed with the secret", async () => {
    const payload = b64url({ iat: NOW_S, exp: NOW_S + 600 });
    expect(await verify(`Bearer ${b64url({ alg: "none" })}.${payload}.`)).toEqual({ ok: false, reason: "malformed_signature" });
    const hs256 = createHmac("sha256", SECRET).update(`${b64url({ alg: "none" })}.${payload}`).digest("base64url");
    expect(await verify(`Bearer ${b64url({ alg: "none" })}.${payload}.${hs256}`)).toEqual({ ok: false, reason: "malformed_signature" });
    expect(await verify(`Bearer ${await jiraJwt(SECRET, { iat: NOW_S, exp: NOW_S + 600 }, "HS512")}`)).toEqual({ ok: false, reason: "malformed_signature" });
    expect(await verify(`Bearer ${b64url({ typ: "JWT" })}.${payload}.${hs256}`)).toEqual({ ok: false, reason: "malformed_signature" });
  });

  it("refuses a changed payload, a token that is not Bearer or not three parts, and reads the scheme name in any case", async () => {
    const token = await jiraJwt(SECRET, { iat: NOW_S, exp: NOW_S + 600 });
    const [header, , signature] = token.split(".");
    expect(await verify(`Bearer ${header}.${b64url({ iat: NOW_S, exp: NOW_S + 6000 })}.${signature}`)).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verify(`bearer ${token}`)).toEqual({ ok: true });
    for (const value of [token, `Basic ${token}`, `Bearer ${header}.${signature}`, `Bearer ${token}.x`, "Bearer", `Bearer ${token.replace(/\./, ".*")}`, `Bearer ${token}${"A".repeat(JIRA_JWT_MAX_CHARS)}`]) {
      expect(await verify(value), value).toEqual({ ok: false, reason: "malformed_signature" });
    }
    expect(await verify(undefined)).toEqual({ ok: false, reason: "missing_signature" });
  });
});

describe("verifyDelivery", () => {
  it("during a rotation either secret verifies, newest first", async () => {
    const d = await signed("github", { secret: "old-secret" });
    expect(await verifyDelivery("github", d, ["new-secret", "old-secret"])).toEqual({ ok: true });
    expect(await verifyDelivery("github", d, ["new-secret"])).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verifyDelivery("github", d, [])).toEqual({ ok: false, reason: "bad_signature" });
    expect(await verifyDelivery("github", await signed("github", { secret: "new-secret" }), ["new-secret", "old-secret"])).toEqual({ ok: true });
  });

  it("stops at a failure no secret can fix", async () => {
    const d = await signed("slack", { atS: NOW_S - 3600 });
    expect(await verifyDelivery("slack", d, ["a", SECRET])).toEqual({ ok: false, reason: "stale_timestamp" });
  });
});

it("every failure has a message", () => {
  for (const message of Object.values(VERIFICATION_FAILURES)) expect(message).toMatch(/^[A-Z].+\.$/);
});
