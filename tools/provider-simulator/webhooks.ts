/**
 * The simulator as the *sender* of providers' inbound webhooks: each provider's body,
 * headers and signature built the way the provider builds them, posted to a URL the test
 * gives, and the receiver's answer handed back. The signing here is written from the
 * providers' documentation with node:crypto, never with lib/inbound: the simulator is the
 * other side of the app's verifier, and a bug shared by both would pass unseen.
 *
 * Payloads are small but real-shaped (the fields the app reads, and the ones around them
 * a receiver sees); facts not confirmed by the provider's own reference are marked (?).
 */
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { Webhook as StandardWebhook } from "standardwebhooks";

/** The webhook schemes the simulator sends, named as lib/inbound names them. */
export const WEBHOOK_SENDER_IDS = [
  "github",
  "slack",
  "linear",
  "notion",
  "zoom",
  "asana",
  "trello",
  "jira",
  "jira_dynamic",
  "pumble",
  "microsoft_graph",
  "google_calendar",
  "standard_webhooks",
] as const;
export type WebhookSenderId = (typeof WEBHOOK_SENDER_IDS)[number];

/** Catalog ids that are spelled differently from their scheme. */
const CATALOG_ALIASES: Readonly<Record<string, WebhookSenderId>> = { microsoft: "microsoft_graph", "google-calendar": "google_calendar" };

/** The catalog entry whose simulated account a scheme's deliveries concern (none for Standard Webhooks). */
export const SENDER_CATALOG_ID: Readonly<Record<WebhookSenderId, string | null>> = {
  github: "github",
  slack: "slack",
  linear: "linear",
  notion: "notion",
  zoom: "zoom",
  asana: "asana",
  trello: "trello",
  jira: "jira",
  jira_dynamic: "jira",
  pumble: "pumble",
  microsoft_graph: "microsoft",
  google_calendar: "google-calendar",
  standard_webhooks: null,
};

/** A scheme id, or a catalog id with another spelling ("microsoft", "google-calendar"). */
export function webhookSenderId(providerId: string): WebhookSenderId {
  if ((WEBHOOK_SENDER_IDS as readonly string[]).includes(providerId)) return providerId as WebhookSenderId;
  const alias = CATALOG_ALIASES[providerId];
  if (alias) return alias;
  throw new Error(`providerId must be one of ${WEBHOOK_SENDER_IDS.join(", ")} (or microsoft, google-calendar), got ${JSON.stringify(providerId)}`);
}

/** What `tamper` breaks, exactly one thing each, for the receiver's refusal tests. */
export const TAMPER_MODES = ["body", "secret", "stale_timestamp", "missing_signature"] as const;
export type TamperMode = (typeof TAMPER_MODES)[number];

/** How far back `stale_timestamp` signs: past every tolerance the app allows (the widest is five minutes). */
export const STALE_BY_MS = 10 * 60_000;

export type SendWebhookInput = {
  /** A scheme id (`github`, `microsoft_graph`…) or a catalog id (`microsoft`, `google-calendar`). */
  providerId: string;
  /** Where to POST; the simulator sends nowhere else and never follows a redirect. */
  url: string;
  /**
   * What the provider signs with: the webhook secret (GitHub, Linear, Jira, Asana's
   * handshake secret, Notion's verification token, Zoom's secret token, Slack's signing
   * secret, Trello's app secret, a `whsec_` key), or the token it echoes (Graph's
   * clientState, Google's channel token).
   */
  secret: string;
  /** The provider's event: `issues.opened`, `message`, `Issue.create`, `meeting.started`, `updated`, `exists`… */
  event: string;
  /** Deep-merged into the default body (objects key by key; arrays and values replaced). Graph: into the notification. Google: `{channelId, resourceId, resourceUri, messageNumber}`. */
  data?: Record<string, unknown>;
  /** The provider's id of the delivery (GitHub's GUID, Slack's event_id…); a fresh one by default. */
  deliveryId?: string;
  /** When the event happened and the delivery was signed, ms since the epoch; default the simulator's now. */
  at?: number;
  /** Extra headers, or overrides of the provider's own (names case-insensitive). */
  headers?: Record<string, string>;
  tamper?: TamperMode;
  /** How long to wait for the answer; default the provider's own limit. */
  timeoutMs?: number;
};

/** The receiver's answer. `status` 0 means none came (`error` says why: a timeout, a refused connection). */
export type ReceiverAnswer = { deliveryId: string; status: number; body: string; headers: Record<string, string>; error?: string };

/** One send, as `sentWebhooks()` lists it: never the secret, the body or the signature. */
export type SentWebhook = {
  deliveryId: string;
  providerId: WebhookSenderId;
  url: string;
  event: string;
  /** The receiver's status, 0 when it did not answer. */
  status: number;
  error?: string;
  /** When it was signed (simulator clock, ms). */
  at: number;
  /** 0 for the first send; resends count up (Slack's X-Slack-Retry-Num when sent as a retry). */
  attempt: number;
  asRetry: boolean;
  tamper: TamperMode | null;
};

/** What a resend needs: the first send's bytes and what made them. Kept in memory only. */
export type WebhookTemplate = {
  providerId: WebhookSenderId;
  url: string;
  event: string;
  secret: string;
  data: Record<string, unknown>;
  eventAt: number;
  sequence: number;
  account: string | number | null;
  extraHeaders: Record<string, string>;
  tamper: TamperMode | null;
  timeoutMs: number;
  body: Uint8Array;
  headers: Record<string, string>;
  lastStatus: number;
  lastError: string | undefined;
  attempts: number;
};

/** Everything one delivery's body and signature are made from. */
type BuildContext = {
  event: string;
  data: Record<string, unknown>;
  deliveryId: string;
  /** When the event happened (ms). */
  eventAt: number;
  /** When this attempt is signed (ms); later than eventAt on a retry. */
  sentAt: number;
  /** The secret signed with, or the token carried (already the wrong one when tampered). */
  secret: string;
  /** Leave the signature (or the token standing for one) out. */
  unsigned: boolean;
  url: string;
  /** The provider-side account it concerns, from the simulator's account; null: the scheme's own default. */
  account: string | number | null;
  /** Which send to this URL this is, 1-based (Google's message number). */
  sequence: number;
  /** 0 on the first attempt. */
  attempt: number;
};

type Sender = {
  /** A fresh id in the provider's format; where the provider sends none, a simulator-only one. */
  newDeliveryId(): string;
  /** The body and the headers that are not the signature. */
  build(ctx: BuildContext): { body: string; headers: Record<string, string> };
  /** The signature headers for `body`, with the timestamp it signs. */
  sign(body: Uint8Array, ctx: BuildContext): Record<string, string>;
  /** Which of those `missing_signature` leaves out (the timestamp stays). */
  signatureHeaders: readonly string[];
  /** Where the signed timestamp is; null when the scheme signs none. */
  timestamp: "header" | "body" | null;
  /** Whether anything signs the body (Graph and Google only carry a token). */
  signsBody: boolean;
  /** Headers a retry adds (Slack's retry number and reason, Jira's retry count). */
  retryHeaders?(attempt: number, previous: { status: number; error: string | undefined }): Record<string, string>;
  /** Whether a retry is a new attempt signed at its own time (false: the same bytes again). */
  resignsOnRetry: boolean;
  /** How long the provider waits for an answer: its documented limit, else 10 s (?). */
  timeoutMs: number;
};

const JSON_TYPE = { "Content-Type": "application/json" };
const hexHmac = (algorithm: "sha1" | "sha256", secret: string, data: Uint8Array | string) => createHmac(algorithm, secret).update(data).digest("hex");
const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => Math.floor(ms / 1000);
const concat = (text: string, body: Uint8Array) => Buffer.concat([Buffer.from(text, "utf8"), body]);
/** Hex digits derived from the delivery id, so a rebuilt body is the same bytes. */
const derived = (deliveryId: string, label: string, length: number) =>
  createHash("sha256").update(`${label}:${deliveryId}`).digest("hex").slice(0, length);
const upperAlnum = (bytes: number) =>
  Array.from(randomBytes(bytes), (b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[b % 36]).join("");

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === "object" && !Array.isArray(value);

/** `base` with `patch` merged in: objects key by key, anything else replaced. */
export function deepMerge(base: Json, patch: Json): Json {
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : structuredClone(value);
  }
  return merged;
}

/** `provider.event.action` split at the first dot: GitHub's `issues.opened`, Asana's `task.changed`. */
function splitEvent(event: string): { name: string; action: string | null } {
  const dot = event.indexOf(".");
  return dot === -1 ? { name: event, action: null } : { name: event.slice(0, dot), action: event.slice(dot + 1) };
}

const json = (value: Json) => JSON.stringify(value);

// --- GitHub -----------------------------------------------------------------------------
// Delivery headers: X-GitHub-Hook-ID, X-GitHub-Event, X-GitHub-Delivery (a GUID),
// X-Hub-Signature (sha1=, legacy) and X-Hub-Signature-256 (sha256=, HMAC of the body),
// User-Agent "GitHub-Hookshot/<id>", X-GitHub-Hook-Installation-Target-Type/-ID
// [docs.github.com/webhooks/webhook-events-and-payloads#delivery-headers,
// docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries]. GitHub retries
// nothing by itself; a redelivery (the "Redeliver" button, or the API) is the same payload
// with the same X-GitHub-Delivery [docs.github.com/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks].
export const SIM_GITHUB_HOOK_ID = 424242;
const githubSender = (account: string | number | null) => ({ login: "sim-user", id: account ?? 1001, type: "User" });
const GITHUB_REPOSITORY = {
  id: 2001,
  node_id: "R_sim2001",
  name: "app",
  full_name: "octo-org/app",
  private: false,
  owner: { login: "octo-org", id: 3001, type: "Organization" },
  html_url: "https://github.com/octo-org/app",
};

function githubBody(ctx: BuildContext): Json {
  const { name, action } = splitEvent(ctx.event);
  const sender = githubSender(ctx.account);
  // The installation's id routes an app delivery; by default the simulated account's id,
  // so a connection made through the simulator matches (a real installation id differs).
  const installation = { id: ctx.account ?? 1001, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${ctx.account ?? 1001}` };
  const created = iso(ctx.eventAt);
  switch (name) {
    case "ping":
      return {
        zen: "Keep it logically awesome.",
        hook_id: SIM_GITHUB_HOOK_ID,
        hook: { type: "Repository", id: SIM_GITHUB_HOOK_ID, name: "web", active: true, events: ["issues", "pull_request"], config: { content_type: "json", insecure_ssl: "0", url: ctx.url } },
        repository: GITHUB_REPOSITORY,
        sender,
      };
    case "issues":
      return {
        action,
        issue: { id: 5001, number: 1, title: "Simulated issue", body: "Opened by the provider simulator.", state: "open", user: sender, html_url: `${GITHUB_REPOSITORY.html_url}/issues/1`, created_at: created },
        repository: GITHUB_REPOSITORY,
        sender,
        installation,
      };
    case "pull_request":
      return {
        action,
        number: 2,
        pull_request: { id: 6002, number: 2, title: "Simulated pull request", state: "open", user: sender, html_url: `${GITHUB_REPOSITORY.html_url}/pull/2`, head: { ref: "feature" }, base: { ref: "main" }, created_at: created },
        repository: GITHUB_REPOSITORY,
        sender,
        installation,
      };
    case "installation":
      return {
        action,
        installation: {
          ...installation,
          account: { login: "octo-org", id: 3001, type: "Organization" },
          app_id: 7001,
          target_type: "Organization",
          ...(action === "suspend" ? { suspended_at: created, suspended_by: sender } : {}),
        },
        sender,
      };
    case "github_app_authorization":
      // Sent when a user revokes the app's authorization; it carries no installation.
      return { action, sender };
    default:
      return { ...(action === null ? {} : { action }), repository: GITHUB_REPOSITORY, sender, installation };
  }
}

const github: Sender = {
  newDeliveryId: () => randomUUID(),
  build(ctx) {
    const { name } = splitEvent(ctx.event);
    return {
      body: json(deepMerge(githubBody(ctx), ctx.data)),
      headers: {
        ...JSON_TYPE,
        "User-Agent": "GitHub-Hookshot/044aadd",
        "X-GitHub-Event": name,
        "X-GitHub-Delivery": ctx.deliveryId,
        "X-GitHub-Hook-ID": String(SIM_GITHUB_HOOK_ID),
        "X-GitHub-Hook-Installation-Target-Type": "repository",
        "X-GitHub-Hook-Installation-Target-ID": String(GITHUB_REPOSITORY.id),
      },
    };
  },
  sign: (body, ctx) => ({ "X-Hub-Signature": `sha1=${hexHmac("sha1", ctx.secret, body)}`, "X-Hub-Signature-256": `sha256=${hexHmac("sha256", ctx.secret, body)}` }),
  signatureHeaders: ["X-Hub-Signature", "X-Hub-Signature-256"],
  timestamp: null,
  signsBody: true,
  resignsOnRetry: false,
  // GitHub gives up after 10 s [docs.github.com/webhooks/using-webhooks/best-practices-for-using-webhooks].
  timeoutMs: 10_000,
};

// --- Slack ------------------------------------------------------------------------------
// Events API envelope {token, team_id, api_app_id, event, type: "event_callback", event_id,
// event_time, authorizations…} [api.slack.com/apis/events-api#callback-field]; url_verification
// {token, challenge, type} [api.slack.com/events/url_verification]; signed as
// "v0=" + hex HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + body)
// [api.slack.com/authentication/verifying-requests-from-slack]. Slack waits 3 s and retries
// up to 3 times with X-Slack-Retry-Num and X-Slack-Retry-Reason (http_timeout,
// too_many_redirects, connection_failed, ssl_error, http_error, unknown_error), the same
// event_id, each attempt signed at its own time [api.slack.com/apis/events-api#retries].
export const SIM_SLACK_APP_ID = "A0SIMAPP01";
export const SIM_SLACK_BOT_USER = "U0SIMBOT01";
const SLACK_USER = "U0SIMUSER1";
const SLACK_CHANNEL = "C0SIMGENRL";

function slackEvent(event: string, ts: string): Json {
  switch (event) {
    case "message":
      return { type: "message", channel: SLACK_CHANNEL, channel_type: "channel", user: SLACK_USER, text: "Hello from the simulator", ts, event_ts: ts };
    case "app_mention":
      return { type: "app_mention", channel: SLACK_CHANNEL, user: SLACK_USER, text: `<@${SIM_SLACK_BOT_USER}> hello`, ts, event_ts: ts };
    case "tokens_revoked":
      return { type: "tokens_revoked", tokens: { oauth: [SLACK_USER], bot: [SIM_SLACK_BOT_USER] }, event_ts: ts };
    case "app_uninstalled":
      return { type: "app_uninstalled", event_ts: ts };
    default:
      return { type: event, event_ts: ts };
  }
}

/** A url_verification challenge, derived from the delivery id so a resend carries the same one. */
export const slackChallengeFor = (deliveryId: string) => derived(deliveryId, "slack-challenge", 48);

const slack: Sender = {
  newDeliveryId: () => `Ev${upperAlnum(10)}`,
  build(ctx) {
    const team = ctx.account ?? "T0SIMTEAM1";
    // The deprecated verification token Slack still puts in every payload.
    const token = "sim-slack-verification-token";
    const body =
      ctx.event === "url_verification"
        ? { token, challenge: slackChallengeFor(ctx.deliveryId), type: "url_verification" }
        : {
            token,
            team_id: team,
            api_app_id: SIM_SLACK_APP_ID,
            event: slackEvent(ctx.event, `${seconds(ctx.eventAt)}.000100`),
            type: "event_callback",
            event_id: ctx.deliveryId,
            event_time: seconds(ctx.eventAt),
            authorizations: [{ enterprise_id: null, team_id: team, user_id: SIM_SLACK_BOT_USER, is_bot: true, is_enterprise_install: false }],
            is_ext_shared_channel: false,
            event_context: `4-${derived(ctx.deliveryId, "slack-context", 24)}`,
          };
    // Slack's crawler user agent [api.slack.com/robots] (?).
    return { body: json(deepMerge(body, ctx.data)), headers: { ...JSON_TYPE, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)" } };
  },
  sign(body, ctx) {
    const ts = String(seconds(ctx.sentAt));
    return { "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": `v0=${hexHmac("sha256", ctx.secret, concat(`v0:${ts}:`, body))}` };
  },
  signatureHeaders: ["X-Slack-Signature"],
  timestamp: "header",
  signsBody: true,
  retryHeaders: (attempt, previous) => ({ "X-Slack-Retry-Num": String(attempt), "X-Slack-Retry-Reason": slackRetryReason(previous) }),
  resignsOnRetry: true,
  timeoutMs: 3_000,
};

function slackRetryReason({ status, error }: { status: number; error: string | undefined }): string {
  if (status === 0) return error?.startsWith("timeout") ? "http_timeout" : "connection_failed";
  if (status >= 300 && status < 400) return "too_many_redirects";
  return status >= 200 && status < 300 ? "unknown_error" : "http_error";
}

// --- Linear -----------------------------------------------------------------------------
// Headers Linear-Delivery (a UUID), Linear-Event (the entity type), Linear-Signature (hex
// HMAC-SHA256 of the body); body {action, type, data, url, actor, createdAt, organizationId,
// webhookTimestamp (ms, when sent), webhookId} [linear.app/developers/webhooks]. Linear
// retries failed deliveries (after 1 minute, 1 hour and 6 hours (?)); that each retry carries
// a fresh webhookTimestamp (and so a new signature) is our reading (?).
const linear: Sender = {
  newDeliveryId: () => randomUUID(),
  build(ctx) {
    const { name, action } = splitEvent(ctx.event);
    const id = `${derived(ctx.deliveryId, "linear-entity", 8)}-0000-4000-8000-000000000001`;
    const body = {
      action: action ?? "create",
      type: name,
      createdAt: iso(ctx.eventAt),
      data: { id, identifier: "ENG-1", title: "Simulated issue", number: 1, teamId: "sim-linear-team", createdAt: iso(ctx.eventAt), updatedAt: iso(ctx.eventAt) },
      url: "https://linear.app/sim/issue/ENG-1/simulated-issue",
      actor: { id: "sim-linear-user", name: "Simulated User", type: "user" },
      organizationId: ctx.account ?? "sim-linear-organization",
      webhookTimestamp: ctx.sentAt,
      webhookId: "sim-linear-webhook",
    };
    return { body: json(deepMerge(body, ctx.data)), headers: { ...JSON_TYPE, "Linear-Delivery": ctx.deliveryId, "Linear-Event": name } };
  },
  sign: (body, ctx) => ({ "Linear-Signature": hexHmac("sha256", ctx.secret, body) }),
  signatureHeaders: ["Linear-Signature"],
  timestamp: "body",
  signsBody: true,
  resignsOnRetry: true,
  // Linear wants an answer within 5 s (?).
  timeoutMs: 5_000,
};

// --- Notion -----------------------------------------------------------------------------
// Body {id, timestamp, workspace_id, workspace_name, subscription_id, integration_id, type,
// authors, accessible_by, attempt_number, entity, data}; X-Notion-Signature "sha256=" + hex
// HMAC-SHA256(verification_token, body) [developers.notion.com/reference/webhooks]. Retries
// are the same event with attempt_number counting up (hence new bytes and a new signature).
const notion: Sender = {
  newDeliveryId: () => randomUUID(),
  build(ctx) {
    const entityId = `${derived(ctx.deliveryId, "notion-entity", 8)}-0000-4000-8000-000000000002`;
    const body = {
      id: ctx.deliveryId,
      timestamp: iso(ctx.eventAt),
      workspace_id: ctx.account ?? "sim-notion-workspace",
      workspace_name: "Simulated workspace",
      subscription_id: "sim-notion-subscription",
      integration_id: "sim-notion-integration",
      type: ctx.event,
      authors: [{ id: "sim-notion-user", type: "person" }],
      accessible_by: [{ id: "sim-notion-bot", type: "bot" }],
      attempt_number: ctx.attempt + 1,
      entity: { id: entityId, type: ctx.event.split(".")[0] === "database" ? "database" : "page" },
      data: { parent: { id: "sim-notion-parent", type: "space" } },
    };
    return { body: json(deepMerge(body, ctx.data)), headers: { ...JSON_TYPE } };
  },
  sign: (body, ctx) => ({ "X-Notion-Signature": `sha256=${hexHmac("sha256", ctx.secret, body)}` }),
  signatureHeaders: ["X-Notion-Signature"],
  timestamp: null,
  signsBody: true,
  resignsOnRetry: true,
  timeoutMs: 10_000,
};

// --- Zoom -------------------------------------------------------------------------------
// Body {event, event_ts (ms), payload: {account_id, object}}; x-zm-request-timestamp (s) and
// x-zm-signature "v0=" + hex HMAC-SHA256(secret token, "v0:" + timestamp + ":" + body); the
// URL check is an `endpoint.url_validation` event with payload.plainToken, answered within
// 3 s [developers.zoom.us/docs/api/webhooks]. app_deauthorized payload: account_id, user_id,
// signature, deauthorization_time, client_id [developers.zoom.us/docs/integrations/data-compliance].
// Zoom retries failed deliveries (?), each attempt signed at its own time (?).
export const zoomPlainTokenFor = (deliveryId: string) => derived(deliveryId, "zoom-plain-token", 22);

function zoomPayload(ctx: BuildContext): Json {
  const account_id = ctx.account ?? "sim-zoom-account";
  if (ctx.event === "endpoint.url_validation") return { plainToken: zoomPlainTokenFor(ctx.deliveryId) };
  if (ctx.event === "app_deauthorized") {
    return { account_id, user_id: account_id, signature: derived(ctx.deliveryId, "zoom-deauth", 64), deauthorization_time: iso(ctx.eventAt), client_id: "sim-zoom-client" };
  }
  const [kind] = ctx.event.split(".");
  return { account_id, object: { id: 85_000_000_001, uuid: `${derived(ctx.deliveryId, "zoom-uuid", 22)}==`, host_id: "sim-zoom-host", topic: `Simulated ${kind}`, type: 2, start_time: iso(ctx.eventAt) } };
}

const zoom: Sender = {
  // Zoom's deliveries carry no id of their own (?): this one is the simulator's.
  newDeliveryId: () => `sim_${randomUUID()}`,
  build(ctx) {
    const body = { event: ctx.event, payload: zoomPayload(ctx), event_ts: ctx.eventAt };
    return { body: json(deepMerge(body, ctx.data)), headers: { ...JSON_TYPE } };
  },
  sign(body, ctx) {
    const ts = String(seconds(ctx.sentAt));
    return { "x-zm-request-timestamp": ts, "x-zm-signature": `v0=${hexHmac("sha256", ctx.secret, concat(`v0:${ts}:`, body))}` };
  },
  signatureHeaders: ["x-zm-signature"],
  timestamp: "header",
  signsBody: true,
  resignsOnRetry: true,
  timeoutMs: 3_000,
};

// --- Asana ------------------------------------------------------------------------------
// Body {events: [{user, created_at, action, resource: {gid, resource_type}, parent, change?}]};
// X-Hook-Signature hex HMAC-SHA256(the handshake's X-Hook-Secret, body); heartbeats are
// `{events: []}`; Asana waits 10 s and retries for 24 hours [developers.asana.com/docs/webhooks-guide].
const asana: Sender = {
  // Asana's deliveries carry no id: this one is the simulator's.
  newDeliveryId: () => `sim_${randomUUID()}`,
  build(ctx) {
    const { name, action } = splitEvent(ctx.event);
    const events =
      ctx.event === "heartbeat"
        ? []
        : [
            {
              user: { gid: "1200000000000001", resource_type: "user" },
              created_at: iso(ctx.eventAt),
              action: action ?? "changed",
              resource: { gid: String(1_200_000_000_000_000 + parseInt(derived(ctx.deliveryId, "asana-gid", 8), 16)), resource_type: name },
              parent: { gid: "1200000000000002", resource_type: "project" },
              ...(action === "changed" ? { change: { field: "name", action: "changed" } } : {}),
            },
          ];
    return { body: json(deepMerge({ events }, ctx.data)), headers: { ...JSON_TYPE } };
  },
  sign: (body, ctx) => ({ "X-Hook-Signature": hexHmac("sha256", ctx.secret, body) }),
  signatureHeaders: ["X-Hook-Signature"],
  timestamp: null,
  signsBody: true,
  resignsOnRetry: false,
  timeoutMs: 10_000,
};

// --- Trello -----------------------------------------------------------------------------
// Body {action: {id, idMemberCreator, data, type, date, memberCreator}, model}; X-Trello-Webhook
// base64 HMAC-SHA1(app secret, body + callbackURL) [developer.atlassian.com/cloud/trello/guides/rest-api/webhooks].
const trello: Sender = {
  // action.id, a Trello object id (24 hex digits).
  newDeliveryId: () => randomBytes(12).toString("hex"),
  build(ctx) {
    const board = { id: "5f0000000000000000000b01", name: "Simulated board", shortLink: "SimBoard" };
    const body = {
      action: {
        id: ctx.deliveryId,
        idMemberCreator: "5f0000000000000000000a01",
        type: ctx.event,
        date: iso(ctx.eventAt),
        data: { card: { id: "5f0000000000000000000c01", name: "Simulated card", idShort: 1 }, list: { id: "5f0000000000000000000d01", name: "To do" }, board },
        memberCreator: { id: "5f0000000000000000000a01", username: "simuser", fullName: "Simulated User" },
      },
      model: board,
    };
    return { body: json(deepMerge(body, ctx.data)), headers: { ...JSON_TYPE } };
  },
  sign: (body, ctx) => ({ "X-Trello-Webhook": createHmac("sha1", ctx.secret).update(body).update(ctx.url, "utf8").digest("base64") }),
  signatureHeaders: ["X-Trello-Webhook"],
  timestamp: null,
  signsBody: true,
  resignsOnRetry: false,
  timeoutMs: 10_000,
};

// --- Jira -------------------------------------------------------------------------------
// Body {timestamp, webhookEvent, issue_event_type_name, user, issue}; X-Atlassian-Webhook-Identifier
// (kept across retries), X-Atlassian-Webhook-Flow, X-Atlassian-Webhook-Retry (the retry count,
// on retries only); X-Hub-Signature "sha256=" + hex HMAC-SHA256(secret, body) for webhooks
// registered with a secret [developer.atlassian.com/cloud/jira/platform/webhooks].
const jira: Sender = {
  newDeliveryId: () => randomUUID(),
  build(ctx) {
    const issueEvent = ctx.event.startsWith("jira:") ? ctx.event.slice("jira:".length) : ctx.event;
    const body = {
      timestamp: ctx.eventAt,
      webhookEvent: ctx.event,
      issue_event_type_name: issueEvent,
      user: { accountId: "sim-jira-user", displayName: "Simulated User", accountType: "atlassian" },
      issue: { id: "10001", key: "ENG-1", self: "https://sim.atlassian.net/rest/api/3/issue/10001", fields: { summary: "Simulated issue", issuetype: { name: "Task" }, project: { key: "ENG" } } },
      matchedWebhookIds: [1],
    };
    return {
      body: json(deepMerge(body, ctx.data)),
      headers: { ...JSON_TYPE, "X-Atlassian-Webhook-Identifier": ctx.deliveryId, "X-Atlassian-Webhook-Flow": "Primary" },
    };
  },
  sign: (body, ctx) => ({ "X-Hub-Signature": `sha256=${hexHmac("sha256", ctx.secret, body)}` }),
  signatureHeaders: ["X-Hub-Signature"],
  timestamp: null,
  signsBody: true,
  retryHeaders: (attempt) => ({ "X-Atlassian-Webhook-Retry": String(attempt) }),
  resignsOnRetry: false,
  timeoutMs: 10_000,
};

// --- Jira dynamic webhooks -------------------------------------------------------------
// What an OAuth 2.0 app's dynamic webhook (POST /rest/api/3/webhook) delivers: Jira's body and
// headers as above, and `Authorization: Bearer <JWT>`
// [developer.atlassian.com/cloud/jira/platform/webhooks/#webhooks-authentication-for-oauth-2-0-apps],
// HS256 with the app's OAuth client secret (Nango's reading (?)); the claims (iss, iat, exp three
// minutes on) are ours (?). The token does not sign the body; each retry gets a fresh one (?).
/** How long the simulator's delivery JWT lives (?). */
export const SIM_JIRA_JWT_LIFETIME_S = 180;

const jiraDynamic: Sender = {
  ...jira,
  sign(_body, ctx) {
    const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const iat = seconds(ctx.sentAt);
    const signing = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url({ iss: "jira:sim", iat, exp: iat + SIM_JIRA_JWT_LIFETIME_S })}`;
    return { Authorization: `Bearer ${signing}.${createHmac("sha256", ctx.secret).update(signing).digest("base64url")}` };
  },
  signatureHeaders: ["Authorization"],
  timestamp: "header",
  signsBody: false,
  resignsOnRetry: true,
};

// --- Pumble -----------------------------------------------------------------------------
// x-pumble-request-timestamp and x-pumble-request-signature hex HMAC-SHA256(signing secret,
// timestamp + ":" + body) [pumble-node-sdk middlewares]; the timestamp in whole seconds and
// the body's shape {eventType, workspaceId, body} are our reading (?).
const pumble: Sender = {
  newDeliveryId: () => `sim_${randomUUID()}`,
  build(ctx) {
    const body = { eventType: ctx.event, workspaceId: ctx.account ?? "sim-workspace", body: { channelId: "sim-channel", userId: "sim-user", text: "Hello from the simulator" } };
    return { body: json(deepMerge(body, ctx.data)), headers: { ...JSON_TYPE } };
  },
  sign(body, ctx) {
    const ts = String(seconds(ctx.sentAt));
    return { "x-pumble-request-timestamp": ts, "x-pumble-request-signature": hexHmac("sha256", ctx.secret, concat(`${ts}:`, body)) };
  },
  signatureHeaders: ["x-pumble-request-signature"],
  timestamp: "header",
  signsBody: true,
  resignsOnRetry: true,
  timeoutMs: 10_000,
};

// --- Microsoft Graph --------------------------------------------------------------------
// Change notifications {value: [{subscriptionId, subscriptionExpirationDateTime, changeType,
// resource, resourceData, clientState, tenantId}]} and lifecycle notifications
// {value: [{subscriptionId, subscriptionExpirationDateTime, tenantId, clientState,
// lifecycleEvent}]} (reauthorizationRequired, subscriptionRemoved, missed); nothing is signed,
// clientState stands for a secret. Graph counts a 2xx as delivered and retries (for up to 4
// hours) while answers come within 10 s; 200 if handled within 3 s, else 202 with the work queued
// [learn.microsoft.com/graph/change-notifications-delivery-webhooks#http-codes-and-retry-logic,
// learn.microsoft.com/graph/change-notifications-lifecycle-events].
export const GRAPH_LIFECYCLE_EVENTS = ["reauthorizationRequired", "subscriptionRemoved", "missed"] as const;
export const SIM_GRAPH_SUBSCRIPTION_ID = "7f105c7d-2dc5-4530-97cd-4e7ae6534c07";

const microsoftGraph: Sender = {
  // Graph's notifications carry no delivery id: this one is the simulator's.
  newDeliveryId: () => `sim_${randomUUID()}`,
  build(ctx) {
    const tenantId = ctx.account ?? "sim-microsoft-tenant";
    const common = {
      subscriptionId: SIM_GRAPH_SUBSCRIPTION_ID,
      subscriptionExpirationDateTime: iso(ctx.eventAt + 3 * 24 * 3_600_000),
      tenantId,
      ...(ctx.unsigned ? {} : { clientState: ctx.secret }),
    };
    const messageId = `AAMkAG${derived(ctx.deliveryId, "graph-message", 16)}`;
    const notification = (GRAPH_LIFECYCLE_EVENTS as readonly string[]).includes(ctx.event)
      ? { ...common, lifecycleEvent: ctx.event }
      : {
          ...common,
          changeType: ctx.event,
          resource: `Users/${tenantId}/Messages/${messageId}`,
          resourceData: { "@odata.type": "#Microsoft.Graph.Message", "@odata.id": `Users/${tenantId}/Messages/${messageId}`, "@odata.etag": `W/"${derived(ctx.deliveryId, "graph-etag", 12)}"`, id: messageId },
        };
    return { body: json({ value: [deepMerge(notification, ctx.data)] }), headers: { "Content-Type": "application/json; charset=utf-8" } };
  },
  sign: () => ({}),
  signatureHeaders: [],
  timestamp: null,
  signsBody: false,
  resignsOnRetry: false,
  timeoutMs: 10_000,
};

// --- Google Calendar --------------------------------------------------------------------
// An empty POST with X-Goog-Channel-ID, X-Goog-Channel-Token (the token set at `watch`),
// X-Goog-Channel-Expiration, X-Goog-Resource-ID, X-Goog-Resource-URI, X-Goog-Resource-State
// (sync first, then exists / not_exists) and X-Goog-Message-Number (1 for sync, increasing)
// [developers.google.com/calendar/api/guides/push].
const googleCalendar: Sender = {
  newDeliveryId: () => `sim_${randomUUID()}`,
  build(ctx) {
    const text = (key: string, fallback: string) => (typeof ctx.data[key] === "string" || typeof ctx.data[key] === "number" ? String(ctx.data[key]) : fallback);
    return {
      body: "",
      headers: {
        // Google's user agent for API push requests (?).
        "User-Agent": "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)",
        "X-Goog-Channel-ID": text("channelId", "sim-calendar-channel"),
        ...(ctx.unsigned ? {} : { "X-Goog-Channel-Token": ctx.secret }),
        "X-Goog-Channel-Expiration": new Date(ctx.eventAt + 7 * 24 * 3_600_000).toUTCString(),
        "X-Goog-Resource-ID": text("resourceId", "sim-calendar-resource"),
        "X-Goog-Resource-URI": text("resourceUri", "https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json"),
        "X-Goog-Resource-State": ctx.event,
        "X-Goog-Message-Number": text("messageNumber", ctx.event === "sync" ? "1" : String(ctx.sequence)),
      },
    };
  },
  sign: () => ({}),
  signatureHeaders: [],
  timestamp: null,
  signsBody: false,
  resignsOnRetry: false,
  timeoutMs: 10_000,
};

// --- Standard Webhooks ------------------------------------------------------------------
// webhook-id, webhook-timestamp (s) and webhook-signature "v1,<base64 HMAC-SHA256>" over
// id.timestamp.body with the whsec_ key; body {type, timestamp, data}; the id is kept across
// retries, each attempt signed at its own time [standardwebhooks.com, spec/standard-webhooks.md].
// Signed by the standardwebhooks package itself.
const standardWebhooks: Sender = {
  newDeliveryId: () => `msg_${randomBytes(18).toString("base64url")}`,
  build(ctx) {
    const body = { type: ctx.event, timestamp: iso(ctx.eventAt), data: { id: `sim_${derived(ctx.deliveryId, "standard-data", 12)}` } };
    return { body: json(deepMerge(body, ctx.data)), headers: { ...JSON_TYPE, "webhook-id": ctx.deliveryId } };
  },
  sign(body, ctx) {
    const ts = seconds(ctx.sentAt);
    return { "webhook-timestamp": String(ts), "webhook-signature": new StandardWebhook(ctx.secret).sign(ctx.deliveryId, new Date(ts * 1000), Buffer.from(body)) };
  },
  signatureHeaders: ["webhook-signature"],
  timestamp: "header",
  signsBody: true,
  resignsOnRetry: true,
  // Svix, the reference sender, waits 15 s (?).
  timeoutMs: 15_000,
};

export const SENDERS: Readonly<Record<WebhookSenderId, Sender>> = {
  github,
  slack,
  linear,
  notion,
  zoom,
  asana,
  trello,
  jira,
  jira_dynamic: jiraDynamic,
  pumble,
  microsoft_graph: microsoftGraph,
  google_calendar: googleCalendar,
  standard_webhooks: standardWebhooks,
};

/** A different secret of the same kind: for Standard Webhooks another whsec_ key, else the secret with more after it. */
function wrongSecret(providerId: WebhookSenderId, secret: string): string {
  return providerId === "standard_webhooks" ? `whsec_${randomBytes(24).toString("base64")}` : `${secret}-not-the-endpoint-secret`;
}

/** Whether `tamper` has its one thing to break in this scheme; the error says why not. */
function checkTamper(providerId: WebhookSenderId, tamper: TamperMode | null): void {
  const sender = SENDERS[providerId];
  if (tamper === "stale_timestamp" && sender.timestamp === null) throw new Error(`${providerId} signs no timestamp: tamper "stale_timestamp" has nothing to break`);
  if (tamper === "body" && !sender.signsBody) throw new Error(`${providerId} signs no body: tamper "body" has nothing to break`);
}

/** The body with one value changed (still valid JSON): what an attacker who edits a delivery sends. */
function tamperedBody(body: string): string {
  const parsed = JSON.parse(body) as unknown;
  if (!isObject(parsed)) throw new Error("tamper \"body\" needs a JSON object body");
  return JSON.stringify({ ...parsed, tampered: true });
}

export type BuiltDelivery = { body: Uint8Array; headers: Record<string, string> };

/**
 * One attempt's bytes and headers: built, signed (with the wrong secret, long ago, or not
 * at all, as `tamper` says), the body changed after signing for `tamper: "body"`, and the
 * caller's extra headers laid over the provider's (case-insensitively).
 */
export function buildDelivery(
  providerId: WebhookSenderId,
  ctx: Omit<BuildContext, "unsigned">,
  tamper: TamperMode | null,
  extraHeaders: Record<string, string> = {},
): BuiltDelivery {
  checkTamper(providerId, tamper);
  const sender = SENDERS[providerId];
  const full: BuildContext = { ...ctx, unsigned: tamper === "missing_signature" };
  const built = sender.build(full);
  const signedBytes = new TextEncoder().encode(built.body);
  const signature = sender.sign(signedBytes, full);
  if (tamper === "missing_signature") for (const name of sender.signatureHeaders) delete signature[name];
  const body = tamper === "body" ? new TextEncoder().encode(tamperedBody(built.body)) : signedBytes;
  return { body, headers: overlay({ ...built.headers, ...signature }, extraHeaders) };
}

/** `base` with `extra` laid over it, names compared case-insensitively; the extra's spelling wins. */
function overlay(base: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  const overridden = new Set(Object.keys(extra).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(base)) if (!overridden.has(name.toLowerCase())) result[name] = value;
  return { ...result, ...extra };
}

/**
 * POSTs (or HEADs) to `url` and nowhere else: no redirect is followed (a 3xx is the
 * answer), and after `timeoutMs` the request is abandoned. Never throws for the network:
 * no answer is status 0 with `error`.
 */
export async function deliver(
  url: string,
  init: { method?: string; headers: Record<string, string>; body?: Uint8Array },
  timeoutMs: number,
): Promise<Omit<ReceiverAnswer, "deliveryId">> {
  const method = init.method ?? "POST";
  try {
    const response = await fetch(url, {
      method,
      headers: init.headers,
      body: method === "HEAD" || method === "GET" ? undefined : Buffer.from(init.body ?? new Uint8Array()),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return { status: response.status, body, headers };
  } catch (error) {
    const name = (error as { name?: string }).name;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = name === "TimeoutError" || name === "AbortError" ? `timeout: no answer within ${timeoutMs} ms` : `no answer: ${cause?.code ?? cause?.message ?? String(error)}`;
    return { status: 0, body: "", headers: {}, error: why };
  }
}

/** The state sendWebhook keeps: the sends, and each delivery's template for a resend. */
export type WebhookSenderState = {
  sentWebhooks: SentWebhook[];
  webhookTemplates: Map<string, WebhookTemplate>;
  now(): number;
  /** The simulated account of a catalog provider: whose team, installation, organization a delivery concerns. */
  accountId(catalogId: string): string | number | null;
};

function requireInput(input: SendWebhookInput): { providerId: WebhookSenderId; tamper: TamperMode | null } {
  if (!isObject(input)) throw new Error("sendWebhook takes { providerId, url, secret, event, data?, deliveryId?, at?, headers?, tamper?, timeoutMs? }");
  const providerId = webhookSenderId(input.providerId);
  if (typeof input.url !== "string" || !/^https?:\/\//.test(input.url) || !URL.canParse(input.url)) throw new Error(`url must be an absolute http(s) URL, got ${JSON.stringify(input.url)}`);
  if (typeof input.secret !== "string" || input.secret === "") throw new Error("secret must be a non-empty string");
  if (typeof input.event !== "string" || input.event === "") throw new Error("event must be a non-empty string");
  if (input.data !== undefined && !isObject(input.data)) throw new Error("data must be an object");
  if (input.deliveryId !== undefined && (typeof input.deliveryId !== "string" || input.deliveryId === "" || /[\r\n]/.test(input.deliveryId))) {
    throw new Error("deliveryId must be a non-empty one-line string");
  }
  if (input.at !== undefined && (typeof input.at !== "number" || !Number.isFinite(input.at))) throw new Error("at must be milliseconds since the epoch");
  if (input.timeoutMs !== undefined && (typeof input.timeoutMs !== "number" || !(input.timeoutMs > 0) || input.timeoutMs > 120_000)) {
    throw new Error("timeoutMs must be a number of milliseconds from 1 to 120000");
  }
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (!/^[A-Za-z0-9-]+$/.test(name) || typeof value !== "string" || /[\r\n]/.test(value)) {
      throw new Error(`headers must be names of letters, digits and "-" with one-line string values, got ${JSON.stringify(name)}`);
    }
  }
  const tamper = input.tamper ?? null;
  if (tamper !== null && !(TAMPER_MODES as readonly string[]).includes(tamper)) throw new Error(`tamper must be one of ${TAMPER_MODES.join(", ")}, got ${JSON.stringify(tamper)}`);
  checkTamper(providerId, tamper);
  return { providerId, tamper };
}

function record(state: WebhookSenderState, template: WebhookTemplate, deliveryId: string, at: number, answer: Omit<ReceiverAnswer, "deliveryId">, asRetry: boolean): ReceiverAnswer {
  template.lastStatus = answer.status;
  template.lastError = answer.error;
  state.sentWebhooks.push({
    deliveryId,
    providerId: template.providerId,
    url: template.url,
    event: template.event,
    status: answer.status,
    ...(answer.error ? { error: answer.error } : {}),
    at,
    attempt: template.attempts,
    asRetry,
    tamper: template.tamper,
  });
  return { deliveryId, ...answer };
}

/** Builds, signs and sends one provider webhook; resolves to the receiver's answer. */
export async function sendWebhook(state: WebhookSenderState, input: SendWebhookInput): Promise<ReceiverAnswer> {
  const { providerId, tamper } = requireInput(input);
  const sender = SENDERS[providerId];
  const deliveryId = input.deliveryId ?? sender.newDeliveryId();
  if (state.webhookTemplates.has(deliveryId)) throw new Error(`Delivery ${deliveryId} was already sent: resend it with resendWebhook`);
  const at = (input.at ?? state.now()) - (tamper === "stale_timestamp" ? STALE_BY_MS : 0);
  const catalogId = SENDER_CATALOG_ID[providerId];
  const account = catalogId === null ? null : state.accountId(catalogId);
  const secret = tamper === "secret" ? wrongSecret(providerId, input.secret) : input.secret;
  const sequence = 1 + state.sentWebhooks.filter((s) => s.providerId === providerId && s.url === input.url && s.attempt === 0).length;
  const data = input.data ?? {};
  const extraHeaders = input.headers ?? {};
  const built = buildDelivery(providerId, { event: input.event, data, deliveryId, eventAt: at, sentAt: at, secret, url: input.url, account, sequence, attempt: 0 }, tamper, extraHeaders);
  const template: WebhookTemplate = {
    providerId,
    url: input.url,
    event: input.event,
    secret,
    data,
    eventAt: at,
    sequence,
    account,
    extraHeaders,
    tamper,
    timeoutMs: input.timeoutMs ?? sender.timeoutMs,
    body: built.body,
    headers: built.headers,
    lastStatus: 0,
    lastError: undefined,
    attempts: 0,
  };
  state.webhookTemplates.set(deliveryId, template);
  const answer = await deliver(input.url, built, template.timeoutMs);
  return record(state, template, deliveryId, at, answer, false);
}

/**
 * Sends a delivery again. Plain: the same bytes and headers (GitHub's redelivery).
 * `asRetry`: the provider's own retry: the same id, with its retry headers (Slack's
 * X-Slack-Retry-Num and -Reason, Jira's X-Atlassian-Webhook-Retry) and, where the provider
 * signs each attempt at its own time (Slack, Zoom, Pumble, Linear, Standard Webhooks,
 * Notion's attempt_number), signed anew now.
 */
export async function resendWebhook(state: WebhookSenderState, deliveryId: string, options: { asRetry?: boolean } = {}): Promise<ReceiverAnswer> {
  const template = typeof deliveryId === "string" ? state.webhookTemplates.get(deliveryId) : undefined;
  if (!template) throw new Error(`No delivery ${JSON.stringify(deliveryId)} was sent (reset() forgets them)`);
  const sender = SENDERS[template.providerId];
  const previous = { status: template.lastStatus, error: template.lastError };
  template.attempts += 1;
  const asRetry = options?.asRetry === true;
  let delivery: BuiltDelivery = { body: template.body, headers: template.headers };
  let at = template.eventAt;
  if (asRetry) {
    if (sender.resignsOnRetry) {
      at = state.now() - (template.tamper === "stale_timestamp" ? STALE_BY_MS : 0);
      const ctx = { event: template.event, data: template.data, deliveryId, eventAt: template.eventAt, sentAt: at, secret: template.secret, url: template.url, account: template.account, sequence: template.sequence, attempt: template.attempts };
      delivery = buildDelivery(template.providerId, ctx, template.tamper, template.extraHeaders);
    }
    const retryHeaders = sender.retryHeaders?.(template.attempts, previous) ?? {};
    delivery = { body: delivery.body, headers: overlay(delivery.headers, overlay(retryHeaders, template.extraHeaders)) };
  }
  const answer = await deliver(template.url, delivery, template.timeoutMs);
  return record(state, template, deliveryId, at, answer, asRetry);
}

/** What was sent, oldest first; `providerId` (a scheme or catalog id) keeps one provider's. */
export function sentWebhooks(state: WebhookSenderState, filter: { providerId?: string } = {}): SentWebhook[] {
  const providerId = filter?.providerId === undefined ? undefined : webhookSenderId(filter.providerId);
  return state.sentWebhooks.filter((s) => providerId === undefined || s.providerId === providerId).map((s) => ({ ...s }));
}
