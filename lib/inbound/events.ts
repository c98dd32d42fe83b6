/**
 * What a verified delivery says, read the same way for every provider: the event's
 * normalized type (`github.issues.opened`, `slack.message`, `linear.Issue.create`), the
 * provider's own id for the delivery (what duplicates are recognised by), the account it
 * concerns (how an app-level delivery finds its connections), and whether it ends the
 * connection (an uninstall or a revocation). Pure; run only on verified bodies.
 *
 * Sources per provider are in schemes.ts; payload fields marked (?) are unconfirmed.
 */
import type { InboundSchemeId } from "./schemes";

/** A verified delivery, its body parsed (undefined when it is not JSON). */
export type ReadDelivery = { headers: Readonly<Record<string, string>>; body: unknown };

/** What a provider's lifecycle event does to the connection it concerns. */
export type LifecycleEffect = {
  /** The connection goes to error with this reason. */
  reason: "provider_uninstalled" | "provider_revoked" | "provider_suspended" | "subscription_removed";
  /** What the provider said, for the card ("Slack says the app was uninstalled"). */
  said: string;
};

export type EventReading = {
  /** `<provider>.<event>[.<action>]`; `<provider>.unknown` when the body names none. */
  type: string;
  /** The provider's id for this delivery, or null: then a hash of the raw body stands in. */
  deliveryId: string | null;
  /**
   * The provider-side accounts (workspace, installation, organization, user) it concerns,
   * as the payload names them, most specific first: an app-level delivery reaches the
   * connections whose `accountId` is one of them. Empty when the payload names none.
   */
  accountIds: string[];
  lifecycle: LifecycleEffect | null;
};

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : typeof value === "number" && Number.isFinite(value) ? String(value) : null);
/** A type segment: what the provider sent, kept to characters that read well in a filter. */
const segment = (value: unknown): string | null => {
  const t = text(value);
  return t === null ? null : t.replace(/[^A-Za-z0-9_.:-]/g, "_").slice(0, 64);
};
/** The account ids present, without blanks or repeats. */
const ids = (...values: unknown[]): string[] => [...new Set(values.map(text).filter((t): t is string => t !== null))];
const typeOf = (provider: string, ...parts: unknown[]): string => {
  const segments = parts.map(segment).filter((s): s is string => s !== null);
  return segments.length === 0 ? `${provider}.unknown` : [provider, ...segments].join(".");
};

type Reader = (d: ReadDelivery) => EventReading;

const READERS: Record<InboundSchemeId, Reader> = {
  // X-GitHub-Event names the event, `action` the action; X-GitHub-Delivery is a GUID per delivery
  // (the same on redeliveries); installation.id routes app deliveries.
  github({ headers, body }) {
    const b = obj(body);
    const event = headers["x-github-event"];
    const action = text(b.action);
    let lifecycle: LifecycleEffect | null = null;
    if (event === "installation" && action === "deleted") lifecycle = { reason: "provider_uninstalled", said: "GitHub says the app was uninstalled." };
    else if (event === "installation" && action === "suspend") lifecycle = { reason: "provider_suspended", said: "GitHub says the app was suspended." };
    else if (event === "github_app_authorization" && action === "revoked") lifecycle = { reason: "provider_revoked", said: "GitHub says the authorization was revoked." };
    // A revoked user authorization names no installation: its sender is the user who
    // authorized, the account an OAuth connection holds (GET /user's id).
    const accountIds = event === "github_app_authorization" ? ids(obj(b.sender).id) : ids(obj(b.installation).id);
    return { type: typeOf("github", event, action), deliveryId: text(headers["x-github-delivery"]), accountIds, lifecycle };
  },
  // Events API: event_callback with event.type; event_id is unique per event and kept on retries;
  // team_id routes [api.slack.com/apis/events-api]. tokens_revoked / app_uninstalled end access.
  slack({ body }) {
    const b = obj(body);
    const event = obj(b.event);
    const kind = b.type === "event_callback" ? text(event.type) : text(b.type);
    const lifecycle: LifecycleEffect | null =
      kind === "app_uninstalled"
        ? { reason: "provider_uninstalled", said: "Slack says the app was uninstalled." }
        : kind === "tokens_revoked"
          ? { reason: "provider_revoked", said: "Slack says the app's tokens were revoked." }
          : null;
    return { type: typeOf("slack", kind), deliveryId: text(b.event_id), accountIds: ids(b.team_id), lifecycle };
  },
  // Linear-Event is the entity type, `action` create/update/remove; Linear-Delivery a UUID;
  // organizationId routes.
  linear({ headers, body }) {
    const b = obj(body);
    return { type: typeOf("linear", b.type ?? headers["linear-event"], b.action), deliveryId: text(headers["linear-delivery"]), accountIds: ids(b.organizationId), lifecycle: null };
  },
  // `type` like page.created, `id` per event, workspace_id routes.
  notion({ body }) {
    const b = obj(body);
    return { type: typeOf("notion", b.type), deliveryId: text(b.id), accountIds: ids(b.workspace_id), lifecycle: null };
  },
  // `event` like meeting.started; no delivery id (?), so the body's hash stands in;
  // app_deauthorized ends access. A connection holds the Zoom user (GET /users/me's id), so
  // the user the payload names (user_id, or a meeting's host_id) routes first, then account_id.
  zoom({ body }) {
    const b = obj(body);
    const event = text(b.event);
    const lifecycle: LifecycleEffect | null = event === "app_deauthorized" ? { reason: "provider_revoked", said: "Zoom says the app was deauthorized." } : null;
    const payload = obj(b.payload);
    return { type: typeOf("zoom", event), deliveryId: null, accountIds: ids(payload.user_id, obj(payload.object).host_id, payload.account_id), lifecycle };
  },
  // One delivery carries `events`, each {action, resource: {resource_type}}; no delivery id.
  asana({ body }) {
    const first = obj((obj(body).events as unknown[] | undefined)?.[0]);
    return { type: typeOf("asana", obj(first.resource).resource_type, first.action), deliveryId: null, accountIds: [], lifecycle: null };
  },
  // action.type like createCard; action.id is unique per action.
  trello({ body }) {
    const action = obj(obj(body).action);
    return { type: typeOf("trello", action.type), deliveryId: text(action.id), accountIds: [], lifecycle: null };
  },
  // webhookEvent like jira:issue_created; X-Atlassian-Webhook-Identifier is kept across retries.
  jira({ headers, body }) {
    return { type: typeOf("jira", obj(body).webhookEvent), deliveryId: text(headers["x-atlassian-webhook-identifier"]), accountIds: [], lifecycle: null };
  },
  // A dynamic webhook's delivery has the same body and identifier header as an admin webhook's
  // [developer.atlassian.com/cloud/jira/platform/webhooks] (?); no field names a site reliably, so no account.
  jira_dynamic({ headers, body }) {
    return { type: typeOf("jira", obj(body).webhookEvent), deliveryId: text(headers["x-atlassian-webhook-identifier"]), accountIds: [], lifecycle: null };
  },
  // Pumble's app events: `type` or `eventType` (?); no delivery id.
  pumble({ body }) {
    const b = obj(body);
    return { type: typeOf("pumble", b.type ?? b.eventType), deliveryId: null, accountIds: ids(b.workspaceId), lifecycle: null };
  },
  // value[] of notifications: changeType, or lifecycleEvent for lifecycle notifications;
  // no delivery id; subscriptionRemoved ends the subscription, reauthorizationRequired asks
  // for a renewal (the subscription job handles it), missed asks for a resync.
  microsoft_graph({ body }) {
    const first = obj((obj(body).value as unknown[] | undefined)?.[0]);
    const lifecycleEvent = text(first.lifecycleEvent);
    const lifecycle: LifecycleEffect | null =
      lifecycleEvent === "subscriptionRemoved" ? { reason: "subscription_removed", said: "Microsoft says the subscription was removed." } : null;
    return {
      type: typeOf("microsoft", lifecycleEvent ?? first.changeType),
      deliveryId: null,
      accountIds: ids(first.tenantId),
      lifecycle,
    };
  },
  // No body: X-Goog-Resource-State (sync, exists, not_exists); the channel id and the
  // increasing X-Goog-Message-Number identify a delivery.
  google_calendar({ headers }) {
    const channel = text(headers["x-goog-channel-id"]);
    const number = text(headers["x-goog-message-number"]);
    return {
      type: typeOf("google_calendar", headers["x-goog-resource-state"]),
      deliveryId: channel !== null && number !== null ? `${channel}:${number}` : null,
      accountIds: [],
      lifecycle: null,
    };
  },
  // LinkedIn: `type` like ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS with `notifications[]`, each with
  // its notificationId ("deduplicate using the Notification ID") and `action` (?). A connection
  // holds a member (userinfo `sub`); payloads name organizations, so nothing routes them yet.
  linkedin({ body }) {
    const b = obj(body);
    const first = obj((b.notifications as unknown[] | undefined)?.[0]);
    return { type: typeOf("linkedin", b.type, first.action), deliveryId: text(first.notificationId ?? b.notificationId), accountIds: [], lifecycle: null };
  },
  // Standard Webhooks: `type` in the body, webhook-id kept across retries.
  standard_webhooks({ headers, body }) {
    return { type: typeOf("webhook", obj(body).type), deliveryId: text(headers["webhook-id"]), accountIds: [], lifecycle: null };
  },
};

/** What one verified delivery says, read with its provider's scheme. */
export function readDelivery(scheme: InboundSchemeId, delivery: ReadDelivery): EventReading {
  return READERS[scheme](delivery);
}

/**
 * The key duplicates are recognised by: the provider's delivery id, else a hash of the raw
 * body (`bodyHash`, hex SHA-256) — a provider that resends the same bytes is then deduplicated
 * too. Prefixed with the scheme, so two providers' ids never collide.
 */
export function dedupeKey(scheme: InboundSchemeId, reading: Pick<EventReading, "deliveryId">, bodyHash: string): string {
  return reading.deliveryId !== null ? `${scheme}:id:${reading.deliveryId}` : `${scheme}:sha256:${bodyHash}`;
}
