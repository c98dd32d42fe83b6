/**
 * Zoom's Meetings API as the actions use it: `POST /users/me/meetings`
 * (developers.zoom.us/docs/api/meetings/#tag/meetings/POST/users/{userId}/meetings).
 * Errors are Zoom's `{ code, message }` (developers.zoom.us/docs/api/errors): 300
 * "Validation Failed." with `errors: [{ field, message }]` (400), 300 "Request Body should be
 * a valid JSON object.", 4711 for a token without the meeting scope (HTTP 400 (?)), 1001 for
 * an unknown user (404). Rate limits are played by `failNext` only.
 * The answer carries `start_url` and `password`, as Zoom's does, so tests prove the action
 * keeps them out of its output; the ZAK in it is a fake.
 */
import { json, type SimResponse } from "../http-utils";
import { worldOf, type ApiCall } from "./index";

type Meeting = { id: number; topic: string; start_time?: string; duration?: number; timezone?: string; agenda?: string };

const MEETING_TYPES = new Set([1, 2, 3, 8]);
/** GMT `…Z` or local time without a zone: Zoom's two forms. */
const START_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$/;
const TIME_ZONES = new Set([...Intl.supportedValuesOf("timeZone"), "UTC", "GMT"]);
const WRITE_SCOPES = ["meeting:write:meeting", "meeting:write:meeting:admin", "meeting:write", "meeting:write:admin"];

const zoomError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}) =>
  json(status, { code, message, ...extra });

/** Zoom's field checks for what the actions send; each failure is `Invalid field.`. */
function invalidFields(body: Record<string, unknown>): string[] {
  const bad: string[] = [];
  const isText = (value: unknown, max: number) => typeof value === "string" && value.length <= max;
  if (body.topic !== undefined && !isText(body.topic, 200)) bad.push("topic");
  if (body.type !== undefined && !MEETING_TYPES.has(body.type as number)) bad.push("type");
  if (body.start_time !== undefined && !(typeof body.start_time === "string" && START_TIME.test(body.start_time) && !Number.isNaN(Date.parse(body.start_time)))) {
    bad.push("start_time");
  }
  if (body.duration !== undefined && !(Number.isInteger(body.duration) && (body.duration as number) >= 0)) bad.push("duration");
  if (body.timezone !== undefined && !(typeof body.timezone === "string" && TIME_ZONES.has(body.timezone))) bad.push("timezone");
  if (body.agenda !== undefined && !isText(body.agenda, 2000)) bad.push("agenda");
  return bad;
}

function createMeeting(call: ApiCall): SimResponse {
  const { req } = call;
  if (!call.scopes.some((scope) => WRITE_SCOPES.includes(scope))) {
    return zoomError(400, 4711, "Invalid access token, does not contain scopes:[meeting:write:meeting, meeting:write:meeting:admin].");
  }
  if (req.bodyFormat !== "json" || typeof req.json !== "object" || req.json === null || Array.isArray(req.json)) {
    return zoomError(400, 300, "Request Body should be a valid JSON object.");
  }
  const body = req.json as Record<string, unknown>;
  const bad = invalidFields(body);
  if (bad.length > 0) {
    return zoomError(400, 300, "Validation Failed.", { errors: bad.map((field) => ({ field, message: "Invalid field." })) });
  }
  const meetings = worldOf<Meeting[]>(call.world, "meetings", () => []);
  const id = 85_746_065_000 + meetings.length + 1;
  const meeting: Meeting = {
    id,
    topic: typeof body.topic === "string" ? body.topic : "Zoom meeting",
    ...(typeof body.start_time === "string" ? { start_time: body.start_time } : {}),
    ...(typeof body.duration === "number" ? { duration: body.duration } : {}),
    ...(typeof body.timezone === "string" ? { timezone: body.timezone } : {}),
    ...(typeof body.agenda === "string" ? { agenda: body.agenda } : {}),
  };
  meetings.push(meeting);
  return json(201, {
    uuid: `sim-uuid-${id}==`,
    ...meeting,
    host_id: String(call.account.id),
    host_email: call.account.email,
    type: body.type ?? 2,
    status: "waiting",
    created_at: new Date(call.now).toISOString().replace(/\.\d{3}Z$/, "Z"),
    start_url: `https://zoom.us/s/${id}?zak=sim-fake-zak-${id}`,
    join_url: `https://zoom.us/j/${id}?pwd=simPwd${id % 1000}`,
    password: `sim${id % 1_000_000}`,
    pre_schedule: false,
  });
}

export function zoomApi(call: ApiCall): SimResponse | null {
  const { req, apiPath } = call;
  const userMeetings = /^\/users\/([^/]+)\/meetings$/.exec(apiPath);
  if (!userMeetings || req.method !== "POST") return null;
  const userId = decodeURIComponent(userMeetings[1]!);
  if (userId !== "me" && userId !== String(call.account.id) && userId !== call.account.email) {
    return zoomError(404, 1001, `User does not exist: ${userId}.`);
  }
  return createMeeting(call);
}
