/**
 * Google Calendar API v3 (below https://www.googleapis.com) as the actions use it:
 * events.insert and calendarList.list
 * (developers.google.com/workspace/calendar/api/v3/reference/events/insert, …/calendarList/list).
 *
 * Strictness: the calendar must exist (404 `notFound`) and the user must be able to write it
 * (403 `requiredAccessLevel`); `start` and `end` are `{ dateTime, timeZone }` with an RFC 3339
 * date-time, whose offset may only be left out when an IANA `timeZone` is given; an end not
 * after the start is 400 `timeRangeEmpty`; attendees need valid emails; a conference is
 * created only with `conferenceDataVersion=1` and a `hangoutsMeet` create request, and a
 * request id seen before yields the same conference (…/guides/create-events#conferencing);
 * `sendUpdates` is all | externalOnly | none. The list pages with `maxResults` (default 100,
 * at most 250) and `pageToken` → `nextPageToken`, filtered by `minAccessRole`. The scopes
 * each method lists are checked (403 `insufficientPermissions`). Message wording we could not
 * confirm is marked (?). Push channels: events.watch and channels.stop, kept in the
 * world's `channels` with their tokens.
 */
import { empty, json, type SimResponse } from "../http-utils";
import { pageOf, worldOf, type ApiCall } from "./index";
import { GOOGLE_SCOPE, googleError, googleJsonBody, insufficientScope } from "./google";

type AccessRole = "owner" | "writer" | "reader" | "freeBusyReader";
type Calendar = { id: string; summary: string; accessRole: AccessRole; primary: boolean; timeZone: string };
type Event = Record<string, unknown> & { id: string };
type World = { calendars: Calendar[]; events: Array<{ calendarId: string; event: Event }>; conferences: Record<string, string>; next: number };

const ROLE_RANK: Record<AccessRole, number> = { freeBusyReader: 0, reader: 1, writer: 2, owner: 3 };

function createWorld(email: string): World {
  const calendars: Calendar[] = [
    { id: email, summary: email, accessRole: "owner", primary: true, timeZone: "Europe/Paris" },
    { id: "team@group.calendar.google.com", summary: "Team", accessRole: "writer", primary: false, timeZone: "Europe/Paris" },
    { id: "en.usa#holiday@group.v.calendar.google.com", summary: "Holidays in United States", accessRole: "reader", primary: false, timeZone: "America/New_York" },
  ];
  // 272 calendars events can be created in: two pages of 250.
  for (let i = 1; i <= 270; i += 1) {
    calendars.push({ id: `project-${i}@group.calendar.google.com`, summary: `Project ${i}`, accessRole: "writer", primary: false, timeZone: "UTC" });
  }
  return { calendars, events: [], conferences: {}, next: 1 };
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The offset of `timeZone` at `utcMs`, in milliseconds. */
function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(utcMs))
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The instant a `{ dateTime, timeZone }` names, or an error answer for `which` ("start" / "end"). */
function instantOf(value: unknown, which: string): number | SimResponse {
  if (typeof value !== "object" || value === null) return googleError(400, "required", `Missing ${which} time.`);
  const { date, dateTime, timeZone } = value as { date?: unknown; dateTime?: unknown; timeZone?: unknown };
  // An all-day event's day: the instant only orders start and end.
  if (dateTime === undefined && typeof date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(date)) return Date.parse(date);
  if (timeZone !== undefined && (typeof timeZone !== "string" || !isTimeZone(timeZone))) {
    return googleError(400, "invalid", `Invalid time zone definition for ${which} time.`);
  }
  const match = typeof dateTime === "string" ? DATE_TIME.exec(dateTime) : null;
  if (!match) return googleError(400, "invalid", `Invalid ${which} time.`, "global", { locationType: "other", location: `${which}.dateTime` });
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Math.round(Number(fraction ?? 0) * 1000);
  if (offset === "Z") return local;
  if (offset) {
    const sign = offset.startsWith("-") ? -1 : 1;
    return local - sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
  }
  if (timeZone === undefined) return googleError(400, "required", `Missing time zone definition for ${which} time.`);
  const guess = local - zoneOffset(local, timeZone as string);
  return local - zoneOffset(guess, timeZone as string);
}

function meetCode(n: number): string {
  const letters = (value: number, length: number) =>
    Array.from({ length }, (_, i) => String.fromCharCode(97 + (Math.floor(value / 26 ** i) % 26))).join("");
  return `${letters(n, 3)}-${letters(n * 7 + 3, 4)}-${letters(n * 13 + 5, 3)}`;
}

function insertEvent(call: ApiCall, world: World, calendarId: string): SimResponse {
  const { req } = call;
  const me = world.calendars.find((c) => c.primary)!;
  const calendar = calendarId === "primary" ? me : world.calendars.find((c) => c.id === calendarId);
  if (!calendar) return googleError(404, "notFound", "Not Found");
  if (ROLE_RANK[calendar.accessRole] < ROLE_RANK.writer) return googleError(403, "requiredAccessLevel", "You need to have writer access to this calendar.");
  const sendUpdates = req.query.get("sendUpdates");
  if (sendUpdates !== null && !["all", "externalOnly", "none"].includes(sendUpdates)) {
    return googleError(400, "invalidParameter", `Invalid value '${sendUpdates}'. Values must match the following regular expression: '(all|externalOnly|none)'`);
  }
  const read = googleJsonBody(req.json, req.bodyFormat);
  if ("refused" in read) return read.refused;
  const body = read.body;
  const start = instantOf(body.start, "start");
  if (typeof start !== "number") return start;
  const end = instantOf(body.end, "end");
  if (typeof end !== "number") return end;
  if (end <= start) return googleError(400, "timeRangeEmpty", "The specified time range is empty.", "calendar", { locationType: "parameter", location: "end" });
  for (const key of ["summary", "description", "location"]) {
    if (body[key] !== undefined && typeof body[key] !== "string") return googleError(400, "invalid", `Invalid value for ${key}.`);
  }
  const attendees = body.attendees ?? [];
  if (!Array.isArray(attendees) || attendees.some((a) => typeof (a as { email?: unknown })?.email !== "string" || !EMAIL.test((a as { email: string }).email))) {
    return googleError(400, "invalid", "Invalid attendee email.");
  }

  let conference: Record<string, unknown> | undefined;
  const request = (body.conferenceData as { createRequest?: { requestId?: unknown; conferenceSolutionKey?: { type?: unknown } } } | undefined)?.createRequest;
  if (req.query.get("conferenceDataVersion") === "1" && request !== undefined) {
    // Wording ours (?).
    if (typeof request.requestId !== "string" || request.requestId === "") return googleError(400, "invalid", "Invalid conference create request: a requestId is required.");
    if (request.conferenceSolutionKey?.type !== "hangoutsMeet") return googleError(400, "invalid", "Invalid conference type value.");
    world.conferences[request.requestId] ??= meetCode(Object.keys(world.conferences).length + 1);
    const code = world.conferences[request.requestId]!;
    conference = {
      createRequest: { requestId: request.requestId, conferenceSolutionKey: { type: "hangoutsMeet" }, status: { statusCode: "success" } },
      entryPoints: [{ entryPointType: "video", uri: `https://meet.google.com/${code}`, label: `meet.google.com/${code}` }],
      conferenceSolution: { key: { type: "hangoutsMeet" }, name: "Google Meet" },
      conferenceId: code,
    };
  }

  const id = `evsim${String(world.next++).padStart(6, "0")}`;
  const now = new Date(call.now).toISOString();
  const event: Event = {
    kind: "calendar#event",
    id,
    status: "confirmed",
    htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendar.id}`).toString("base64url")}`,
    created: now,
    updated: now,
    ...(body.summary !== undefined ? { summary: body.summary } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.location !== undefined ? { location: body.location } : {}),
    creator: { email: me.id, self: true },
    organizer: { email: calendar.id, self: calendar.id === me.id },
    start: body.start,
    end: body.end,
    iCalUID: `${id}@google.com`,
    sequence: 0,
    ...(attendees.length > 0 ? { attendees: (attendees as Array<{ email: string }>).map((a) => ({ email: a.email, responseStatus: "needsAction" })) } : {}),
    reminders: { useDefault: true },
    eventType: "default",
    ...(conference ? { hangoutLink: (conference.entryPoints as Array<{ uri: string }>)[0]!.uri, conferenceData: conference } : {}),
  };
  world.events.push({ calendarId: calendar.id, event });
  return json(200, event);
}

function listCalendars(call: ApiCall, world: World): SimResponse {
  const { query } = call.req;
  const rawMax = query.get("maxResults") ?? "100";
  // The wording of these three refusals is ours (?).
  if (!/^\d+$/.test(rawMax) || Number(rawMax) < 1) return googleError(400, "invalidParameter", "Invalid value for maxResults.");
  const max = Math.min(Number(rawMax), 250);
  const role = query.get("minAccessRole");
  if (role !== null && !(role in ROLE_RANK)) return googleError(400, "invalidParameter", `Invalid value '${role}' for minAccessRole.`);
  const visible = world.calendars.filter((c) => role === null || ROLE_RANK[c.accessRole] >= ROLE_RANK[role as AccessRole]);
  const token = query.get("pageToken");
  let cursor: string | null = null;
  if (token !== null) {
    const decoded = /^p(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!decoded) return googleError(400, "invalid", "Invalid page token value.");
    cursor = decoded[1]!;
  }
  const { page, next } = pageOf(visible, cursor, max);
  return json(200, {
    kind: "calendar#calendarList",
    etag: '"p33sim"',
    ...(next !== undefined ? { nextPageToken: Buffer.from(`p${next}`).toString("base64url") } : { nextSyncToken: "CPDAlvWDx70CEPDAlvWDx70CGAU=" }),
    items: page.map((c) => ({
      kind: "calendar#calendarListEntry",
      id: c.id,
      summary: c.summary,
      timeZone: c.timeZone,
      accessRole: c.accessRole,
      ...(c.primary ? { primary: true } : {}),
    })),
  });
}

const EVENTS_PATH = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/;

/** A push channel made by events.watch, kept in the world's `channels` (with its token) for tests. */
export type CalendarChannel = { id: string; resourceId: string; calendarId: string; address: string; token: string | null; expiration: number; stopped: boolean };

/** A channel lives at most a week (?: the Calendar docs give no maximum; a week is the default ttl). */
export const CHANNEL_MAX_LIFETIME_MS = 7 * 24 * 60 * 60_000;
const CHANNEL_ID = /^[A-Za-z0-9\-_+/=]{1,64}$/;

/**
 * events.watch [developers.google.com/workspace/calendar/api/v3/reference/events/watch]:
 * a channel id unique to the caller (`[A-Za-z0-9-_+/=]`, ≤ 64), `type: "web_hook"`, an
 * absolute `address` (Google wants HTTPS on a verified domain; loopback http is taken
 * here), a `token` of at most 256 characters, and an `expiration` in ms, cut to the
 * maximum (?). Google's first `sync` message is not sent here.
 */
function watch(call: ApiCall, world: World, calendarId: string): SimResponse {
  const me = world.calendars.find((c) => c.primary)!;
  const calendar = calendarId === "primary" ? me : world.calendars.find((c) => c.id === calendarId);
  if (!calendar) return googleError(404, "notFound", "Not Found");
  const read = googleJsonBody(call.req.json, call.req.bodyFormat);
  if ("refused" in read) return read.refused;
  const b = read.body;
  if (typeof b.id !== "string" || !CHANNEL_ID.test(b.id)) return googleError(400, "invalid", "Invalid channel id (?)");
  if (b.type !== "web_hook" && b.type !== "webhook") return googleError(400, "invalid", `Invalid channel type: ${String(b.type)} (?)`);
  if (typeof b.address !== "string" || !URL.canParse(b.address) || !/^https?:$/.test(new URL(b.address).protocol)) return googleError(400, "invalid", "Invalid address (?)");
  if (b.token !== undefined && (typeof b.token !== "string" || b.token.length > 256)) return googleError(400, "invalid", "Invalid token (?)");
  const channels = worldOf<CalendarChannel[]>(call.world, "channels", () => []);
  if (channels.some((c) => c.id === b.id)) return googleError(400, "channelIdNotUnique", `Channel id ${b.id} not unique`);
  const asked = b.expiration === undefined ? call.now + CHANNEL_MAX_LIFETIME_MS : Number(b.expiration);
  if (!Number.isFinite(asked)) return googleError(400, "invalid", "Invalid expiration (?)");
  const channel: CalendarChannel = {
    id: b.id,
    resourceId: `sim-res-${calendar.id.replace(/[^A-Za-z0-9]/g, "").slice(0, 16)}-${channels.length + 1}`,
    calendarId: calendar.id,
    address: b.address,
    token: typeof b.token === "string" ? b.token : null,
    expiration: Math.min(asked, call.now + CHANNEL_MAX_LIFETIME_MS),
    stopped: false,
  };
  channels.push(channel);
  return json(200, {
    kind: "api#channel",
    id: channel.id,
    resourceId: channel.resourceId,
    resourceUri: `https://www.googleapis.com/calendar/v3/calendars/${encodeURIComponent(calendar.id)}/events?alt=json`,
    ...(channel.token !== null ? { token: channel.token } : {}),
    expiration: String(channel.expiration),
  });
}

/** channels.stop {id, resourceId}: 204; a pair it does not know is 404 (?: the message is ours). */
function stop(call: ApiCall): SimResponse {
  const read = googleJsonBody(call.req.json, call.req.bodyFormat);
  if ("refused" in read) return read.refused;
  const channels = worldOf<CalendarChannel[]>(call.world, "channels", () => []);
  const channel = channels.find((c) => c.id === read.body.id && c.resourceId === read.body.resourceId && !c.stopped);
  if (!channel) return googleError(404, "notFound", `Channel '${String(read.body.id)}' not found (?)`);
  channel.stopped = true;
  return empty(204);
}

/** Any of the Calendar read scopes lets a caller watch events. */
const WATCH_SCOPES = ["calendar.readonly", "calendar.events", "calendar.events.readonly", "calendar", "calendar.events.owned"].map(GOOGLE_SCOPE);
const WATCH_PATH = /^\/calendar\/v3\/calendars\/([^/]+)\/events\/watch$/;

export function googleCalendarApi(call: ApiCall): SimResponse | null {
  const { method } = call.req;
  const watched = WATCH_PATH.exec(call.apiPath);
  if ((watched || call.apiPath === "/calendar/v3/channels/stop") && method === "POST") {
    const refused = insufficientScope(call.scopes, WATCH_SCOPES);
    if (refused) return refused;
    return watched ? watch(call, worldOf(call.world, "calendar", () => createWorld(call.account.email)), decodeURIComponent(watched[1]!)) : stop(call);
  }
  const events = EVENTS_PATH.exec(call.apiPath);
  if (events && method === "POST") {
    const refused = insufficientScope(call.scopes, [GOOGLE_SCOPE("calendar.events"), GOOGLE_SCOPE("calendar")]);
    if (refused) return refused;
    return insertEvent(call, worldOf(call.world, "calendar", () => createWorld(call.account.email)), decodeURIComponent(events[1]!));
  }
  if (call.apiPath === "/calendar/v3/users/me/calendarList" && method === "GET") {
    const refused = insufficientScope(call.scopes, [
      GOOGLE_SCOPE("calendar.readonly"),
      GOOGLE_SCOPE("calendar"),
      GOOGLE_SCOPE("calendar.calendarlist"),
      GOOGLE_SCOPE("calendar.calendarlist.readonly"),
    ]);
    if (refused) return refused;
    return listCalendars(call, worldOf(call.world, "calendar", () => createWorld(call.account.email)));
  }
  return null;
}
