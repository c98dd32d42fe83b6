/**
 * Event triggers: a workflow that runs when an inbound event arrives (a verified provider
 * delivery, its type normalized by lib/inbound/events.ts: `github.issues.opened`,
 * `slack.message`, `linear.Issue.create`, `webhook.<type>`), if its payload matches every
 * filter. Pure: which events a trigger takes, which patterns can take a type (what the
 * backend looks workflows up by), and the trigger data a run gets.
 *
 * A pattern is an exact type, or a prefix ending in `.*`: `github.*` takes every type that
 * starts with `github.` (`github.issues.opened`, `github.push`), never `github` itself.
 * A filter is a dot path into the payload and a JSON scalar; it matches when the payload
 * has a value there and that value is the same scalar (`===`: the number 1 is not the
 * text "1"). A missing path never matches, not even `null`.
 */
import { lookupPath } from "../templates";
import { jsonBytes, storableProblem } from "./json";

/** The longest event type pattern (a type is a provider and a few segments of at most 64 characters). */
export const EVENT_TYPE_MAX = 200;
/** Filters one event trigger may have (all must match). */
export const EVENT_FILTERS_MAX = 10;
/** The longest filter path. */
export const FILTER_PATH_MAX = 200;

/** A type segment as lib/inbound/events.ts `segment` writes them: letters, digits, `_`, `:` and `-`. */
const SEGMENT = "[A-Za-z0-9_:-]+";
/** `github.issues.opened`, or a prefix `github.*` / `github.issues.*`. */
export const EVENT_TYPE_PATTERN = new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})*(?:\\.\\*)?$`);
/** A path into the payload, read as template references are (lib/templates.ts): `issue.labels.0.name`. */
export const FILTER_PATH = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

export type FilterValue = string | number | boolean | null;
export type EventFilter = { path: string; equals: FilterValue };
export type EventTrigger = { kind: "event"; eventType: string; filters: readonly EventFilter[]; sampleEvent: Record<string, unknown> };

/** An inbound event as a trigger reads it. */
export type TriggerEvent = {
  eventId: string;
  type: string;
  providerId: string;
  connectionId: string | null;
  /** When Switchboard received it, ms since the epoch. */
  receivedAt: number;
  /** The parsed JSON body, or null when it was not kept whole. */
  payload: unknown;
};

/** What `sampleEvent` is when a definition leaves it out: the shape of the trigger data, with a small GitHub issue. A new object each time. */
export function exampleEvent() {
  return {
    eventId: "evt_example",
    type: "github.issues.opened",
    providerId: "github",
    connectionId: null,
    receivedAt: 0,
    payload: { action: "opened", issue: { number: 1, title: "Example issue", state: "open", labels: [{ name: "bug" }] } },
  } satisfies TriggerEvent;
}

/**
 * True when `pattern` takes events of `type`.
 * @example eventTypeMatches("github.*", "github.issues.opened") // true
 * @example eventTypeMatches("github.issues.*", "github.issues") // false
 */
export function eventTypeMatches(pattern: string, type: string): boolean {
  if (!pattern.endsWith(".*")) return pattern === type;
  const prefix = pattern.slice(0, -1);
  return type.length > prefix.length && type.startsWith(prefix);
}

/**
 * Every pattern a trigger could have that takes `type`: the type itself and the prefix
 * at each dot, longest first (those longer than EVENT_TYPE_MAX cannot be a trigger's).
 * The backend looks workflows up by these, so `eventTypeMatches(p, type)` for a valid
 * pattern `p` is exactly `eventTypePatterns(type).includes(p)`.
 * @example eventTypePatterns("github.issues.opened") // ["github.issues.opened", "github.issues.*", "github.*"]
 */
export function eventTypePatterns(type: string): string[] {
  const patterns = [type];
  for (let at = type.lastIndexOf("."); at > 0; at = type.lastIndexOf(".", at - 1)) patterns.push(`${type.slice(0, at)}.*`);
  return patterns.filter((pattern) => pattern.length <= EVENT_TYPE_MAX);
}

/** True when the payload has exactly `filter.equals` at `filter.path`. */
export function filterMatches(filter: EventFilter, payload: unknown): boolean {
  const found = lookupPath(payload, filter.path);
  return found.found && found.value === filter.equals;
}

/**
 * True when the trigger takes the event: its type matches and so does every filter.
 * @example eventTriggerMatches({ kind: "event", eventType: "github.*", filters: [{ path: "issue.state", equals: "open" }], sampleEvent: {} }, { ...event, type: "github.issues.opened", payload: { issue: { state: "open" } } }) // true
 */
export function eventTriggerMatches(trigger: Pick<EventTrigger, "eventType" | "filters">, event: Pick<TriggerEvent, "type" | "payload">): boolean {
  return eventTypeMatches(trigger.eventType, event.type) && trigger.filters.every((filter) => filterMatches(filter, event.payload));
}

/**
 * The trigger data a run started by `event` gets (what `{{trigger.…}}` reads). When the
 * whole is larger than `maxBytes` or a Convex document cannot hold the payload (a field
 * name starting with `$`, say), the payload is left out (`null`) and `payloadNote` says
 * why: the run still starts, with the event's id to find it by, and a step that reads the
 * payload fails saying what is missing, where someone sees it.
 */
export function eventRunInput(event: TriggerEvent, maxBytes: number): Record<string, unknown> {
  const { eventId, type, providerId, connectionId, receivedAt, payload } = event;
  const whole = { eventId, type, providerId, connectionId, receivedAt, payload };
  const problem = storableProblem(payload);
  const bytes = jsonBytes(whole);
  if (problem === null && bytes <= maxBytes) return whole;
  const payloadNote =
    problem !== null
      ? `The payload was left out: it cannot be stored (${problem.at ? `at ${problem.at}: ` : ""}${problem.message})`
      : `The payload was left out: the event is ${Math.ceil(bytes / 1024)} KB, more than a run's input may be (${maxBytes / 1024} KB).`;
  return { ...whole, payload: null, payloadNote };
}

/**
 * A filter value as a person types it: JSON when it is a number, true, false, null or a
 * quoted text, else the text itself (`open` is "open", `42` is 42, `"42"` is "42").
 */
export function parseFilterValue(text: string): FilterValue {
  const trimmed = text.trim();
  try {
    const value: unknown = JSON.parse(trimmed);
    if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  } catch {
    // Not JSON: plain text.
  }
  return text;
}

/** A filter value as a person would type it back (the inverse of `parseFilterValue`). */
export function filterValueText(value: FilterValue): string {
  if (typeof value !== "string") return JSON.stringify(value);
  return parseFilterValue(value) === value && value.trim() === value ? value : JSON.stringify(value);
}

