import { describe, expect, it } from "vitest";
import type { ActionAnswer, ActionContext, AnyAction } from "../define";
import { actionSpec } from "../spec";
import { parseInput, readAnswer } from "../prepare";
import { scopeNames } from "../scopes";
import { getProvider } from "../../providers";
import { googleCalendarActions, googleCalendarCreateEvent, googleCalendarListCalendars } from "./google-calendar";

const context: ActionContext = { config: {}, scopes: [], correlationId: "run_42" };

function answer(status: number, json?: unknown, headers: Record<string, string> = {}): ActionAnswer {
  return { status, headers, body: json === undefined ? "" : JSON.stringify(json), json };
}

function requestOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return action.request(parsed.input, context);
}

function fieldsOf(action: AnyAction, input: unknown) {
  const parsed = parseInput(action, input);
  return parsed.ok ? null : parsed.error.fields;
}

function read(action: AnyAction, input: unknown, given: ActionAnswer) {
  const parsed = parseInput(action, input);
  if (!parsed.ok) throw new Error("bad input");
  return readAnswer(action, parsed.input, given, "Google Calendar");
}

const EVENT = { summary: "Review", start: "2026-03-01T09:30:00", end: "2026-03-01T10:30:00", timeZone: "Europe/Paris" };

describe("google-calendar.create_event", () => {
  it("posts the event with a Meet request keyed by the run, and invitations for the attendees", () => {
    expect(
      requestOf(googleCalendarCreateEvent, {
        calendarId: "team@group.calendar.google.com",
        summary: " Quarterly review ",
        description: "Agenda: numbers.",
        location: " Room 4.2 ",
        start: "2026-03-01T09:30:00+01:00",
        end: " 2026-03-01T10:30:00.5Z ",
        timeZone: " Europe/Paris ",
        attendees: [" ada@example.com ", "bob@example.org"],
        addMeetLink: true,
      }),
    ).toStrictEqual({
      method: "POST",
      path: "/calendar/v3/calendars/team%40group.calendar.google.com/events",
      query: { conferenceDataVersion: "1", sendUpdates: "all" },
      headers: { Accept: "application/json" },
      body: {
        json: {
          summary: "Quarterly review",
          description: "Agenda: numbers.",
          location: "Room 4.2",
          start: { dateTime: "2026-03-01T09:30:00+01:00", timeZone: "Europe/Paris" },
          end: { dateTime: "2026-03-01T10:30:00.5Z", timeZone: "Europe/Paris" },
          attendees: [{ email: "ada@example.com" }, { email: "bob@example.org" }],
          conferenceData: { createRequest: { requestId: "run_42", conferenceSolutionKey: { type: "hangoutsMeet" } } },
        },
      },
    });
  });

  it("goes to the primary calendar by default and sends only what was given", () => {
    expect(requestOf(googleCalendarCreateEvent, { ...EVENT, description: "", location: "", attendees: [] })).toStrictEqual({
      method: "POST",
      path: "/calendar/v3/calendars/primary/events",
      query: {},
      headers: { Accept: "application/json" },
      body: {
        json: {
          summary: "Review",
          start: { dateTime: "2026-03-01T09:30:00", timeZone: "Europe/Paris" },
          end: { dateTime: "2026-03-01T10:30:00", timeZone: "Europe/Paris" },
        },
      },
    });
    expect(requestOf(googleCalendarCreateEvent, { ...EVENT, attendees: ["ada@example.com"], notifyAttendees: false }).query).toStrictEqual({ sendUpdates: "none" });
  });

  it("refuses malformed times, time zones, addresses and empty titles", () => {
    expect(fieldsOf(googleCalendarCreateEvent, { summary: " ", start: "2026-03-01 09:30", end: "2026-03-01T09:30", timeZone: "Mars/Olympus", attendees: ["ada"] })).toEqual({
      summary: "Give the event a title.",
      start: "A date-time like 2026-03-01T09:30:00.",
      end: "A date-time like 2026-03-01T09:30:00.",
      timeZone: "An IANA time zone like Europe/Paris.",
      "attendees.0": "An email address like ada@example.com.",
    });
    for (const bad of ["2026-03-01T09:30:00+0100", "2026-03-01T09:30:00.1234567890Z", "x2026-03-01T09:30:00", "2026-03-01T09:30:00Zx", "26-03-01T09:30:00"]) {
      expect(fieldsOf(googleCalendarCreateEvent, { ...EVENT, start: bad })).toEqual({ start: "A date-time like 2026-03-01T09:30:00." });
    }
    expect(fieldsOf(googleCalendarCreateEvent, { ...EVENT, start: "2026-03-01T09:30:00-05:00", end: "2026-03-01T09:30:00.123456789Z" })).toBeNull();
    expect(fieldsOf(googleCalendarCreateEvent, { ...EVENT, calendarId: " " })).toEqual({ calendarId: "Choose a calendar." });
    expect(fieldsOf(googleCalendarCreateEvent, { ...EVENT, calendarId: "c".repeat(1025) })).toEqual({ calendarId: "Choose a calendar." });
    expect(
      fieldsOf(googleCalendarCreateEvent, {
        ...EVENT,
        summary: "s".repeat(1025),
        description: "d".repeat(8193),
        location: "l".repeat(1025),
        attendees: Array.from({ length: 101 }, (_, i) => `p${i}@example.com`),
      }),
    ).toEqual({
      summary: "Google takes a title of at most 1,024 characters.",
      description: "Google takes a description of at most 8,192 characters.",
      location: "Google takes a location of at most 1,024 characters.",
      attendees: "At most 100 attendees.",
    });
    expect(
      fieldsOf(googleCalendarCreateEvent, {
        ...EVENT,
        calendarId: "c".repeat(1024),
        summary: "s".repeat(1024),
        description: "d".repeat(8192),
        location: "l".repeat(1024),
        attendees: Array.from({ length: 100 }, (_, i) => `p${i}@example.com`),
      }),
    ).toBeNull();
    expect(fieldsOf(googleCalendarCreateEvent, { ...EVENT, timeZone: "America/New_York" })).toBeNull();
  });

  it("answers the id, the link, and the Meet link from hangoutLink or the video entry point", () => {
    const base = { id: "ev1", htmlLink: "https://www.google.com/calendar/event?eid=ZXYx" };
    expect(read(googleCalendarCreateEvent, EVENT, answer(200, { ...base, hangoutLink: "https://meet.google.com/abc-defg-hij" }))).toEqual({
      ok: true,
      output: { id: "ev1", url: base.htmlLink, meetLink: "https://meet.google.com/abc-defg-hij" },
    });
    const entries = { conferenceData: { entryPoints: [{ entryPointType: "phone", uri: "tel:+1" }, { entryPointType: "video", uri: "https://meet.google.com/xyz" }] } };
    expect(read(googleCalendarCreateEvent, EVENT, answer(200, { ...base, ...entries }))).toEqual({
      ok: true,
      output: { id: "ev1", url: base.htmlLink, meetLink: "https://meet.google.com/xyz" },
    });
    const phoneOnly = { conferenceData: { entryPoints: [{ entryPointType: "phone", uri: "tel:+1" }] } };
    expect(read(googleCalendarCreateEvent, EVENT, answer(200, { ...base, ...phoneOnly }))).toStrictEqual({ ok: true, output: { id: "ev1", url: base.htmlLink } });
    // Still pending: no link yet.
    const pending = { conferenceData: { createRequest: { status: { statusCode: "pending" } } } };
    expect(read(googleCalendarCreateEvent, EVENT, answer(200, { ...base, ...pending }))).toStrictEqual({ ok: true, output: { id: "ev1", url: base.htmlLink } });
    expect(read(googleCalendarCreateEvent, EVENT, answer(200, base))).toStrictEqual({ ok: true, output: { id: "ev1", url: base.htmlLink } });
  });

  it("blames the right field for Calendar's refusals", () => {
    const google = (code: number, reason: string, message: string) => answer(code, { error: { code, message, errors: [{ domain: "calendar", reason, message }] } });
    const fieldFor = (given: ActionAnswer) => {
      const result = read(googleCalendarCreateEvent, EVENT, given);
      return result.ok ? null : (result.error.fields ?? {});
    };
    expect(fieldFor(google(400, "timeRangeEmpty", "The specified time range is empty."))).toEqual({ end: "The specified time range is empty." });
    expect(fieldFor(google(404, "notFound", "Not Found"))).toEqual({ calendarId: "Not Found" });
    expect(fieldFor(google(403, "requiredAccessLevel", "You need to have writer access to this calendar."))).toEqual({
      calendarId: "You need to have writer access to this calendar.",
    });
    expect(fieldFor(google(400, "invalid", "Invalid time zone definition for start time."))).toEqual({ timeZone: "Invalid time zone definition for start time." });
    expect(fieldFor(google(400, "invalid", "Missing timezone definition."))).toEqual({ timeZone: "Missing timezone definition." });
    expect(fieldFor(google(400, "invalid", "Invalid attendee email."))).toEqual({ attendees: "Invalid attendee email." });
    expect(fieldFor(google(400, "badRequest", "Bad Request"))).toEqual({});
    expect(fieldFor(google(403, "forbiddenForNonOrganizer", "Shared properties can only be changed by the organizer."))).toEqual({});
    expect(read(googleCalendarCreateEvent, EVENT, google(403, "rateLimitExceeded", "Rate Limit Exceeded"))).toMatchObject({
      ok: false,
      error: { code: "rate_limited", providerCode: "rateLimitExceeded" },
    });
  });
});

describe("google-calendar.list_calendars", () => {
  it("asks the calendars events can be created in, 250 a page", () => {
    expect(requestOf(googleCalendarListCalendars, {})).toStrictEqual({
      method: "GET",
      path: "/calendar/v3/users/me/calendarList",
      headers: { Accept: "application/json" },
      query: { minAccessRole: "writer", maxResults: "250" },
    });
    expect(requestOf(googleCalendarListCalendars, { cursor: "tok" }).query).toStrictEqual({ minAccessRole: "writer", maxResults: "250", pageToken: "tok" });
  });

  it("offers each calendar by the name the user sees, marking the primary one", () => {
    const page = answer(200, {
      kind: "calendar#calendarList",
      items: [
        { id: "ada@example.com", summary: "ada@example.com", summaryOverride: "Me", primary: true },
        { id: "team@group.calendar.google.com", summary: "Team" },
        { id: "x@group.calendar.google.com", summary: "" },
      ],
      nextPageToken: "next",
    });
    expect(read(googleCalendarListCalendars, {}, page)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "ada@example.com", label: "Me", hint: "Primary calendar" },
          { value: "team@group.calendar.google.com", label: "Team" },
          { value: "x@group.calendar.google.com", label: "x@group.calendar.google.com" },
        ],
        nextCursor: "next",
      },
    });
    expect(read(googleCalendarListCalendars, {}, answer(200, { nextSyncToken: "s" }))).toEqual({ ok: true, output: { options: [] } });
    expect(read(googleCalendarListCalendars, {}, answer(200, { items: [], nextPageToken: "" }))).toEqual({ ok: true, output: { options: [] } });
  });
});

describe("the Google Calendar actions", () => {
  it("name only scopes the catalog knows for Google Calendar", () => {
    const calendar = getProvider("google-calendar");
    if (calendar?.authKind !== "oauth2") throw new Error("Google Calendar is an OAuth provider");
    const known = new Set([...calendar.defaultScopes, ...calendar.optionalScopes.map((scope) => scope.scope)]);
    for (const action of googleCalendarActions) {
      expect(action.providerId).toBe("google-calendar");
      expect(action.id.startsWith("google-calendar.")).toBe(true);
      for (const scope of scopeNames(action.scopes)) expect(known.has(scope)).toBe(true);
    }
    expect(googleCalendarCreateEvent.scopes).toEqual([["https://www.googleapis.com/auth/calendar.events", "https://www.googleapis.com/auth/calendar"]]);
    expect(googleCalendarListCalendars.scopes).toEqual([["https://www.googleapis.com/auth/calendar.readonly", "https://www.googleapis.com/auth/calendar"]]);
  });

  it("describe themselves to forms", () => {
    expect(googleCalendarActions.map((action) => actionSpec(action))).toMatchSnapshot();
  });
});
