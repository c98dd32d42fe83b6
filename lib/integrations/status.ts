/**
 * How a connection's state reads to a person: a badge and, for errors, what went
 * wrong and what to do. One place, so cards, pages and tests agree.
 */

/** A connection's lifecycle; "not connected" is the absence of a row. */
export const CONNECTION_STATUSES = ["connected", "refreshing", "error", "disconnected"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

export type StatusView = {
  key: "not_connected" | ConnectionStatus;
  label: string;
  tone: "neutral" | "success" | "progress" | "danger" | "muted";
  /** For errors: what happened and what to do, in plain words. */
  explanation: string | null;
};

/** Why a connection is in error, in plain words; the keys are every reason there is. */
const STATUS_REASON_TEXT = {
  unauthorized: "The provider no longer accepts this connection's credentials.",
  refresh_revoked: "Access was revoked at the provider, so the token cannot be renewed.",
  refresh_exhausted: "Renewing the token kept failing for days.",
  decrypt_failed: "The stored credential could not be read (was the encryption key removed?).",
  // Said by the provider itself, by webhook (lib/inbound/events.ts); the connection's
  // lastError holds its words ("Slack says the app was uninstalled.").
  provider_uninstalled: "The provider says the app was uninstalled from the account.",
  provider_revoked: "The provider says access was revoked.",
  provider_suspended: "The provider says the app was suspended on the account.",
  subscription_removed: "The provider removed the webhook subscription, so events no longer arrive.",
} as const satisfies Record<string, string>;

/** Who is looking: admins can reconnect; members can only ask one to. */
export type Viewer = "admin" | "member";

const FIX: Record<Viewer, string> = { admin: "Reconnect to fix it.", member: "Ask an admin to reconnect it." };

export type StatusReason = keyof typeof STATUS_REASON_TEXT;
export const STATUS_REASONS = Object.keys(STATUS_REASON_TEXT) as StatusReason[];

/** What a reason means and what the viewer can do about it; null for a reason this build does not know. */
export function explainStatusReason(reason: string | null, viewer: Viewer = "admin"): string | null {
  if (reason === null || !Object.hasOwn(STATUS_REASON_TEXT, reason)) return null;
  return `${STATUS_REASON_TEXT[reason as StatusReason]} ${FIX[viewer]}`;
}

const GENERIC_ERROR: Record<Viewer, string> = {
  admin: "Something is wrong with this connection. Test it, or reconnect.",
  member: "Something is wrong with this connection. Ask an admin to test or reconnect it.",
};

/** Reasons a provider gave us itself, by webhook; its own words are on the row (`lastError`). */
const PROVIDER_SAID: ReadonlySet<string> = new Set(["provider_uninstalled", "provider_revoked", "provider_suspended", "subscription_removed"]);

/** "Slack says the app was uninstalled. Reconnect to fix it.", when the provider said so. */
function providerSaid(connection: { statusReason: string | null; lastError?: string | null }, viewer: Viewer): string | null {
  if (connection.statusReason === null || !PROVIDER_SAID.has(connection.statusReason) || !connection.lastError) return null;
  return `${connection.lastError} ${FIX[viewer]}`;
}

/** The view of a connection; `null` means the org never connected this provider. */
export function statusView(
  connection: { status: ConnectionStatus; statusReason: string | null; lastError?: string | null } | null,
  viewer: Viewer = "admin",
): StatusView {
  if (!connection) return { key: "not_connected", label: "Not connected", tone: "neutral", explanation: null };
  switch (connection.status) {
    case "connected":
      return { key: "connected", label: "Connected", tone: "success", explanation: null };
    case "refreshing":
      return { key: "refreshing", label: "Refreshing", tone: "progress", explanation: null };
    case "error":
      return {
        key: "error",
        label: "Error",
        tone: "danger",
        explanation: providerSaid(connection, viewer) ?? explainStatusReason(connection.statusReason, viewer) ?? GENERIC_ERROR[viewer],
      };
    case "disconnected":
      return { key: "disconnected", label: "Disconnected", tone: "muted", explanation: null };
    default:
      return connection.status satisfies never;
  }
}

/** "just now", "3 minutes ago", "2 hours ago", "5 days ago"; future times read "in …". */
export function relativeTime(timestamp: number, now: number): string {
  const seconds = Math.round((now - timestamp) / 1000);
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  if (abs < 45) return future ? "in a few seconds" : "just now";
  const units: Array<[number, string]> = [
    [86_400, "day"],
    [3_600, "hour"],
    [60, "minute"],
  ];
  for (const [size, unit] of units) {
    if (abs >= size) {
      const n = Math.round(abs / size);
      const text = `${n} ${unit}${n === 1 ? "" : "s"}`;
      return future ? `in ${text}` : `${text} ago`;
    }
  }
  return future ? "in a minute" : "1 minute ago";
}

/**
 * When something that already happened happened: like `relativeTime`, but never in the
 * future. A ticking `now` lags fresh data by up to its interval (and the server's clock
 * may run ahead of the browser's), so a check made a second ago must not read "in a few
 * seconds".
 * @example timeAgo(now + 2_000, now) // "just now"
 */
export function timeAgo(timestamp: number, now: number): string {
  return relativeTime(Math.min(timestamp, now), now);
}
