import { describe, expect, test } from "vitest";
import { actionSpec } from "../spec";
import type { ActionContext } from "../define";
import { actionAnswer, buildRequest, parseInput, readAnswer } from "../prepare";
import { zoomCreateMeeting, zoomFailure } from "./zoom";

const context: ActionContext = { config: {}, scopes: ["meeting:write:meeting"], correlationId: "run-1" };
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  actionAnswer(status, headers, typeof body === "string" ? body : JSON.stringify(body));

function requestFor(raw: unknown) {
  const parsed = parseInput(zoomCreateMeeting, raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const built = buildRequest(zoomCreateMeeting, parsed.input, context);
  if (!built.ok) throw new Error(built.error.message);
  return built.request;
}

function fieldErrors(raw: unknown) {
  const parsed = parseInput(zoomCreateMeeting, raw);
  return parsed.ok ? null : parsed.error.fields;
}

const base = { topic: "Weekly sync", startTime: "2026-03-01T09:30:00", duration: 30 };
// Parsed inside the tests: a schema that throws while the file loads would hide every test from mutation testing.
const parsedBase = () => zoomCreateMeeting.input.parse(base);

describe("zoom.create_meeting request", () => {
  test("a full input is one POST to /users/me/meetings with a scheduled meeting (type 2)", () => {
    expect(requestFor({ ...base, topic: "  Weekly sync  ", timezone: " Europe/Paris ", agenda: "Roadmap" })).toStrictEqual({
      method: "POST",
      path: "/users/me/meetings",
      body: {
        json: { topic: "Weekly sync", type: 2, start_time: "2026-03-01T09:30:00", duration: 30, timezone: "Europe/Paris", agenda: "Roadmap" },
      },
    });
  });

  test("without a time zone or an agenda, neither is sent", () => {
    expect(requestFor(base).body).toStrictEqual({ json: { topic: "Weekly sync", type: 2, start_time: "2026-03-01T09:30:00", duration: 30 } });
    expect(requestFor({ ...base, agenda: "" }).body).toStrictEqual({ json: { topic: "Weekly sync", type: 2, start_time: "2026-03-01T09:30:00", duration: 30 } });
  });

  test.each([
    ["2026-03-01T09:30", "2026-03-01T09:30:00"],
    ["2026-03-01T09:30:15", "2026-03-01T09:30:15"],
    ["2026-03-01T08:30:00Z", "2026-03-01T08:30:00Z"],
    ["2026-03-01T08:30Z", "2026-03-01T08:30:00Z"],
    ["2026-03-01T09:30:00+01:00", "2026-03-01T08:30:00Z"],
    ["2026-03-01T09:30-02:30", "2026-03-01T12:00:00Z"],
    [" 2026-12-31T23:59:59 ", "2026-12-31T23:59:59"],
  ])("start time %j is sent as %j", (startTime, sent) => {
    expect((requestFor({ ...base, startTime }).body as { json: { start_time: string } }).json.start_time).toBe(sent);
  });
});

describe("zoom.create_meeting input", () => {
  const timeMessage = "A date and time like 2026-03-01T09:30:00 (in the time zone below) or 2026-03-01T08:30:00Z.";
  test.each([
    [{ topic: "   " }, { topic: "Give the meeting a topic." }],
    [{ topic: "x".repeat(201) }, { topic: "Zoom takes at most 200 characters." }],
    [{ startTime: "2026-03-01 09:30" }, { startTime: timeMessage }],
    [{ startTime: "2026-03-01T24:00" }, { startTime: timeMessage }],
    [{ startTime: "2026-03-01T09:60" }, { startTime: timeMessage }],
    [{ startTime: "2026-03-01T09:30:60" }, { startTime: timeMessage }],
    [{ startTime: "2026-03-01T09:30+24:00" }, { startTime: timeMessage }],
    [{ startTime: "2026-03-01T09:30+01:60" }, { startTime: timeMessage }],
    [{ startTime: "x2026-03-01T09:30" }, { startTime: timeMessage }],
    [{ startTime: "2026-03-01T09:30:00Zx" }, { startTime: timeMessage }],
    [{ startTime: "2026-02-30T09:30:00" }, { startTime: "This day does not exist." }],
    [{ startTime: "2026-13-01T09:30:00" }, { startTime: "This day does not exist." }],
    [{ duration: 0 }, { duration: "At least one minute." }],
    [{ duration: 1.5 }, { duration: "Whole minutes." }],
    [{ duration: 1441 }, { duration: "At most 24 hours (1,440 minutes)." }],
    [{ timezone: "Not a zone!" }, { timezone: "A time zone ID like Europe/Paris or UTC." }],
    [{ timezone: "Europe/" }, { timezone: "A time zone ID like Europe/Paris or UTC." }],
    [{ timezone: "/Paris" }, { timezone: "A time zone ID like Europe/Paris or UTC." }],
    [{ timezone: "Europe/Paris x" }, { timezone: "A time zone ID like Europe/Paris or UTC." }],
    [{ agenda: "x".repeat(2001) }, { agenda: "Zoom takes at most 2,000 characters." }],
  ])("%j is refused with %j", (change, fields) => {
    expect(fieldErrors({ ...base, ...change })).toStrictEqual(fields);
  });

  test.each(["UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Europe/Paris"])("time zone %j is accepted", (timezone) => {
    expect(fieldErrors({ ...base, timezone })).toBeNull();
  });

  test("the limits themselves are accepted", () => {
    expect(fieldErrors({ ...base, topic: "x".repeat(200), duration: 1440, agenda: "x".repeat(2000) })).toBeNull();
    expect(fieldErrors({ ...base, duration: 1 })).toBeNull();
    expect(fieldErrors({ ...base, startTime: "2028-02-29T00:00" })).toBeNull();
  });
});

describe("zoom.create_meeting answer", () => {
  const created = {
    id: 85746065432,
    uuid: "aDYlohsHRtCd4ii1uC2+hA==",
    join_url: "https://zoom.us/j/85746065432?pwd=abc",
    start_url: "https://zoom.us/s/85746065432?zak=host-credential",
    password: "123456",
  };

  test("201 gives the meeting id and join link, never the start link or passcode", () => {
    const read = readAnswer(zoomCreateMeeting, {}, answer(201, created), "Zoom");
    expect(read).toStrictEqual({ ok: true, output: { id: 85746065432, joinUrl: "https://zoom.us/j/85746065432?pwd=abc" } });
  });

  test("an error answer is the decoder's failure", () => {
    expect(zoomCreateMeeting.response(answer(404, { code: 1001, message: "User does not exist: me." }), parsedBase())).toStrictEqual({
      ok: false,
      error: { code: "provider_error", message: "Zoom answered HTTP 404: User does not exist: me.", retryable: false, providerCode: "1001", status: 404 },
    });
  });
});

describe("zoomFailure", () => {
  test.each([200, 201, 299])("HTTP %i is a success", (status) => {
    expect(zoomFailure(answer(status, {}))).toBeNull();
  });

  test.each([199, 300])("HTTP %i is not", (status) => {
    expect(zoomFailure(answer(status, ""))).toMatchObject({ code: "provider_error", status });
  });

  test("4711 is the missing meeting scope, whatever the status", () => {
    const said = { code: 4711, message: "Invalid access token, does not contain scopes:[meeting:write:meeting]." };
    expect(zoomFailure(answer(400, said))).toStrictEqual({
      code: "missing_scope",
      message: "Zoom needs the scope meeting:write:meeting: reconnect Zoom and grant it.",
      retryable: false,
      providerCode: "4711",
      status: 400,
    });
  });

  test("code 300 is invalid input with Zoom's fields under the input's names", () => {
    const said = {
      code: 300,
      message: "Validation Failed.",
      errors: [
        { field: "start_time", message: "Invalid field." },
        { field: "start_time", message: "A second message." },
        { field: "topic" },
        { field: "duration", message: "Too long." },
        { field: "timezone", message: "Unknown." },
        { field: "agenda", message: "Too long." },
        { field: "settings.host_video", message: "Invalid field." },
        { field: "constructor", message: "Odd." },
        { field: 7, message: "ignored" },
        null,
      ],
    };
    expect(zoomFailure(answer(400, said))).toStrictEqual({
      code: "invalid_input",
      message: "Zoom refused the input: Validation Failed.",
      retryable: false,
      fields: {
        startTime: "Invalid field.",
        topic: "Invalid field.",
        duration: "Too long.",
        timezone: "Unknown.",
        agenda: "Too long.",
        "settings.host_video": "Invalid field.",
        constructor: "Odd.",
      },
      providerCode: "300",
      status: 400,
    });
  });

  test("code 300 without a message or field list still says what Zoom said", () => {
    expect(zoomFailure(answer(400, { code: 300, errors: "no" }))).toStrictEqual({
      code: "invalid_input",
      message: "Zoom refused the input: Validation Failed.",
      retryable: false,
      providerCode: "300",
      status: 400,
    });
    expect(zoomFailure(answer(400, { code: 300, message: "Request Body should be a valid JSON object." }))).toMatchObject({
      message: "Zoom refused the input: Request Body should be a valid JSON object.",
    });
  });

  test("401 (code 124) is a refused credential", () => {
    expect(zoomFailure(answer(401, { code: 124, message: "Invalid access token." }))).toStrictEqual({
      code: "auth_revoked",
      message: "Zoom refused the stored credential; reconnect it.",
      retryable: false,
      providerCode: "124",
      status: 401,
    });
  });

  test("Zoom's trailing full stop and spaces are not doubled in the sentence", () => {
    expect(zoomFailure(answer(404, { code: 1001, message: "User does not exist: me. " }))).toMatchObject({
      message: "Zoom answered HTTP 404: User does not exist: me.",
    });
    expect(zoomFailure(answer(404, { code: 1001, message: "Gone.." }))).toMatchObject({ message: "Zoom answered HTTP 404: Gone." });
  });

  test("429 is rate limited, with Retry-After and Zoom's message", () => {
    const said = { code: 429, message: "You have reached the maximum per-second rate limit for this API. Try again later." };
    expect(zoomFailure(answer(429, said, { "Retry-After": "2" }))).toStrictEqual({
      code: "rate_limited",
      message: "Zoom is rate limiting these requests: You have reached the maximum per-second rate limit for this API. Try again later.",
      retryable: true,
      retryAfterMs: 2000,
      providerCode: "429",
      status: 429,
    });
  });

  test("a 5xx without a JSON body is a retryable provider error without a code", () => {
    expect(zoomFailure(answer(503, "<html>busy</html>"))).toStrictEqual({
      code: "provider_error",
      message: "Zoom answered HTTP 503.",
      retryable: true,
      status: 503,
    });
    expect(zoomFailure(answer(500, "null"))).toStrictEqual({ code: "provider_error", message: "Zoom answered HTTP 500.", retryable: true, status: 500 });
  });

  test("a code or message that is not Zoom's type is ignored", () => {
    expect(zoomFailure(answer(400, { code: "300", message: 42 }))).toStrictEqual({
      code: "provider_error",
      message: "Zoom answered HTTP 400.",
      retryable: false,
      status: 400,
    });
  });
});

describe("zoom.create_meeting description", () => {

  test("form metadata, scopes and output", () => {
    expect(actionSpec(zoomCreateMeeting)).toMatchInlineSnapshot(`
      {
        "description": "Schedules a Zoom meeting for the connected user and gives its join link (never the host's start link).",
        "effect": "write",
        "id": "zoom.create_meeting",
        "inputSchema": {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "properties": {
            "agenda": {
              "description": "Shown in the invitation.",
              "maxLength": 2000,
              "title": "Agenda",
              "type": "string",
            },
            "duration": {
              "examples": [
                30,
              ],
              "maximum": 1440,
              "minimum": 1,
              "title": "Duration (minutes)",
              "type": "integer",
            },
            "startTime": {
              "description": "ISO 8601. Without Z or an offset, it is read in the time zone below (or the Zoom account's).",
              "examples": [
                "2026-03-01T09:30:00",
              ],
              "pattern": "^\\d{4}-\\d{2}-\\d{2}T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)?$",
              "title": "Start time",
              "type": "string",
            },
            "timezone": {
              "description": "An IANA time zone ID; the Zoom account's when empty.",
              "examples": [
                "Europe/Paris",
              ],
              "pattern": "^[A-Za-z][A-Za-z0-9_+-]*(\\/[A-Za-z0-9_+-]+)*$",
              "title": "Time zone",
              "type": "string",
            },
            "topic": {
              "description": "The meeting's name, shown to everyone invited.",
              "examples": [
                "Weekly sync",
              ],
              "maxLength": 200,
              "minLength": 1,
              "title": "Topic",
              "type": "string",
            },
          },
          "required": [
            "topic",
            "startTime",
            "duration",
          ],
          "type": "object",
        },
        "kind": "operation",
        "outputSchema": {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "additionalProperties": false,
          "properties": {
            "id": {
              "description": "The meeting ID (the number people type to join).",
              "maximum": 9007199254740991,
              "minimum": -9007199254740991,
              "type": "integer",
            },
            "joinUrl": {
              "description": "The link participants join with.",
              "format": "uri",
              "type": "string",
            },
          },
          "required": [
            "id",
            "joinUrl",
          ],
          "type": "object",
        },
        "providerId": "zoom",
        "scopes": [
          [
            "meeting:write:meeting",
            "meeting:write",
          ],
        ],
        "title": "Schedule a meeting",
        "version": 1,
      }
    `);
  });
});
