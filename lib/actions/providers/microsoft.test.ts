import { describe, expect, it } from "vitest";
import type { ActionAnswer, ActionContext, AnyAction } from "../define";
import { actionSpec } from "../spec";
import { parseInput, readAnswer } from "../prepare";
import { scopeNames } from "../scopes";
import { getProvider } from "../../providers";
import { cursorOfNextLink, graphFailure, microsoftActions, microsoftCreateEvent, microsoftListCalendars, microsoftSendMail } from "./microsoft";

const context: ActionContext = { config: {}, scopes: [], correlationId: "run_1" };

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
  return readAnswer(action, parsed.input, given, "Microsoft 365");
}

const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  answer(status, { error: { code, message, innerError: { date: "2026-03-01T09:00:00", "request-id": "r1", "client-request-id": "c1" } } }, headers);

const MAIL = { to: ["ada@example.com"], subject: "Hello", body: "Hi Ada" };
const EVENT = { subject: "Review", start: "2026-03-01T09:30:00", end: "2026-03-01T10:30:00", timeZone: "Europe/Paris" };

describe("microsoft.send_mail", () => {
  it("posts the message with every recipient list and keeps it in Sent Items by default", () => {
    expect(
      requestOf(microsoftSendMail, { to: [" ada@example.com ", "bob@example.org"], cc: ["c@example.com"], bcc: ["b@example.com"], subject: "Hello", body: "<b>Hi</b>", bodyType: "html" }),
    ).toStrictEqual({
      method: "POST",
      path: "/v1.0/me/sendMail",
      headers: { Accept: "application/json" },
      body: {
        json: {
          message: {
            subject: "Hello",
            body: { contentType: "HTML", content: "<b>Hi</b>" },
            toRecipients: [{ emailAddress: { address: "ada@example.com" } }, { emailAddress: { address: "bob@example.org" } }],
            ccRecipients: [{ emailAddress: { address: "c@example.com" } }],
            bccRecipients: [{ emailAddress: { address: "b@example.com" } }],
          },
          saveToSentItems: true,
        },
      },
    });
    expect((requestOf(microsoftSendMail, MAIL).body as { json: unknown }).json).toStrictEqual({
      message: { subject: "Hello", body: { contentType: "Text", content: "Hi Ada" }, toRecipients: [{ emailAddress: { address: "ada@example.com" } }] },
      saveToSentItems: true,
    });
    expect((requestOf(microsoftSendMail, { ...MAIL, cc: [], bcc: [], saveToSentItems: false }).body as { json: unknown }).json).toStrictEqual({
      message: { subject: "Hello", body: { contentType: "Text", content: "Hi Ada" }, toRecipients: [{ emailAddress: { address: "ada@example.com" } }] },
      saveToSentItems: false,
    });
  });

  it("refuses what Outlook would refuse", () => {
    expect(fieldsOf(microsoftSendMail, { to: [], subject: "a\nb", body: "", bodyType: "rtf" })).toEqual({
      to: "Add at least one recipient.",
      subject: "A subject is one line.",
      body: "Write the message.",
      bodyType: expect.any(String),
    });
    expect(fieldsOf(microsoftSendMail, { ...MAIL, to: ["nope"], cc: ["x@"], bcc: ["@y.z"] })).toEqual({
      "to.0": "An email address like ada@example.com.",
      "cc.0": "An email address like ada@example.com.",
      "bcc.0": "An email address like ada@example.com.",
    });
    const many = Array.from({ length: 501 }, (_, i) => `p${i}@example.com`);
    expect(fieldsOf(microsoftSendMail, { to: many, subject: "s".repeat(256), body: "b".repeat(1_000_001) })).toEqual({
      to: "At most 500 recipients.",
      subject: "Outlook takes a subject of at most 255 characters.",
      body: "Keep the message under 1,000,000 characters.",
    });
    expect(fieldsOf(microsoftSendMail, { to: many.slice(1), subject: "s".repeat(255), body: "b".repeat(1_000_000) })).toBeNull();
    expect(fieldsOf(microsoftSendMail, { ...MAIL, subject: "x\ry" })).toEqual({ subject: "A subject is one line." });
  });

  it("answers sent on 202 with no body, and Graph's errors as typed errors", () => {
    expect(read(microsoftSendMail, MAIL, answer(202))).toEqual({ ok: true, output: { sent: true } });
    expect(read(microsoftSendMail, MAIL, graphError(400, "ErrorInvalidRecipients", "At least one recipient is not valid."))).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Microsoft 365 refused the input: At least one recipient is not valid.",
        retryable: false,
        fields: { to: "At least one recipient is not valid." },
        providerCode: "ErrorInvalidRecipients",
        status: 400,
      },
    });
  });
});

describe("microsoft.create_event", () => {
  it("posts the event to the default calendar, with attendees and a Teams meeting", () => {
    expect(
      requestOf(microsoftCreateEvent, {
        ...EVENT,
        subject: " Review ",
        body: "Numbers.",
        location: " Room 4.2 ",
        timeZone: " W. Europe Standard Time ",
        attendees: ["ada@example.com"],
        isOnlineMeeting: true,
      }),
    ).toStrictEqual({
      method: "POST",
      path: "/v1.0/me/events",
      headers: { Accept: "application/json" },
      body: {
        json: {
          subject: "Review",
          body: { contentType: "Text", content: "Numbers." },
          location: { displayName: "Room 4.2" },
          start: { dateTime: "2026-03-01T09:30:00", timeZone: "W. Europe Standard Time" },
          end: { dateTime: "2026-03-01T10:30:00", timeZone: "W. Europe Standard Time" },
          attendees: [{ emailAddress: { address: "ada@example.com" }, type: "required" }],
          isOnlineMeeting: true,
          onlineMeetingProvider: "teamsForBusiness",
        },
      },
    });
  });

  it("goes to a named calendar, escaped, and sends only what was given", () => {
    expect((requestOf(microsoftCreateEvent, EVENT).body as { json: unknown }).json).toStrictEqual({
      subject: "Review",
      start: { dateTime: "2026-03-01T09:30:00", timeZone: "Europe/Paris" },
      end: { dateTime: "2026-03-01T10:30:00", timeZone: "Europe/Paris" },
    });
    expect(requestOf(microsoftCreateEvent, { ...EVENT, calendarId: " AAMk/Ag== ", body: "", location: "", attendees: [] })).toStrictEqual({
      method: "POST",
      path: "/v1.0/me/calendars/AAMk%2FAg%3D%3D/events",
      headers: { Accept: "application/json" },
      body: {
        json: {
          subject: "Review",
          start: { dateTime: "2026-03-01T09:30:00", timeZone: "Europe/Paris" },
          end: { dateTime: "2026-03-01T10:30:00", timeZone: "Europe/Paris" },
        },
      },
    });
  });

  it("refuses offsets, empty titles and missing time zones", () => {
    expect(fieldsOf(microsoftCreateEvent, { subject: " ", start: "2026-03-01T09:30:00Z", end: "2026-03-01 10:30", timeZone: " ", calendarId: " " })).toEqual({
      subject: "Give the event a title.",
      start: "A local date-time like 2026-03-01T09:30:00, without an offset.",
      end: "A local date-time like 2026-03-01T09:30:00, without an offset.",
      timeZone: "A time zone like Europe/Paris or W. Europe Standard Time.",
      calendarId: "A calendar id, or leave it out for the default calendar.",
    });
    expect(fieldsOf(microsoftCreateEvent, { ...EVENT, start: "2026-03-01T09:30", end: "2026-03-01T10:30:00.0000000" })).toBeNull();
    for (const bad of ["x2026-03-01T09:30:00", "2026-03-01T09:30:00x", "2026-03-01T09:30:00.12345678", "2026-03-01T09"]) {
      expect(fieldsOf(microsoftCreateEvent, { ...EVENT, start: bad })).toEqual({ start: "A local date-time like 2026-03-01T09:30:00, without an offset." });
    }
    expect(
      fieldsOf(microsoftCreateEvent, {
        ...EVENT,
        calendarId: "c".repeat(513),
        subject: "s".repeat(256),
        body: "b".repeat(100_001),
        location: "l".repeat(256),
        timeZone: "t".repeat(101),
        attendees: Array.from({ length: 501 }, (_, i) => `p${i}@example.com`),
      }),
    ).toEqual({
      calendarId: "A calendar id, or leave it out for the default calendar.",
      subject: "Outlook takes a title of at most 255 characters.",
      body: "Keep the description under 100,000 characters.",
      location: "Outlook takes a location of at most 255 characters.",
      timeZone: "A time zone like Europe/Paris or W. Europe Standard Time.",
      attendees: "At most 500 attendees.",
    });
    expect(
      fieldsOf(microsoftCreateEvent, {
        ...EVENT,
        calendarId: "c".repeat(512),
        subject: "s".repeat(255),
        body: "b".repeat(100_000),
        location: "l".repeat(255),
        timeZone: "t".repeat(100),
        attendees: ["nope"],
      }),
    ).toEqual({ "attendees.0": "An email address like ada@example.com." });
  });

  it("a 403 on a named calendar is that calendar's fault; on the default one, a missing permission", () => {
    const denied = graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    expect(read(microsoftCreateEvent, { ...EVENT, calendarId: "AAMkBirthdays=" }, denied)).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Microsoft 365 refused the input: Access is denied. Check credentials and try again.",
        retryable: false,
        fields: { calendarId: "Access is denied. Check credentials and try again." },
        providerCode: "ErrorAccessDenied",
        status: 403,
      },
    });
    expect(read(microsoftCreateEvent, EVENT, denied)).toMatchObject({ ok: false, error: { code: "missing_scope" } });
    expect(graphFailure(answer(403, { error: { code: "ErrorAccessDenied" } }), "calendarId")).toMatchObject({
      code: "invalid_input",
      fields: { calendarId: "ErrorAccessDenied" },
    });
    expect(graphFailure(graphError(403, "Forbidden", "No."), "calendarId")).toMatchObject({ code: "provider_error" });
    // Only a 403 says the access was denied.
    expect(graphFailure(graphError(500, "ErrorAccessDenied", "Odd."), "calendarId")).toMatchObject({ code: "provider_error", status: 500 });
    expect(graphFailure(graphError(500, "ErrorAccessDenied", "Odd."))).toMatchObject({ code: "provider_error", status: 500 });
    expect(graphFailure(graphError(500, "ErrorInternalServerError", "Version 1.2 failed.."))).toMatchObject({
      message: "Microsoft 365 answered HTTP 500: Version 1.2 failed.",
    });
  });

  it("answers the id, the Outlook link and the Teams join link when there is one", () => {
    const event = { id: "AAMkAD=", webLink: "https://outlook.office365.com/owa/?itemid=AAMkAD%3D&exvsurl=1&path=/calendar/item" };
    expect(read(microsoftCreateEvent, EVENT, answer(201, { ...event, onlineMeeting: { joinUrl: "https://teams.microsoft.com/l/meetup-join/x" } }))).toEqual({
      ok: true,
      output: { id: event.id, url: event.webLink, joinUrl: "https://teams.microsoft.com/l/meetup-join/x" },
    });
    expect(read(microsoftCreateEvent, EVENT, answer(201, { ...event, onlineMeeting: null }))).toStrictEqual({ ok: true, output: { id: event.id, url: event.webLink } });
    expect(read(microsoftCreateEvent, EVENT, answer(201, { ...event, onlineMeeting: {} }))).toStrictEqual({ ok: true, output: { id: event.id, url: event.webLink } });
    expect(read(microsoftCreateEvent, EVENT, answer(201, event))).toStrictEqual({ ok: true, output: { id: event.id, url: event.webLink } });
  });
});

describe("microsoft.list_calendars", () => {
  it("asks 100 calendars with the fields it shows, then the page Graph's nextLink names", () => {
    expect(requestOf(microsoftListCalendars, {})).toStrictEqual({
      method: "GET",
      path: "/v1.0/me/calendars",
      headers: { Accept: "application/json" },
      query: { $select: "id,name,canEdit,isDefaultCalendar", $top: "100" },
    });
    expect(requestOf(microsoftListCalendars, { cursor: "" }).query).toStrictEqual({ $select: "id,name,canEdit,isDefaultCalendar", $top: "100" });
    expect(requestOf(microsoftListCalendars, { cursor: "skip:100" }).query).toStrictEqual({ $select: "id,name,canEdit,isDefaultCalendar", $top: "100", $skip: "100" });
    expect(requestOf(microsoftListCalendars, { cursor: "token:X%2Fy" }).query).toStrictEqual({
      $select: "id,name,canEdit,isDefaultCalendar",
      $top: "100",
      $skiptoken: "X%2Fy",
    });
    for (const cursor of ["skip:", "skip:-1", "skip:1234567890", "token:", "100", "xskip:1", "skip:1x", "xtoken:a", "token:a\nb"]) {
      const parsed = parseInput(microsoftListCalendars, { cursor });
      if (!parsed.ok) throw new Error("schema refused");
      expect(() => microsoftListCalendars.request(parsed.input as never, context)).toThrow("That cursor did not come from this lookup.");
    }
  });

  it("reads the next page from @odata.nextLink", () => {
    expect(cursorOfNextLink("https://graph.microsoft.com/v1.0/me/calendars?$top=100&$skip=100")).toBe("skip:100");
    expect(cursorOfNextLink("https://graph.microsoft.com/v1.0/me/calendars?$skiptoken=a%2Bb&$skip=5")).toBe("token:a+b");
    expect(cursorOfNextLink("https://graph.microsoft.com/v1.0/me/calendars?$skip=abc")).toBeUndefined();
    expect(cursorOfNextLink("https://graph.microsoft.com/v1.0/me/calendars?$skip=1a")).toBeUndefined();
    expect(cursorOfNextLink("https://graph.microsoft.com/v1.0/me/calendars?$skip=a1")).toBeUndefined();
    expect(cursorOfNextLink("https://graph.microsoft.com/v1.0/me/calendars?$skip=")).toBeUndefined();
    expect(cursorOfNextLink("https://graph.microsoft.com/v1.0/me/calendars")).toBeUndefined();
    expect(cursorOfNextLink("not a url")).toBeUndefined();
    expect(cursorOfNextLink(undefined)).toBeUndefined();
    expect(cursorOfNextLink(42)).toBeUndefined();
  });

  it("offers the calendars events can be created in, marking the default", () => {
    const page = answer(200, {
      value: [
        { id: "AAMk1=", name: "Calendar", canEdit: true, isDefaultCalendar: true },
        { id: "AAMk2=", name: "Birthdays", canEdit: false, isDefaultCalendar: false },
        { id: "AAMk3=", name: "Team" },
      ],
      "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/calendars?$top=100&$skip=100",
    });
    expect(read(microsoftListCalendars, {}, page)).toEqual({
      ok: true,
      output: {
        options: [
          { value: "AAMk1=", label: "Calendar", hint: "Default calendar" },
          { value: "AAMk3=", label: "Team" },
        ],
        nextCursor: "skip:100",
      },
    });
    expect(read(microsoftListCalendars, {}, answer(200, { value: [] }))).toEqual({ ok: true, output: { options: [] } });
  });
});

describe("graphFailure", () => {
  it("is null for every 2xx", () => {
    for (const status of [200, 201, 202, 204, 299]) expect(graphFailure(answer(status))).toBeNull();
    expect(graphFailure(answer(300))).toMatchObject({ code: "provider_error", status: 300 });
    expect(graphFailure(answer(199))).toMatchObject({ code: "provider_error", status: 199 });
  });

  it("a 400 is invalid input, on the field its code is about", () => {
    for (const [code, field] of [
      ["ErrorInvalidRecipients", "to"],
      ["ErrorInvalidRecipientsFormat", "to"],
      ["TimeZoneNotSupportedException", "timeZone"],
      ["ErrorTimeZoneNotSupported", "timeZone"],
      ["ErrorItemNotFound", "calendarId"],
      ["ErrorInvalidIdMalformed", "calendarId"],
    ]) {
      expect(graphFailure(graphError(400, code!, "Nope."))).toEqual({
        code: "invalid_input",
        message: "Microsoft 365 refused the input: Nope.",
        retryable: false,
        fields: { [field!]: "Nope." },
        providerCode: code,
        status: 400,
      });
    }
    expect(graphFailure(graphError(400, "ErrorInvalidRequest", "Your request is invalid."))).toEqual({
      code: "invalid_input",
      message: "Microsoft 365 refused the input: Your request is invalid.",
      retryable: false,
      providerCode: "ErrorInvalidRequest",
      status: 400,
    });
    expect(graphFailure(answer(400))).toEqual({ code: "invalid_input", message: "Microsoft 365 refused the input: the request was refused.", retryable: false, status: 400 });
    expect(graphFailure(answer(400, { error: { code: 5, message: 6 } }))).toEqual({
      code: "invalid_input",
      message: "Microsoft 365 refused the input: the request was refused.",
      retryable: false,
      status: 400,
    });
  });

  it("a 404 on the calendar is the calendar field's; other 404s go by status", () => {
    expect(graphFailure(graphError(404, "ErrorItemNotFound", "The specified object was not found in the store."))).toMatchObject({
      code: "invalid_input",
      fields: { calendarId: "The specified object was not found in the store." },
      status: 404,
    });
    expect(graphFailure(graphError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise."))).toEqual({
      code: "provider_error",
      message: "Microsoft 365 answered HTTP 404: The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
      retryable: false,
      providerCode: "MailboxNotEnabledForRESTAPI",
      status: 404,
    });
    expect(graphFailure(graphError(500, "ErrorInvalidRecipients", "odd"))).toMatchObject({ code: "provider_error", retryable: true });
  });

  it("401 is a refused token, 403 ErrorAccessDenied a missing permission, 429 waits as told", () => {
    expect(graphFailure(graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."))).toEqual({
      code: "auth_revoked",
      message: "Microsoft 365 refused the stored credential; reconnect it.",
      retryable: false,
      providerCode: "InvalidAuthenticationToken",
      status: 401,
    });
    expect(graphFailure(graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."))).toEqual({
      code: "missing_scope",
      message: "Microsoft 365 refused access (Access is denied. Check credentials and try again.): reconnect it and grant the permission this needs.",
      retryable: false,
      providerCode: "ErrorAccessDenied",
      status: 403,
    });
    expect(graphFailure(answer(403, { error: { code: "ErrorAccessDenied" } }))).toMatchObject({
      message: "Microsoft 365 refused access (ErrorAccessDenied): reconnect it and grant the permission this needs.",
    });
    expect(graphFailure(graphError(403, "Authorization_RequestDenied", "Insufficient privileges."))).toMatchObject({ code: "provider_error", status: 403 });
    expect(graphFailure(graphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "retry-after": "9" }))).toEqual({
      code: "rate_limited",
      message: "Microsoft 365 is rate limiting these requests: Application is over its MailboxConcurrency limit.",
      retryable: true,
      retryAfterMs: 9000,
      providerCode: "ApplicationThrottled",
      status: 429,
    });
    expect(graphFailure(answer(503, "Service Unavailable"))).toEqual({ code: "provider_error", message: "Microsoft 365 answered HTTP 503.", retryable: true, status: 503 });
    expect(graphFailure(answer(504))).toMatchObject({ code: "timeout", retryable: true });
  });
});

describe("the Microsoft actions", () => {
  it("name only scopes the catalog knows for Microsoft 365", () => {
    const microsoft = getProvider("microsoft");
    if (microsoft?.authKind !== "oauth2") throw new Error("Microsoft is an OAuth provider");
    const known = new Set([...microsoft.defaultScopes, ...microsoft.optionalScopes.map((scope) => scope.scope)]);
    for (const action of microsoftActions) {
      expect(action.providerId).toBe("microsoft");
      expect(action.id.startsWith("microsoft.")).toBe(true);
      for (const scope of scopeNames(action.scopes)) expect(known.has(scope)).toBe(true);
    }
    expect(microsoftSendMail.scopes).toEqual(["Mail.Send"]);
    expect(microsoftCreateEvent.scopes).toEqual(["Calendars.ReadWrite"]);
    expect(microsoftListCalendars.scopes).toEqual(["Calendars.ReadWrite"]);
  });

  it("describe themselves to forms", () => {
    expect(microsoftActions.map((action) => actionSpec(action))).toMatchSnapshot();
  });
});
