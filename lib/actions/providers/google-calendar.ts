/**
 * Google Calendar API v3 actions, below https://www.googleapis.com (paths start at
 * `/calendar/v3`). Errors are Google's (./google.ts).
 *
 * - developers.google.com/workspace/calendar/api/v3/reference/events/insert: `POST
 *   /calendars/{calendarId}/events` with an Event → the Event, whose `htmlLink` opens it and
 *   `hangoutLink` is its Meet link. `start`/`end` are `{ dateTime, timeZone }`: an RFC 3339
 *   date-time, its offset optional when `timeZone` (an IANA name) is given. `sendUpdates`
 *   (`all` | `externalOnly` | `none`) says who gets invitations; an end before the start is
 *   400 `timeRangeEmpty` (…/calendar/api/guides/errors).
 * - developers.google.com/workspace/calendar/api/guides/create-events#conferencing: a Meet
 *   link is asked for with `conferenceData.createRequest { requestId, conferenceSolutionKey:
 *   { type: "hangoutsMeet" } }` and `conferenceDataVersion=1`; a request id seen before is
 *   ignored, so the run's correlation id (the same on every send of one run) keeps a re-sent
 *   request to one conference. The conference may still be `pending` in the answer: then
 *   there is no link yet (?).
 * - developers.google.com/workspace/calendar/api/v3/reference/calendarList/list: `maxResults`
 *   (default 100, at most 250), `pageToken` → `nextPageToken`; `minAccessRole=writer` keeps
 *   the calendars events can be created in; needs `calendar.readonly` or `calendar`.
 * - Scopes (…/calendar/api/auth): events.insert takes `calendar.events` or `calendar`.
 */
import { z } from "zod";
import { defineAction, pathSegment, type ActionAnswer, type ActionMapping } from "../define";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";
import { googleFailure, type GoogleErrorDetail } from "./google";

const CALENDAR = "Google Calendar";
const GOOGLE_SCOPE = (name: string) => `https://www.googleapis.com/auth/${name}`;

/** Which input a Calendar error is about, from its reason and location. */
function calendarField(detail: GoogleErrorDetail): string | undefined {
  if (detail.reason === "timeRangeEmpty") return "end";
  if (detail.status === 404) return "calendarId";
  if (detail.reason === "requiredAccessLevel") return "calendarId";
  if (/time ?zone/i.test(detail.message)) return "timeZone";
  if (/attendee/i.test(detail.message)) return "attendees";
  return undefined;
}

function calendarJson<T>(answer: ActionAnswer, read: (body: never) => T): ActionMapping<T> {
  const failure = googleFailure(answer, CALENDAR, calendarField);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

/** Whether the runtime knows `name` as an IANA time zone. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** RFC 3339 date-time, seconds required, offset optional (the event's time zone then applies). */
const dateTime = (title: string, example: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/, "A date-time like 2026-03-01T09:30:00.")
    .meta({ title, description: "RFC 3339; without an offset it is read in the time zone below.", examples: [example] });

const email = z.string().trim().pipe(z.email("An email address like ada@example.com."));

export const googleCalendarCreateEvent = defineAction({
  id: "google-calendar.create_event",
  version: 1,
  providerId: "google-calendar",
  title: "Create an event",
  description: "Creates an event in a calendar, optionally inviting people and adding a Google Meet link.",
  effect: "write",
  scopes: [[GOOGLE_SCOPE("calendar.events"), GOOGLE_SCOPE("calendar")]],
  input: z.object({
    calendarId: z
      .string()
      .trim()
      .min(1, "Choose a calendar.")
      .max(1024, "Choose a calendar.")
      .default("primary")
      .meta({ title: "Calendar", description: "A calendar id, or primary for the user's main calendar.", examples: ["primary"], ...fromLookup("google-calendar.list_calendars") }),
    summary: z.string().trim().min(1, "Give the event a title.").max(1024, "Google takes a title of at most 1,024 characters.").meta({ title: "Title", examples: ["Quarterly review"] }),
    description: z.string().max(8192, "Google takes a description of at most 8,192 characters.").optional().meta({ title: "Description", description: "Plain text or simple HTML." }),
    location: z.string().trim().max(1024, "Google takes a location of at most 1,024 characters.").optional().meta({ title: "Location", examples: ["Room 4.2"] }),
    start: dateTime("Starts", "2026-03-01T09:30:00"),
    end: dateTime("Ends", "2026-03-01T10:30:00"),
    timeZone: z
      .string()
      .trim()
      .refine(isTimeZone, "An IANA time zone like Europe/Paris.")
      .meta({ title: "Time zone", description: "IANA name.", examples: ["Europe/Paris", "America/New_York"] }),
    attendees: z.array(email).max(100, "At most 100 attendees.").optional().meta({ title: "Attendees", description: "Email addresses to invite." }),
    notifyAttendees: z.boolean().default(true).meta({ title: "Email the invitations", description: "Off: the event is added to their calendars silently." }),
    addMeetLink: z.boolean().default(false).meta({ title: "Add a Google Meet link" }),
  }),
  output: z.object({
    id: z.string().describe("The event's id."),
    url: z.string().describe("The event in Google Calendar."),
    meetLink: z.string().optional().describe("The Google Meet link, when one was asked for and is ready."),
  }),
  request: (input, context) => {
    const attendees = input.attendees ?? [];
    return {
      method: "POST",
      path: `/calendar/v3/calendars/${pathSegment(input.calendarId)}/events`,
      query: {
        ...(input.addMeetLink ? { conferenceDataVersion: "1" } : {}),
        ...(attendees.length > 0 ? { sendUpdates: input.notifyAttendees ? "all" : "none" } : {}),
      },
      headers: { Accept: "application/json" },
      body: {
        json: {
          summary: input.summary,
          ...(input.description ? { description: input.description } : {}),
          ...(input.location ? { location: input.location } : {}),
          start: { dateTime: input.start, timeZone: input.timeZone },
          end: { dateTime: input.end, timeZone: input.timeZone },
          ...(attendees.length > 0 ? { attendees: attendees.map((address) => ({ email: address })) } : {}),
          ...(input.addMeetLink
            ? { conferenceData: { createRequest: { requestId: context.correlationId, conferenceSolutionKey: { type: "hangoutsMeet" } } } }
            : {}),
        },
      },
    };
  },
  response: (answer) =>
    calendarJson(
      answer,
      (body: { id: string; htmlLink: string; hangoutLink?: string; conferenceData?: { entryPoints?: Array<{ entryPointType?: string; uri?: string }> } }) => {
        const video = body.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === "video")?.uri;
        const meetLink = body.hangoutLink ?? video;
        return { id: body.id, url: body.htmlLink, ...(meetLink ? { meetLink } : {}) };
      },
    ),
});

export const googleCalendarListCalendars = defineAction({
  id: "google-calendar.list_calendars",
  version: 1,
  providerId: "google-calendar",
  kind: "lookup",
  title: "List calendars",
  description: "The calendars on the user's list that events can be created in.",
  effect: "read",
  scopes: [[GOOGLE_SCOPE("calendar.readonly"), GOOGLE_SCOPE("calendar")]],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/calendar/v3/users/me/calendarList",
    headers: { Accept: "application/json" },
    query: { minAccessRole: "writer", maxResults: "250", ...(input.cursor ? { pageToken: input.cursor } : {}) },
  }),
  response: (answer) =>
    calendarJson(
      answer,
      (body: { items?: Array<{ id: string; summary?: string; summaryOverride?: string; primary?: boolean }>; nextPageToken?: string }) => ({
        options: (body.items ?? []).map((calendar) => ({
          value: calendar.id,
          label: calendar.summaryOverride || calendar.summary || calendar.id,
          ...(calendar.primary ? { hint: "Primary calendar" } : {}),
        })),
        nextCursor: body.nextPageToken || undefined,
      }),
    ),
});

export const googleCalendarActions = [googleCalendarCreateEvent, googleCalendarListCalendars];
