/**
 * Which events an endpoint receives. A filter is a list of keys: `*` (every event), an
 * exact type (`action.failed`), or a group wildcard (`github.*`). The same keys index
 * the subscriptions table, so fan-out reads exactly the rows for an event's three keys
 * (`subscriptionKeys`), however many endpoints the organization has.
 */
import { eventGroup, isWebhookEventType, WILDCARD_GROUPS, type WebhookEventType } from "./catalog";

/** The key that subscribes to every event. */
export const ALL_EVENTS = "*";
/** Most keys in one endpoint's filter. */
export const MAX_FILTER_KEYS = 50;

/**
 * The three keys that match `type`: itself, its group's wildcard, and `*`. Operational
 * events about an endpoint (`endpoint.test`) are sent to it directly, not through filters.
 * @example subscriptionKeys("github.issues.opened") // ["github.issues.opened", "github.*", "*"]
 */
export function subscriptionKeys(type: WebhookEventType): [string, string, string] {
  return [type, `${eventGroup(type)}.*`, ALL_EVENTS];
}

/** True when a filter made of `keys` lets `type` through. */
export function filterMatches(keys: readonly string[], type: WebhookEventType): boolean {
  return subscriptionKeys(type).some((key) => keys.includes(key));
}

/**
 * A filter cleaned up (duplicates dropped, `*` alone when present, sorted), or the first
 * key that is not an event type or a known group wildcard.
 * @example normalizeFilter(["github.*", "action.failed", "github.*"]) // { ok: true, keys: ["action.failed", "github.*"] }
 */
export function normalizeFilter(keys: readonly string[]): { ok: true; keys: string[] } | { ok: false; message: string } {
  if (keys.length === 0) return { ok: false, message: "Choose at least one event type, or all events." };
  if (keys.length > MAX_FILTER_KEYS) return { ok: false, message: `A filter has at most ${MAX_FILTER_KEYS} event types.` };
  for (const key of keys) {
    if (key === ALL_EVENTS || isWebhookEventType(key)) continue;
    const group = key.endsWith(".*") ? key.slice(0, -2) : null;
    if (group !== null && WILDCARD_GROUPS.includes(group)) continue;
    return { ok: false, message: `"${key}" is not a webhook event type or a wildcard such as github.*.` };
  }
  if (keys.includes(ALL_EVENTS)) return { ok: true, keys: [ALL_EVENTS] };
  return { ok: true, keys: [...new Set(keys)].sort() };
}
