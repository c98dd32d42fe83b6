/**
 * Microsoft Graph v1.0 (below https://graph.microsoft.com) as the actions use it: sendMail,
 * creating calendar events and listing calendars (learn.microsoft.com/graph/api/user-sendmail,
 * …/user-post-events, …/calendar-post-events, …/user-list-calendars; paging by
 * `@odata.nextLink`, learn.microsoft.com/graph/paging). Errors are Graph's `{ error: { code, message,
 * innerError: { date, request-id, client-request-id } } }` (learn.microsoft.com/graph/errors).
 *
 * Strictness: POST bodies must be JSON (415 otherwise); a property the resource does not have
 * is refused (`RequestBodyRead`, as Graph's OData reader does); sendMail needs a recipient and
 * every address valid (`ErrorInvalidRecipients`), a body content type of text or html, and
 * answers 202 with no body; an event needs `start`/`end` as `{ dateTime, timeZone }` with a
 * local date-time (an offset is refused here, our strictness (?)) and an IANA or Windows zone
 * (`TimeZoneNotSupportedException`), a known calendar (404 `ErrorItemNotFound`), and with
 * `isOnlineMeeting` and provider `teamsForBusiness` it gets an `onlineMeeting.joinUrl`. The
 * permission each call needs (Mail.Send, Calendars.ReadWrite) must be in the grant, else 403
 * `ErrorAccessDenied`. The wording of the 415, of the refused recipients collection, body type,
 * saveToSentItems, dateTime and meeting provider is ours (?); the others are Graph's.
 * Sent mail is kept in the world's `sent` for tests (`world("microsoft")`). Change-notification
 * subscriptions (POST/PATCH/DELETE /v1.0/subscriptions, with the validation of the
 * notification URL Graph runs before it answers) are kept in `subscriptions`.
 */
import { randomUUID } from "node:crypto";
import { empty, header, json, type SimResponse } from "../http-utils";
import { graphValidate } from "../webhook-handshakes";
import { worldOf, type ApiCall } from "./index";

export type GraphSentMail = {
  subject: string;
  contentType: string;
  content: string;
  to: string[];
  cc: string[];
  bcc: string[];
  saveToSentItems: boolean;
};

type Calendar = { id: string; name: string; canEdit: boolean; isDefaultCalendar: boolean };
type World = { calendars: Calendar[]; events: Array<Record<string, unknown>>; sent: GraphSentMail[]; subscriptions: GraphSubscription[]; next: number };

const DEFAULT_CALENDAR = "AAMkADefaultCalendar=";

/** 133 calendars, one read-only: two pages of 100. */
function createWorld(): World {
  const calendars: Calendar[] = [
    { id: DEFAULT_CALENDAR, name: "Calendar", canEdit: true, isDefaultCalendar: true },
    { id: "AAMkTeamCalendar=", name: "Team", canEdit: true, isDefaultCalendar: false },
    { id: "AAMkBirthdays=", name: "Birthdays", canEdit: false, isDefaultCalendar: false },
  ];
  for (let i = 1; i <= 130; i += 1) calendars.push({ id: `AAMkProject${i}=`, name: `Project ${i}`, canEdit: true, isDefaultCalendar: false });
  return {
    calendars,
    events: [],
    sent: [],
    subscriptions: [],
    next: 1,
  };
}

function graphError(status: number, code: string, message: string, now: number): SimResponse {
  return json(status, { error: { code, message, innerError: { date: new Date(now).toISOString().slice(0, 19), "request-id": "sim-request", "client-request-id": "sim-request" } } });
}

const EMAIL = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;
/** A few Windows zone names Graph takes (learn.microsoft.com/graph/api/resources/datetimetimezone); IANA names too. */
const WINDOWS_ZONES = new Set([
  "UTC",
  "Pacific Standard Time",
  "Mountain Standard Time",
  "Central Standard Time",
  "Eastern Standard Time",
  "GMT Standard Time",
  "W. Europe Standard Time",
  "Romance Standard Time",
  "Central European Standard Time",
  "India Standard Time",
  "Tokyo Standard Time",
  "AUS Eastern Standard Time",
]);

function isTimeZone(name: string): boolean {
  if (WINDOWS_ZONES.has(name)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

type Read = { body: Record<string, unknown> } | { refused: SimResponse };

function jsonBody(call: ApiCall): Read {
  if (!/^application\/json/i.test(header(call.req, "content-type") ?? "")) {
    return { refused: graphError(415, "UnsupportedMediaType", "Content-Type must be application/json.", call.now) };
  }
  const body = call.req.json;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { refused: graphError(400, "BadRequest", "Empty Payload. JSON content expected.", call.now) };
  }
  return { body: body as Record<string, unknown> };
}

/** Graph's OData reader refuses a property the type does not have. */
function unknownProperty(value: Record<string, unknown>, allowed: readonly string[], type: string, now: number): SimResponse | null {
  const extra = Object.keys(value).find((key) => !allowed.includes(key) && !key.startsWith("@odata."));
  return extra === undefined
    ? null
    : graphError(400, "RequestBodyRead", `The property '${extra}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`, now);
}

/** The addresses of `[{ emailAddress: { address } }]`, or the refusal. */
function recipientsOf(value: unknown, now: number): string[] | SimResponse {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return graphError(400, "RequestBodyRead", "Recipients must be a collection.", now);
  const found: string[] = [];
  for (const item of value) {
    const address = (item as { emailAddress?: { address?: unknown } } | null)?.emailAddress?.address;
    if (typeof address !== "string" || !EMAIL.test(address)) {
      return graphError(400, "ErrorInvalidRecipients", `At least one recipient is not valid., Recipient '${String(address ?? "")}' is not resolved. All recipients must be resolved before a message can be submitted.`, now);
    }
    found.push(address);
  }
  return found;
}

const MESSAGE_PROPERTIES = ["subject", "body", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "importance", "attachments"];

function sendMail(call: ApiCall, world: World): SimResponse {
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const outer = unknownProperty(read.body, ["message", "saveToSentItems"], "microsoft.graph.sendMail", call.now);
  if (outer) return outer;
  const message = read.body.message;
  if (typeof message !== "object" || message === null) return graphError(400, "ErrorInvalidParameter", "The value of the parameter 'Message' is empty.", call.now);
  const m = message as Record<string, unknown>;
  const inner = unknownProperty(m, MESSAGE_PROPERTIES, "microsoft.graph.message", call.now);
  if (inner) return inner;
  const lists: string[][] = [];
  for (const key of ["toRecipients", "ccRecipients", "bccRecipients"]) {
    const found = recipientsOf(m[key], call.now);
    if (!Array.isArray(found)) return found;
    lists.push(found);
  }
  const [to, cc, bcc] = lists as [string[], string[], string[]];
  if (to.length + cc.length + bcc.length === 0) {
    return graphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid., A message can't be sent because it contains no recipients.", call.now);
  }
  const body = (m.body ?? { contentType: "text", content: "" }) as { contentType?: unknown; content?: unknown };
  const contentType = typeof body.contentType === "string" ? body.contentType.toLowerCase() : "";
  if (!["text", "html"].includes(contentType) || typeof body.content !== "string") {
    return graphError(400, "RequestBodyRead", "Cannot convert the literal to the expected type 'microsoft.graph.bodyType'.", call.now);
  }
  const save = read.body.saveToSentItems;
  if (save !== undefined && typeof save !== "boolean") return graphError(400, "RequestBodyRead", "saveToSentItems must be a boolean.", call.now);
  world.sent.push({ subject: typeof m.subject === "string" ? m.subject : "", contentType, content: body.content, to, cc, bcc, saveToSentItems: save ?? true });
  return empty(202);
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/;
const EVENT_PROPERTIES = ["subject", "body", "start", "end", "location", "attendees", "isOnlineMeeting", "onlineMeetingProvider", "isAllDay", "showAs", "importance", "sensitivity", "reminderMinutesBeforeStart"];

function createEvent(call: ApiCall, world: World, calendarId: string): SimResponse {
  const calendar = world.calendars.find((c) => c.id === calendarId);
  if (!calendar) return graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.", call.now);
  if (!calendar.canEdit) return graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", call.now);
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const e = read.body;
  const extra = unknownProperty(e, EVENT_PROPERTIES, "microsoft.graph.event", call.now);
  if (extra) return extra;
  for (const which of ["start", "end"]) {
    const value = e[which] as { dateTime?: unknown; timeZone?: unknown } | undefined;
    if (typeof value?.dateTime !== "string" || !LOCAL_DATE_TIME.test(value.dateTime)) {
      return graphError(400, "ErrorInvalidRequest", `Your request can't be completed. The ${which} dateTime is not valid.`, call.now);
    }
    if (typeof value.timeZone !== "string" || !isTimeZone(value.timeZone)) {
      return graphError(400, "TimeZoneNotSupportedException", `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${String(value.timeZone ?? "")}'.`, call.now);
    }
  }
  const attendees = recipientsOf(e.attendees, call.now);
  if (!Array.isArray(attendees)) return attendees;
  const online = e.isOnlineMeeting === true;
  const provider = e.onlineMeetingProvider ?? (online ? "teamsForBusiness" : "unknown");
  if (!["teamsForBusiness", "skypeForBusiness", "skypeForConsumer", "unknown"].includes(provider as string)) {
    return graphError(400, "RequestBodyRead", `Requested value '${String(provider)}' was not found.`, call.now);
  }
  const n = world.next++;
  const id = `AAMkADsim${String(n).padStart(4, "0")}=`;
  const event: Record<string, unknown> = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/events/$entity",
    id,
    createdDateTime: new Date(call.now).toISOString(),
    subject: typeof e.subject === "string" ? e.subject : "",
    body: e.body ?? { contentType: "text", content: "" },
    start: e.start,
    end: e.end,
    location: e.location ?? { displayName: "" },
    attendees: attendees.map((address) => ({ type: "required", status: { response: "none", time: "0001-01-01T00:00:00Z" }, emailAddress: { address, name: address } })),
    organizer: { emailAddress: { name: call.account.name, address: call.account.email } },
    isOnlineMeeting: online,
    onlineMeetingProvider: provider,
    onlineMeeting: online && provider === "teamsForBusiness" ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_sim${n}%40thread.v2/0` } : null,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
  };
  world.events.push({ calendarId, ...event });
  return json(201, event);
}

const CALENDAR_PROPERTIES = new Set(["id", "name", "color", "canEdit", "canShare", "canViewPrivateItems", "isDefaultCalendar", "owner", "changeKey"]);

/** `GET /me/calendars` with OData `$top` (default 10 (?)), `$skip` and `$select`; `@odata.nextLink` while more remain. */
function listCalendars(call: ApiCall, world: World): SimResponse {
  const { query } = call.req;
  const top = query.get("$top") ?? "10";
  const skip = query.get("$skip") ?? "0";
  if (!/^\d+$/.test(top) || !/^\d+$/.test(skip) || Number(top) < 1) {
    return graphError(400, "BadRequest", "Invalid $top or $skip value.", call.now);
  }
  const select = query.get("$select")?.split(",") ?? [...CALENDAR_PROPERTIES];
  const unknown = select.find((name) => !CALENDAR_PROPERTIES.has(name));
  if (unknown) return graphError(400, "BadRequest", `Could not find a property named '${unknown}' on type 'microsoft.graph.calendar'.`, call.now);
  const start = Number(skip);
  const end = start + Math.min(Number(top), 1000);
  const page = world.calendars.slice(start, end);
  const more = end < world.calendars.length;
  const next = new URLSearchParams([...query].filter(([name]) => name !== "$skip"));
  next.set("$skip", String(end));
  return json(200, {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/calendars",
    value: page.map((calendar) => Object.fromEntries(select.filter((name) => name in calendar).map((name) => [name, calendar[name as keyof Calendar]]))),
    ...(more ? { "@odata.nextLink": `https://graph.microsoft.com/v1.0/me/calendars?${next}` } : {}),
  });
}

/**
 * A change-notification subscription, kept in the world's `subscriptions` (with its
 * clientState) for tests: `world("microsoft").graph.subscriptions`.
 */
export type GraphSubscription = {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
  clientState: string | null;
  /** Each validation request sent while it was created. */
  validatedUrls: string[];
  renewals: number;
};

/** Outlook messages, events and contacts: at most 10,080 minutes [learn.microsoft.com/graph/api/resources/subscription#subscription-lifetime]. */
export const GRAPH_OUTLOOK_MAX_MINUTES = 10_080;
/** Graph waits 10 seconds for the validation answer [learn.microsoft.com/graph/change-notifications-delivery-webhooks]. */
export const GRAPH_VALIDATION_TIMEOUT_MS = 10_000;

const SUBSCRIPTION_PROPERTIES = ["changeType", "notificationUrl", "lifecycleNotificationUrl", "resource", "expirationDateTime", "clientState", "latestSupportedTlsVersion", "includeResourceData", "encryptionCertificate", "encryptionCertificateId", "notificationQueryOptions", "notificationUrlAppId"];
const SUBSCRIPTION_RESOURCE = /^(?:me|users\/[^/]+)\/(?:(messages)|mailFolders\('[^']+'\)\/(messages)|(events)|calendars\/[^/]+\/(events)|(contacts))$/;
/** The least permissions that allow a subscription to each kind (…/subscription-post-subscriptions#permissions). */
const SUBSCRIPTION_PERMISSIONS: Record<string, readonly string[]> = {
  messages: ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"],
  events: ["Calendars.Read", "Calendars.ReadWrite"],
  contacts: ["Contacts.Read", "Contacts.ReadWrite"],
};

/**
 * Graph's validation of a notification URL (`graphValidate`: POST `?validationToken=`,
 * 200 text/plain with the token echoed within 10 s, no redirect followed), told the way
 * Graph tells it: the two sentences its ValidationError says (?: the wording of the
 * second, for a wrong echo, as seen in Graph's answers).
 */
async function graphValidation(url: string): Promise<{ ok: true } | { ok: false; why: string }> {
  const result = await graphValidate(url, { timeoutMs: GRAPH_VALIDATION_TIMEOUT_MS });
  if (result.ok) return { ok: true };
  return result.status === 200
    ? { ok: false, why: "Response must exactly match validationToken query parameter." }
    : { ok: false, why: "Notification endpoint must respond with 200 OK to validation request." };
}

function subscriptionJson(sub: GraphSubscription) {
  return {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity",
    id: sub.id,
    resource: sub.resource,
    applicationId: "sim-microsoft-client",
    changeType: sub.changeType,
    clientState: sub.clientState,
    notificationUrl: sub.notificationUrl,
    lifecycleNotificationUrl: sub.lifecycleNotificationUrl,
    expirationDateTime: sub.expirationDateTime,
    creatorId: "sim-user",
    includeResourceData: false,
    latestSupportedTlsVersion: "v1_2",
    notificationUrlAppId: null,
  };
}

/** An expirationDateTime in the future and within the resource's maximum, or Graph's refusal. */
function expiryProblem(value: unknown, now: number): SimResponse | null {
  const at = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at)) return graphError(400, "InvalidRequest", "expirationDateTime is a required property for subscription creation.", now);
  if (at <= now) return graphError(400, "InvalidRequest", "Subscription expiration must be in the future (?).", now);
  if (at > now + GRAPH_OUTLOOK_MAX_MINUTES * 60_000) {
    return graphError(400, "InvalidRequest", `Subscription expiration can only be ${GRAPH_OUTLOOK_MAX_MINUTES} minutes in the future.`, now);
  }
  return null;
}

/**
 * POST /v1.0/subscriptions [learn.microsoft.com/graph/api/subscription-post-subscriptions]:
 * the resource's read permission, changeType, an absolute notificationUrl (Graph wants
 * HTTPS; the simulator takes loopback http too), an expiry within the maximum, a
 * clientState of at most 128 characters; then both URLs are validated, and a failed
 * validation refuses the subscription.
 */
async function createSubscription(call: ApiCall, world: World): Promise<SimResponse> {
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const b = read.body;
  const extra = unknownProperty(b, SUBSCRIPTION_PROPERTIES, "microsoft.graph.subscription", call.now);
  if (extra) return extra;
  const resource = typeof b.resource === "string" ? b.resource.replace(/^\/+/, "") : "";
  const match = SUBSCRIPTION_RESOURCE.exec(resource);
  if (!match) return graphError(400, "InvalidRequest", `Resource '${resource}' is not supported (?).`, call.now);
  const kind = (match[1] ?? match[2]) !== undefined ? "messages" : (match[3] ?? match[4]) !== undefined ? "events" : "contacts";
  if (!SUBSCRIPTION_PERMISSIONS[kind]!.some((p) => call.scopes.includes(p))) {
    return graphError(403, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]", call.now);
  }
  if (typeof b.changeType !== "string" || !b.changeType.split(",").every((c) => ["created", "updated", "deleted"].includes(c.trim()))) {
    return graphError(400, "InvalidRequest", "changeType must be created, updated, deleted or a comma-separated list of them (?).", call.now);
  }
  const urls: string[] = [];
  for (const key of ["notificationUrl", "lifecycleNotificationUrl"]) {
    const value = b[key];
    if (value === undefined && key === "lifecycleNotificationUrl") continue;
    if (typeof value !== "string" || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
      return graphError(400, "InvalidRequest", `Invalid ${key}: must be an absolute URL (?).`, call.now);
    }
    urls.push(value);
  }
  const expiry = expiryProblem(b.expirationDateTime, call.now);
  if (expiry) return expiry;
  if (b.clientState !== undefined && (typeof b.clientState !== "string" || b.clientState.length > 128)) {
    return graphError(400, "InvalidRequest", "clientState must be at most 128 characters (?).", call.now);
  }
  for (const url of urls) {
    const validated = await graphValidation(url);
    if (!validated.ok) return graphError(400, "ValidationError", `Subscription validation request failed. ${validated.why}`, call.now);
  }
  const sub: GraphSubscription = {
    id: randomUUID(),
    resource,
    changeType: b.changeType,
    notificationUrl: urls[0]!,
    lifecycleNotificationUrl: typeof b.lifecycleNotificationUrl === "string" ? b.lifecycleNotificationUrl : null,
    expirationDateTime: new Date(Date.parse(b.expirationDateTime as string)).toISOString(),
    clientState: typeof b.clientState === "string" ? b.clientState : null,
    validatedUrls: urls,
    renewals: 0,
  };
  world.subscriptions.push(sub);
  return json(201, subscriptionJson(sub));
}

const subscriptionNotFound = (id: string, now: number) => graphError(404, "ResourceNotFound", `The object '${id}' was not found (?).`, now);

/** PATCH and DELETE /v1.0/subscriptions/{id} [learn.microsoft.com/graph/api/subscription-update, …/subscription-delete]. */
function changeSubscription(call: ApiCall, world: World, id: string): SimResponse {
  const index = world.subscriptions.findIndex((s) => s.id === id);
  if (index === -1) return subscriptionNotFound(id, call.now);
  const sub = world.subscriptions[index]!;
  if (call.req.method === "DELETE") {
    world.subscriptions.splice(index, 1);
    return empty(204);
  }
  const read = jsonBody(call);
  if ("refused" in read) return read.refused;
  const extra = unknownProperty(read.body, ["expirationDateTime", "notificationUrl"], "microsoft.graph.subscription", call.now);
  if (extra) return extra;
  const expiry = expiryProblem(read.body.expirationDateTime, call.now);
  if (expiry) return expiry;
  sub.expirationDateTime = new Date(Date.parse(read.body.expirationDateTime as string)).toISOString();
  sub.renewals += 1;
  return json(200, subscriptionJson(sub));
}

/** The permissions each route accepts, in Graph's own names (…/permissions-reference). */
const PERMISSIONS: Record<string, readonly string[]> = {
  sendMail: ["Mail.Send"],
  events: ["Calendars.ReadWrite"],
  calendars: ["Calendars.Read", "Calendars.ReadWrite"],
};

export function microsoftApi(call: ApiCall): SimResponse | null | Promise<SimResponse> {
  const { method } = call.req;
  if (call.apiPath === "/v1.0/subscriptions" && method === "POST") return createSubscription(call, worldOf(call.world, "graph", createWorld));
  const subscription = /^\/v1\.0\/subscriptions\/([^/]+)$/.exec(call.apiPath);
  if (subscription && (method === "PATCH" || method === "DELETE")) return changeSubscription(call, worldOf(call.world, "graph", createWorld), decodeURIComponent(subscription[1]!));
  const calendarEvents = /^\/v1\.0\/me\/calendars\/([^/]+)\/events$/.exec(call.apiPath);
  const route =
    method === "GET"
      ? call.apiPath === "/v1.0/me/calendars"
        ? "calendars"
        : null
      : method !== "POST"
        ? null
        : call.apiPath === "/v1.0/me/sendMail"
          ? "sendMail"
          : call.apiPath === "/v1.0/me/events" || calendarEvents
            ? "events"
            : null;
  if (route === null) return null;
  if (!PERMISSIONS[route]!.some((permission) => call.scopes.includes(permission))) {
    return graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.", call.now);
  }
  const world = worldOf(call.world, "graph", createWorld);
  if (route === "sendMail") return sendMail(call, world);
  if (route === "calendars") return listCalendars(call, world);
  return createEvent(call, world, calendarEvents ? decodeURIComponent(calendarEvents[1]!) : DEFAULT_CALENDAR);
}
