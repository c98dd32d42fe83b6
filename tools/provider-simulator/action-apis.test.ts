/**
 * The refusals of the API modules the Jira, Asana, Google Calendar, Gmail and Microsoft
 * actions run against: what a careless client would get wrong, answered the provider's way.
 * (The actions' own requests are covered in convex/providerActions/.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSimulator } from "./server";
import { callApi, connect } from "./testing";

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ autoApprove: true });
});
afterAll(() => sim.close());
beforeEach(() => sim.control.reset());

const SITE = "/ex/jira/sim-jira-account/rest/api/3";
const raw = (message: string) => Buffer.from(message).toString("base64url");

describe("Jira", () => {
  it("refuses a plain-string description (v3 wants ADF), unknown fields, and a body that is not JSON", async () => {
    const { provider, accessToken } = await connect(sim.url, "jira");
    const plain = await callApi(provider, "POST", `${SITE}/issue`, accessToken, {
      body: { fields: { project: { key: "OPS" }, issuetype: { id: "10001" }, summary: "x", description: "text", labels: ["a"] } },
    });
    expect(plain.status).toBe(400);
    expect(await plain.json()).toEqual({
      errorMessages: [],
      errors: {
        description: "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
        labels: "Field 'labels' cannot be set. It is not on the appropriate screen, or unknown.",
      },
    });
    const emptyText = await callApi(provider, "POST", `${SITE}/issue`, accessToken, {
      body: {
        fields: {
          project: { key: "OPS" },
          issuetype: { id: "10001" },
          summary: "two\nlines",
          description: { type: "doc", version: 1, content: [{ type: "paragraph", content: [{ type: "text", text: "" }] }] },
        },
      },
    });
    expect((await emptyText.json()).errors).toEqual({
      summary: "The summary is invalid because it contains newline characters.",
      description: "Operation value must be an Atlassian Document (see the Atlassian Document Format)",
    });
    const form = await callApi(provider, "POST", `${SITE}/issue`, accessToken, { headers: { "content-type": "text/plain" } });
    expect(form.status).toBe(415);
  });

  it("answers 401 'scope does not match' without the classic scope, and 404 for another site", async () => {
    const reader = await connect(sim.url, "jira", { scopes: ["read:jira-work", "offline_access"] });
    const write = await callApi(reader.provider, "POST", `${SITE}/issue`, reader.accessToken, { body: { fields: {} } });
    expect(write.status).toBe(401);
    expect(await write.json()).toEqual({ code: 401, message: "Unauthorized; scope does not match" });
    const other = await callApi(reader.provider, "GET", "/ex/jira/other-site/rest/api/3/project/search", reader.accessToken);
    expect(other.status).toBe(404);
    // Paths the actions do not use still echo.
    const myself = await callApi(reader.provider, "GET", `${SITE}/myself`, reader.accessToken);
    expect(await myself.json()).toMatchObject({ simulated: true, apiPath: `${SITE}/myself` });
  });
});

describe("Asana", () => {
  it("wants the task under data, refuses unknown fields and a limit over 100", async () => {
    const { provider, accessToken } = await connect(sim.url, "asana");
    const bare = await callApi(provider, "POST", "/tasks", accessToken, { body: { name: "x", workspace: "1200000000000001" } });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ errors: [{ message: "data: Missing input" }] });
    const camel = await callApi(provider, "POST", "/tasks", accessToken, { body: { data: { name: "x", workspace: "1200000000000001", dueOn: "2026-01-01" } } });
    expect(await camel.json()).toMatchObject({ errors: [{ message: "dueOn: Unknown field" }] });
    const nowhere = await callApi(provider, "POST", "/tasks", accessToken, { body: { data: { name: "x" } } });
    expect(await nowhere.json()).toMatchObject({ errors: [{ message: "You should specify one of workspace, parent, projects" }] });
    const limit = await callApi(provider, "GET", "/workspaces?limit=101", accessToken);
    expect(limit.status).toBe(400);
    const full = await callApi(provider, "POST", "/tasks", accessToken, { body: { data: { name: "x", workspace: "1200000000000001", due_on: "2026-02-30" } } });
    expect(await full.json()).toMatchObject({ errors: [{ message: "due_on: Must be a date string of the form YYYY-MM-DD." }] });
  });

  it("answers the whole task without opt_fields, and only the fields asked for with it", async () => {
    const { provider, accessToken } = await connect(sim.url, "asana");
    const whole = await (await callApi(provider, "POST", "/tasks", accessToken, { body: { data: { name: "x", workspace: "1200000000000001" } } })).json();
    expect(Object.keys(whole.data)).toEqual(expect.arrayContaining(["gid", "name", "workspace", "permalink_url", "completed"]));
    const some = await (await callApi(provider, "POST", "/tasks?opt_fields=permalink_url", accessToken, { body: { data: { name: "y", workspace: "1200000000000001" } } })).json();
    expect(Object.keys(some.data)).toEqual(["gid", "permalink_url"]);
  });
});

describe("Google Calendar", () => {
  it("needs a time zone for a date-time without offset, and a hangoutsMeet request with conferenceDataVersion=1", async () => {
    const { provider, accessToken } = await connect(sim.url, "google-calendar");
    const noZone = await callApi(provider, "POST", "/calendar/v3/calendars/primary/events", accessToken, {
      body: { start: { dateTime: "2026-03-01T09:00:00" }, end: { dateTime: "2026-03-01T10:00:00" } },
    });
    expect(noZone.status).toBe(400);
    expect(await noZone.json()).toMatchObject({ error: { code: 400, message: "Missing time zone definition for start time.", errors: [{ reason: "required" }] } });
    const conference = { createRequest: { requestId: "r1", conferenceSolutionKey: { type: "hangoutsMeet" } } };
    const event = { start: { dateTime: "2026-03-01T09:00:00Z" }, end: { dateTime: "2026-03-01T10:00:00Z" }, conferenceData: conference };
    const ignored = await (await callApi(provider, "POST", "/calendar/v3/calendars/primary/events", accessToken, { body: event })).json();
    expect(ignored.hangoutLink).toBeUndefined();
    const created = await (await callApi(provider, "POST", "/calendar/v3/calendars/primary/events?conferenceDataVersion=1", accessToken, { body: event })).json();
    expect(created.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    const bad = await callApi(provider, "POST", "/calendar/v3/calendars/primary/events?sendUpdates=everyone", accessToken, { body: event });
    expect(bad.status).toBe(400);
  });

  it("refuses a token without a calendar scope", async () => {
    const { provider, accessToken } = await connect(sim.url, "google-calendar", { scopes: ["https://www.googleapis.com/auth/calendar.settings.readonly"] });
    const list = await callApi(provider, "GET", "/calendar/v3/users/me/calendarList", accessToken);
    expect(list.status).toBe(403);
    expect(await list.json()).toMatchObject({ error: { status: "PERMISSION_DENIED", errors: [{ reason: "insufficientPermissions" }] } });
  });
});

describe("Gmail", () => {
  const send = async (body: unknown) => {
    const { provider, accessToken } = await connect(sim.url, "gmail");
    const response = await callApi(provider, "POST", "/gmail/v1/users/me/messages/send", accessToken, { body });
    return { status: response.status, body: await response.json() };
  };

  it("wants raw, and reads it as a mail server would", async () => {
    expect(await send({})).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/'raw' RFC822 payload/) } } });
    expect(await send({ raw: "not base64!" })).toMatchObject({ status: 400 });
    expect(await send({ raw: raw("Subject: hi\r\n\r\nbody") })).toMatchObject({ status: 400, body: { error: { message: "Recipient address required" } } });
    expect(await send({ raw: raw("Cc: a@example.com\r\n\r\nbody") })).toMatchObject({ status: 400, body: { error: { message: "Invalid To header" } } });
    expect(await send({ raw: raw("To: Ada <ada@example.com>, nobody\r\n\r\nbody") })).toMatchObject({ body: { error: { message: "Invalid To header" } } });
    expect(await send({ raw: raw("To: ada@example.com\r\nSubject: Café\r\n\r\nbody") })).toMatchObject({ body: { error: { message: "Invalid Subject header" } } });
    expect(await send({ raw: raw("To: ada@example.com\rBcc: evil@example.com\r\n\r\nbody") })).toMatchObject({ status: 400 });
    expect(await send({ raw: raw(" folded: first\r\nTo: ada@example.com\r\n\r\nx") })).toMatchObject({ status: 400 });
    expect(await send({ raw: raw("To: ada@example.com\r\nContent-Type: multipart/alternative\r\n\r\nx") })).toMatchObject({
      body: { error: { message: "Invalid Content-Type header" } },
    });
  });

  it("accepts a plain message, LF line ends too, and keeps it decoded", async () => {
    expect(await send({ raw: raw("To: Ada <ada@example.com>\nSubject: =?UTF-8?Q?Caf=C3=A9?=\n\nHello") })).toMatchObject({ status: 200, body: { labelIds: ["SENT"] } });
    const world = sim.control.world("gmail") as { sent: Array<{ to: string[]; subject: string; text: string }> };
    expect(world.sent[0]).toMatchObject({ to: ["ada@example.com"], subject: "Café", text: "Hello" });
  });
});

describe("Microsoft Graph", () => {
  it("refuses properties a message does not have and recipients that are not addresses", async () => {
    const { provider, accessToken } = await connect(sim.url, "microsoft", { scopes: ["offline_access", "User.Read", "Mail.Send"] });
    const extra = await callApi(provider, "POST", "/v1.0/me/sendMail", accessToken, { body: { message: { subject: "x", to: "ada@example.com" } } });
    expect(extra.status).toBe(400);
    expect(await extra.json()).toMatchObject({ error: { code: "RequestBodyRead", message: expect.stringMatching(/The property 'to' does not exist/) } });
    const bad = await callApi(provider, "POST", "/v1.0/me/sendMail", accessToken, {
      body: { message: { subject: "x", body: { contentType: "Text", content: "y" }, toRecipients: [{ emailAddress: { address: "nobody" } }] } },
    });
    expect(await bad.json()).toMatchObject({ error: { code: "ErrorInvalidRecipients" } });
    const none = await callApi(provider, "POST", "/v1.0/me/sendMail", accessToken, { body: { message: { subject: "x", body: { contentType: "Text", content: "y" } } } });
    expect(await none.json()).toMatchObject({ error: { code: "ErrorInvalidRecipients" } });
    const events = await callApi(provider, "POST", "/v1.0/me/events", accessToken, { body: { subject: "x" } });
    expect(events.status).toBe(403);
    expect(await events.json()).toMatchObject({ error: { code: "ErrorAccessDenied" } });
  });
});
