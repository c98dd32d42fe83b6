/**
 * Zoom Meetings API actions (base https://api.zoom.us/v2).
 * Create a meeting: `POST /users/{userId}/meetings`, `me` for the token's own user, answers
 * 201 with the meeting (`id`, `join_url`, `start_url`, `password`…)
 * (developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings;
 * developers.zoom.us/docs/isv/workflows/create-meeting/, granular scope
 * `meeting:write:meeting`; classic apps were granted `meeting:write` (?)). `start_time` is
 * `yyyy-MM-ddTHH:mm:ssZ` in GMT, or `yyyy-MM-ddTHH:mm:ss` local to `timezone` (the
 * account's own when absent); `topic` takes 200 characters, `agenda` 2,000.
 * `start_url` holds the host's ZAK (it starts the meeting as the host, for 2 hours, 90
 * days for API users: devforum.zoom.us/t/meeting-api-start-url-expiration/99578), and
 * `password` the passcode: neither is an output.
 * Errors (developers.zoom.us/docs/api/errors): an HTTP status and `{ code, message }`, with
 * `errors: [{ field, message }]` for code 300 "Validation Failed."; 124 is an invalid
 * token (401); 4711 "Invalid access token, does not contain scopes:[…]" (HTTP 400 (?));
 * 429 for rate limits, `Retry-After` a date for the daily ones
 * (devforum.zoom.us/t/zoom-api-create-meeting-api-rate-limit-sample-error-when-breaching-limit/18928).
 * An offset other than Z is not a documented `start_time` form (?): it is sent as UTC.
 */
import { z } from "zod";
import { defineAction, type ActionAnswer } from "../define";
import { failureOfStatus, providerValidationFailure, type ActionFailure } from "../errors";

const ZOOM = "Zoom";

/** The scope that creates meetings: the granular one, or the classic one older apps hold. */
export const ZOOM_MEETING_WRITE = ["meeting:write:meeting", "meeting:write"] as const;

/** Zoom's field names in a validation error that the action's input names otherwise (the rest are the same). */
const INPUT_FIELDS = new Map([["start_time", "startTime"]]);

type ZoomError = { code?: unknown; message?: unknown; errors?: unknown };

/** The per-field messages of a code 300 answer, keyed by input name (Zoom's own name when unknown). */
function fieldsOf(errors: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!Array.isArray(errors)) return fields;
  for (const item of errors as Array<{ field?: unknown; message?: unknown }>) {
    if (typeof item?.field !== "string") continue;
    const name = INPUT_FIELDS.get(item.field) ?? item.field;
    // Own keys only: a field Zoom calls "constructor" is not Object.prototype's.
    if (!Object.hasOwn(fields, name)) fields[name] = typeof item.message === "string" ? item.message : "Invalid field.";
  }
  return fields;
}

/** A Zoom answer's failure, or null when it succeeded (2xx). */
export function zoomFailure(answer: ActionAnswer): ActionFailure | null {
  const { status } = answer;
  if (status >= 200 && status < 300) return null;
  const body = (answer.json ?? {}) as ZoomError;
  const code = typeof body.code === "number" ? body.code : undefined;
  const message = typeof body.message === "string" ? body.message : undefined;
  const providerCode = code === undefined ? {} : { providerCode: String(code) };
  if (code === 4711) {
    return {
      code: "missing_scope",
      message: `Zoom needs the scope ${ZOOM_MEETING_WRITE[0]}: reconnect Zoom and grant it.`,
      retryable: false,
      providerCode: "4711",
      status,
    };
  }
  if (code === 300) {
    return providerValidationFailure(ZOOM, message ?? "Validation Failed.", fieldsOf(body.errors), { providerCode: "300", status });
  }
  // 401 (code 124 "Invalid access token") is auth_revoked, 429 rate_limited, by status.
  return { ...failureOfStatus(answer, ZOOM, message?.replace(/[.\s]+$/, "")), ...providerCode };
}

/** `2026-03-01T09:30:00` (local to the time zone), `…Z`, or with an offset; seconds optional. */
const START_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

/** Whether the date part names a real day (Date.parse rolls 2026-02-30 over to March). */
function isRealDay(value: string): boolean {
  const day = value.slice(0, 10);
  const midnight = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(midnight.getTime()) && midnight.toISOString().startsWith(day);
}

/** Zoom's two `start_time` forms: GMT with `Z` (an offset is converted), or local without a zone. */
function zoomStartTime(value: string): string {
  // The value passed START_TIME already; group 3 is its zone.
  const zone = START_TIME.exec(value)![3];
  if (zone) return `${new Date(value).toISOString().slice(0, 19)}Z`;
  return value.length === 16 ? `${value}:00` : value;
}

const meetingInput = z.object({
  topic: z
    .string()
    .trim()
    .min(1, "Give the meeting a topic.")
    .max(200, "Zoom takes at most 200 characters.")
    .meta({ title: "Topic", description: "The meeting's name, shown to everyone invited.", examples: ["Weekly sync"] }),
  startTime: z
    .string()
    .trim()
    .regex(START_TIME, "A date and time like 2026-03-01T09:30:00 (in the time zone below) or 2026-03-01T08:30:00Z.")
    .refine(isRealDay, "This day does not exist.")
    .meta({
      title: "Start time",
      description: "ISO 8601. Without Z or an offset, it is read in the time zone below (or the Zoom account's).",
      examples: ["2026-03-01T09:30:00"],
    })
    .transform(zoomStartTime),
  duration: z
    .number()
    .int("Whole minutes.")
    .min(1, "At least one minute.")
    .max(1440, "At most 24 hours (1,440 minutes).")
    .meta({ title: "Duration (minutes)", examples: [30] }),
  timezone: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/, "A time zone ID like Europe/Paris or UTC.")
    .optional()
    .meta({ title: "Time zone", description: "An IANA time zone ID; the Zoom account's when empty.", examples: ["Europe/Paris"] }),
  agenda: z
    .string()
    .max(2000, "Zoom takes at most 2,000 characters.")
    .optional()
    .meta({ title: "Agenda", description: "Shown in the invitation." }),
});

export const zoomCreateMeeting = defineAction({
  id: "zoom.create_meeting",
  version: 1,
  providerId: "zoom",
  title: "Schedule a meeting",
  description: "Schedules a Zoom meeting for the connected user and gives its join link (never the host's start link).",
  effect: "write",
  scopes: [ZOOM_MEETING_WRITE],
  input: meetingInput,
  output: z.object({
    id: z.number().int().describe("The meeting ID (the number people type to join)."),
    joinUrl: z.url().describe("The link participants join with."),
  }),
  request: (input) => ({
    method: "POST",
    path: "/users/me/meetings",
    body: {
      json: {
        topic: input.topic,
        // 2: a scheduled meeting.
        type: 2,
        start_time: input.startTime,
        duration: input.duration,
        ...(input.timezone ? { timezone: input.timezone } : {}),
        ...(input.agenda ? { agenda: input.agenda } : {}),
      },
    },
  }),
  response: (answer) => {
    const failure = zoomFailure(answer);
    if (failure) return { ok: false, error: failure };
    const body = answer.json as { id: number; join_url: string };
    return { ok: true, output: { id: body.id, joinUrl: body.join_url } };
  },
});

export const zoomActions = [zoomCreateMeeting];
