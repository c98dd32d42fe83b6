/** Microsoft 365's actions through the step contract, against the simulator's Microsoft Graph. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";
import type { GraphSentMail } from "../../tools/provider-simulator/apis/microsoft";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const GRANTS = { extraScopes: ["Mail.Send", "Calendars.ReadWrite"] };
const EVENT = { subject: "Quarterly review", start: "2026-03-01T09:30:00", end: "2026-03-01T10:30:00", timeZone: "W. Europe Standard Time" };

describe("microsoft actions", () => {
  test("send_mail posts the message and answers sent on Graph's 202", async () => {
    const w = await setup(simulatorUrl, "microsoft", GRANTS);
    const result = await w.runAction("microsoft.send_mail", {
      to: ["ada@example.com"],
      cc: ["bob@example.org"],
      subject: "Invoice",
      body: "<p>Attached.</p>",
      bodyType: "html",
    });
    expect(result).toEqual({ ok: true, output: { sent: true }, correlationId: expect.any(String) });
    const [sent] = await w.simulator.apiCalls({ providerId: "microsoft", apiPath: "/v1.0/me/sendMail" });
    expect(sent).toMatchObject({
      method: "POST",
      body: {
        message: {
          subject: "Invoice",
          body: { contentType: "HTML", content: "<p>Attached.</p>" },
          toRecipients: [{ emailAddress: { address: "ada@example.com" } }],
          ccRecipients: [{ emailAddress: { address: "bob@example.org" } }],
        },
        saveToSentItems: true,
      },
    });
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.headers.authorization).toBeUndefined();
    const world = (await w.simulator.world("microsoft")) as { graph: { sent: GraphSentMail[] } };
    expect(world.graph.sent).toEqual([
      { subject: "Invoice", contentType: "html", content: "<p>Attached.</p>", to: ["ada@example.com"], cc: ["bob@example.org"], bcc: [], saveToSentItems: true },
    ]);
  });

  test("create_event posts the event with a Teams meeting and answers id, url and joinUrl", async () => {
    const w = await setup(simulatorUrl, "microsoft", GRANTS);
    const result = await w.runAction("microsoft.create_event", { ...EVENT, body: "Numbers.", attendees: ["ada@example.com"], isOnlineMeeting: true });
    expect(result).toEqual({
      ok: true,
      output: {
        id: "AAMkADsim0001=",
        url: "https://outlook.office365.com/owa/?itemid=AAMkADsim0001%3D&exvsurl=1&path=/calendar/item",
        joinUrl: expect.stringMatching(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//),
      },
      correlationId: expect.any(String),
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "microsoft", apiPath: "/v1.0/me/events" });
    expect(sent!.body).toEqual({
      subject: "Quarterly review",
      body: { contentType: "Text", content: "Numbers." },
      start: { dateTime: "2026-03-01T09:30:00", timeZone: "W. Europe Standard Time" },
      end: { dateTime: "2026-03-01T10:30:00", timeZone: "W. Europe Standard Time" },
      attendees: [{ emailAddress: { address: "ada@example.com" }, type: "required" }],
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
    });
    const team = await w.runAction("microsoft.create_event", { ...EVENT, calendarId: "AAMkTeamCalendar=", timeZone: "Europe/Paris" });
    expect(team.ok && team.output).toEqual({ id: "AAMkADsim0002=", url: expect.any(String) });
    expect(await w.simulator.apiCalls({ providerId: "microsoft", apiPath: "/v1.0/me/calendars/AAMkTeamCalendar%3D/events" })).toHaveLength(1);
  });

  test("Graph's errors become typed errors on the field at fault", async () => {
    const w = await setup(simulatorUrl, "microsoft", GRANTS);
    const zone = await w.runAction("microsoft.create_event", { ...EVENT, timeZone: "Mars/Olympus" });
    expect(zone).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 400, providerCode: "TimeZoneNotSupportedException", fields: { timeZone: expect.stringMatching(/Mars\/Olympus/) } },
    });
    const calendar = await w.runAction("microsoft.create_event", { ...EVENT, calendarId: "AAMkNope=" });
    expect(calendar).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 404, providerCode: "ErrorItemNotFound", fields: { calendarId: "The specified object was not found in the store." } },
    });
    await w.simulator.failNext("microsoft", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    expect(await w.runAction("microsoft.send_mail", { to: ["ada@example.com"], subject: "s", body: "b" })).toMatchObject({
      ok: false,
      error: { code: "rate_limited", retryable: true, retryAfterMs: 30_000, status: 429 },
    });
  });

  test("list_calendars pages by Graph's nextLink and offers only calendars events can be created in", async () => {
    const w = await setup(simulatorUrl, "microsoft", GRANTS);
    const first = await w.runAction("microsoft.list_calendars", {});
    if (!first.ok) throw new Error(first.error.message);
    // 100 on the page, Birthdays (read-only) left out.
    expect(first.output.options).toHaveLength(99);
    expect(first.output.options.slice(0, 2)).toEqual([
      { value: "AAMkADefaultCalendar=", label: "Calendar", hint: "Default calendar" },
      { value: "AAMkTeamCalendar=", label: "Team" },
    ]);
    expect(first.output.nextCursor).toBe("skip:100");
    const second = await w.runAction("microsoft.list_calendars", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.options).toHaveLength(33);
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "microsoft", apiPath: "/v1.0/me/calendars" });
    expect(calls.map((c) => c.query)).toEqual([
      { $select: "id,name,canEdit,isDefaultCalendar", $top: "100" },
      { $select: "id,name,canEdit,isDefaultCalendar", $top: "100", $skip: "100" },
    ]);
    const readOnly = await w.runAction("microsoft.create_event", { ...EVENT, calendarId: "AAMkBirthdays=" });
    expect(readOnly).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 403, providerCode: "ErrorAccessDenied", fields: { calendarId: expect.stringMatching(/Access is denied/) } },
    });
  });

  test("without the permissions, nothing is sent", async () => {
    const w = await setup(simulatorUrl, "microsoft");
    expect(await w.runAction("microsoft.send_mail", { to: ["ada@example.com"], subject: "s", body: "b" })).toMatchObject({
      ok: false,
      error: { code: "missing_scope", message: expect.stringMatching(/grant Mail\.Send/) },
    });
    expect(await w.runAction("microsoft.create_event", EVENT)).toMatchObject({ ok: false, error: { code: "missing_scope", message: expect.stringMatching(/Calendars\.ReadWrite/) } });
    expect(await w.runAction("microsoft.list_calendars", {})).toMatchObject({ ok: false, error: { code: "missing_scope" } });
    expect(await w.simulator.apiCalls({ providerId: "microsoft" })).toEqual([]);
  });
});
