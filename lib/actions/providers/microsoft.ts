/**
 * Microsoft Graph v1.0 actions for Outlook mail and calendar, below https://graph.microsoft.com
 * (paths start at `/v1.0`).
 *
 * - learn.microsoft.com/graph/api/user-sendmail: `POST /me/sendMail` `{ message: { subject,
 *   body: { contentType: "Text" | "HTML", content }, toRecipients, ccRecipients,
 *   bccRecipients: [{ emailAddress: { address } }] }, saveToSentItems }` → 202 Accepted with no
 *   body (the message is queued, not yet delivered). Permission Mail.Send.
 * - learn.microsoft.com/graph/api/user-post-events and /calendar-post-events: `POST
 *   /me/events` (or `/me/calendars/{id}/events`) with `subject`, `body`, `start`/`end` as
 *   `{ dateTime, timeZone }` (a local date-time without offset, and a Windows or IANA zone
 *   name: learn.microsoft.com/graph/api/resources/datetimetimezone), `location: {
 *   displayName }`, `attendees: [{ emailAddress: { address }, type: "required" }]`,
 *   `isOnlineMeeting` with `onlineMeetingProvider: "teamsForBusiness"` → 201 with the event,
 *   whose `webLink` opens it in Outlook on the web and `onlineMeeting.joinUrl` joins the
 *   meeting (learn.microsoft.com/graph/outlook-calendar-online-meetings). Permission
 *   Calendars.ReadWrite. A personal account's calendar has no Teams meetings: the event is
 *   then created without one (?).
 * - Errors (learn.microsoft.com/graph/errors): `{ error: { code, message, innerError: {
 *   date, request-id, client-request-id } } }`; 400 `ErrorInvalidRecipients`,
 *   `ErrorInvalidRequest`, `TimeZoneNotSupportedException` (?), 401
 *   `InvalidAuthenticationToken`, 403 `ErrorAccessDenied` (the token lacks the permission, or
 *   the user may not write the object named: a read-only calendar (?)),
 *   404 `ErrorItemNotFound`, 429 with Retry-After (learn.microsoft.com/graph/throttling),
 *   503/504 to retry.
 * - learn.microsoft.com/graph/api/user-list-calendars: `GET /me/calendars` with `$select`,
 *   `$top`; a further page is announced by `@odata.nextLink`, a URL whose `$skip` or
 *   `$skiptoken` the next request repeats (learn.microsoft.com/graph/paging); `canEdit` says
 *   whether events can be created in it. Permission Calendars.Read or Calendars.ReadWrite (the
 *   catalog has the second).
 */
import { z } from "zod";
import { defineAction, pathSegment, type ActionAnswer, type ActionMapping } from "../define";
import { failureOfStatus, providerValidationFailure, type ActionFailure } from "../errors";
import { fromLookup, lookupCursor, lookupPage } from "../lookup";

const GRAPH = "Microsoft 365";

/** Graph error codes whose fault is an input field, by action input name. */
const FIELD_CODES: Record<string, string> = {
  ErrorInvalidRecipients: "to",
  ErrorInvalidRecipientsFormat: "to",
  TimeZoneNotSupportedException: "timeZone",
  ErrorTimeZoneNotSupported: "timeZone",
  ErrorItemNotFound: "calendarId",
  ErrorInvalidIdMalformed: "calendarId",
};

/**
 * A Graph answer's failure, or null for a 2xx. `deniedField` names the input a 403
 * `ErrorAccessDenied` is about when the request named an object (a calendar the user cannot
 * write); without it the token is taken to lack the permission.
 */
export function graphFailure(answer: ActionAnswer, deniedField?: string): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = answer.json as { error?: { code?: unknown; message?: unknown } } | undefined;
  const code = typeof body?.error?.code === "string" ? body.error.code : "";
  const message = typeof body?.error?.message === "string" ? body.error.message : "";
  const providerCode = code ? { providerCode: code } : {};
  const field = FIELD_CODES[code];
  if (status === 400 || (field !== undefined && status === 404)) {
    const why = message || "the request was refused.";
    return providerValidationFailure(GRAPH, why, field !== undefined ? { [field]: why } : undefined, { ...providerCode, status });
  }
  if (status === 403 && code === "ErrorAccessDenied" && deniedField !== undefined) {
    return providerValidationFailure(GRAPH, message || code, { [deniedField]: message || code }, { ...providerCode, status });
  }
  if (status === 403 && code === "ErrorAccessDenied") {
    return {
      code: "missing_scope",
      message: `Microsoft 365 refused access (${message || code}): reconnect it and grant the permission this needs.`,
      retryable: false,
      ...providerCode,
      status,
    };
  }
  return { ...failureOfStatus(answer, GRAPH, message.replace(/\.+$/, "") || undefined), ...providerCode };
}

function graphJson<T>(answer: ActionAnswer, read: (body: never) => T, deniedField?: string): ActionMapping<T> {
  const failure = graphFailure(answer, deniedField);
  return failure ? { ok: false, error: failure } : { ok: true, output: read(answer.json as never) };
}

const email = z.string().trim().pipe(z.email("An email address like ada@example.com."));
const recipients = (title: string) => z.array(email).max(500, "At most 500 recipients.").meta({ title, examples: [["ada@example.com"]] });
const asRecipients = (addresses: readonly string[]) => addresses.map((address) => ({ emailAddress: { address } }));

export const microsoftSendMail = defineAction({
  id: "microsoft.send_mail",
  version: 1,
  providerId: "microsoft",
  title: "Send an email",
  description: "Sends an email from the connected Outlook mailbox and keeps it in Sent Items.",
  effect: "write",
  scopes: ["Mail.Send"],
  input: z.object({
    to: recipients("To").min(1, "Add at least one recipient."),
    cc: recipients("Cc").optional(),
    bcc: recipients("Bcc").optional(),
    subject: z
      .string()
      .max(255, "Outlook takes a subject of at most 255 characters.")
      .refine((subject) => !/[\r\n]/.test(subject), "A subject is one line.")
      .meta({ title: "Subject", examples: ["Your invoice for March"] }),
    body: z.string().min(1, "Write the message.").max(1_000_000, "Keep the message under 1,000,000 characters.").meta({ title: "Message" }),
    bodyType: z.enum(["text", "html"]).default("text").meta({ title: "Message format", description: "Plain text, or HTML." }),
    saveToSentItems: z.boolean().default(true).meta({ title: "Keep a copy in Sent Items" }),
  }),
  output: z.object({ sent: z.literal(true).describe("Outlook accepted the message for delivery.") }),
  request: (input) => ({
    method: "POST",
    path: "/v1.0/me/sendMail",
    headers: { Accept: "application/json" },
    body: {
      json: {
        message: {
          subject: input.subject,
          body: { contentType: input.bodyType === "html" ? "HTML" : "Text", content: input.body },
          toRecipients: asRecipients(input.to),
          ...(input.cc?.length ? { ccRecipients: asRecipients(input.cc) } : {}),
          ...(input.bcc?.length ? { bccRecipients: asRecipients(input.bcc) } : {}),
        },
        saveToSentItems: input.saveToSentItems,
      },
    },
  }),
  response: (answer) => graphJson(answer, () => ({ sent: true as const })),
});

/** Graph's local date-time: no offset, the time zone comes apart. */
const localDateTime = (title: string, example: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?$/, "A local date-time like 2026-03-01T09:30:00, without an offset.")
    .meta({ title, description: "In the time zone below.", examples: [example] });

export const microsoftCreateEvent = defineAction({
  id: "microsoft.create_event",
  version: 1,
  providerId: "microsoft",
  title: "Create a calendar event",
  description: "Creates an event in an Outlook calendar, optionally inviting people and adding a Teams meeting.",
  effect: "write",
  scopes: ["Calendars.ReadWrite"],
  input: z.object({
    calendarId: z
      .string()
      .trim()
      .min(1, "A calendar id, or leave it out for the default calendar.")
      .max(512, "A calendar id, or leave it out for the default calendar.")
      .optional()
      .meta({ title: "Calendar", description: "Empty for the user's default calendar.", ...fromLookup("microsoft.list_calendars") }),
    subject: z.string().trim().min(1, "Give the event a title.").max(255, "Outlook takes a title of at most 255 characters.").meta({ title: "Title", examples: ["Quarterly review"] }),
    body: z.string().max(100_000, "Keep the description under 100,000 characters.").optional().meta({ title: "Description", description: "Plain text." }),
    location: z.string().trim().max(255, "Outlook takes a location of at most 255 characters.").optional().meta({ title: "Location", examples: ["Room 4.2"] }),
    start: localDateTime("Starts", "2026-03-01T09:30:00"),
    end: localDateTime("Ends", "2026-03-01T10:30:00"),
    timeZone: z
      .string()
      .trim()
      .min(1, "A time zone like Europe/Paris or W. Europe Standard Time.")
      .max(100, "A time zone like Europe/Paris or W. Europe Standard Time.")
      .meta({ title: "Time zone", description: "IANA or Windows name.", examples: ["Europe/Paris", "Pacific Standard Time"] }),
    attendees: z.array(email).max(500, "At most 500 attendees.").optional().meta({ title: "Attendees", description: "Email addresses to invite." }),
    isOnlineMeeting: z.boolean().default(false).meta({ title: "Add a Teams meeting" }),
  }),
  output: z.object({
    id: z.string().describe("The event's id."),
    url: z.string().describe("The event in Outlook on the web."),
    joinUrl: z.string().optional().describe("The Teams meeting's join link, when one was added."),
  }),
  request: (input) => ({
    method: "POST",
    path: input.calendarId === undefined ? "/v1.0/me/events" : `/v1.0/me/calendars/${pathSegment(input.calendarId)}/events`,
    headers: { Accept: "application/json" },
    body: {
      json: {
        subject: input.subject,
        ...(input.body ? { body: { contentType: "Text", content: input.body } } : {}),
        ...(input.location ? { location: { displayName: input.location } } : {}),
        start: { dateTime: input.start, timeZone: input.timeZone },
        end: { dateTime: input.end, timeZone: input.timeZone },
        ...(input.attendees?.length ? { attendees: input.attendees.map((address) => ({ emailAddress: { address }, type: "required" })) } : {}),
        ...(input.isOnlineMeeting ? { isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" } : {}),
      },
    },
  }),
  response: (answer, input) =>
    graphJson(
      answer,
      (event: { id: string; webLink: string; onlineMeeting?: { joinUrl?: string } | null }) => {
        const joinUrl = event.onlineMeeting?.joinUrl;
        return { id: event.id, url: event.webLink, ...(joinUrl ? { joinUrl } : {}) };
      },
      input.calendarId !== undefined ? "calendarId" : undefined,
    ),
});

/** A lookup cursor is the next page's `$skip` (`skip:100`) or `$skiptoken` (`token:…`), as Graph's nextLink said. */
function pageQuery(cursor: string | undefined): Record<string, string> {
  if (cursor === undefined || cursor === "") return {};
  const skip = /^skip:(\d{1,9})$/.exec(cursor);
  if (skip) return { $skip: skip[1]! };
  const token = /^token:(.+)$/.exec(cursor);
  if (token) return { $skiptoken: token[1]! };
  throw new Error("That cursor did not come from this lookup.");
}

/** The cursor for Graph's `@odata.nextLink`, or undefined on the last page. */
export function cursorOfNextLink(nextLink: unknown): string | undefined {
  if (typeof nextLink !== "string" || !URL.canParse(nextLink)) return undefined;
  const params = new URL(nextLink).searchParams;
  const token = params.get("$skiptoken");
  if (token) return `token:${token}`;
  const skip = params.get("$skip");
  return skip && /^\d{1,9}$/.test(skip) ? `skip:${skip}` : undefined;
}

export const microsoftListCalendars = defineAction({
  id: "microsoft.list_calendars",
  version: 1,
  providerId: "microsoft",
  kind: "lookup",
  title: "List calendars",
  description: "The user's Outlook calendars that events can be created in.",
  effect: "read",
  scopes: ["Calendars.ReadWrite"],
  input: z.object({ cursor: lookupCursor }),
  output: lookupPage,
  request: (input) => ({
    method: "GET",
    path: "/v1.0/me/calendars",
    headers: { Accept: "application/json" },
    query: { $select: "id,name,canEdit,isDefaultCalendar", $top: "100", ...pageQuery(input.cursor) },
  }),
  response: (answer) =>
    graphJson(answer, (body: { value: Array<{ id: string; name: string; canEdit?: boolean; isDefaultCalendar?: boolean }>; "@odata.nextLink"?: string }) => ({
      options: body.value
        .filter((calendar) => calendar.canEdit !== false)
        .map((calendar) => ({ value: calendar.id, label: calendar.name, ...(calendar.isDefaultCalendar ? { hint: "Default calendar" } : {}) })),
      nextCursor: cursorOfNextLink(body["@odata.nextLink"]),
    })),
});

export const microsoftActions = [microsoftSendMail, microsoftCreateEvent, microsoftListCalendars];
