/** Google Calendar's actions through the step contract, against the simulator's Calendar API v3. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const EVENT = { summary: "Quarterly review", start: "2026-03-01T09:30:00", end: "2026-03-01T10:30:00", timeZone: "Europe/Paris" };

describe("google-calendar actions", () => {
  test("create_event posts the event with a Meet request keyed by the run and answers id, url and meetLink", async () => {
    const w = await setup(simulatorUrl, "google-calendar");
    const result = await w.runAction("google-calendar.create_event", {
      ...EVENT,
      description: "Numbers first.",
      attendees: ["ada@example.com"],
      addMeetLink: true,
    });
    expect(result).toEqual({
      ok: true,
      output: {
        id: "evsim000001",
        url: expect.stringMatching(/^https:\/\/www\.google\.com\/calendar\/event\?eid=/),
        meetLink: expect.stringMatching(/^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/),
      },
      correlationId: expect.any(String),
    });
    const [sent] = await w.simulator.apiCalls({ providerId: "google-calendar", apiPath: "/calendar/v3/calendars/primary/events" });
    expect(sent).toMatchObject({
      method: "POST",
      query: { conferenceDataVersion: "1", sendUpdates: "all" },
      body: {
        summary: "Quarterly review",
        description: "Numbers first.",
        start: { dateTime: "2026-03-01T09:30:00", timeZone: "Europe/Paris" },
        end: { dateTime: "2026-03-01T10:30:00", timeZone: "Europe/Paris" },
        attendees: [{ email: "ada@example.com" }],
        conferenceData: { createRequest: { requestId: result.correlationId, conferenceSolutionKey: { type: "hangoutsMeet" } } },
      },
    });
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.headers.authorization).toBeUndefined();

    // The same run sent again asks for the same conference, so it gets the same link.
    const again = await w.runAction("google-calendar.create_event", { ...EVENT, addMeetLink: true }, { correlationId: result.correlationId });
    expect(again).toMatchObject({ ok: true, output: { id: "evsim000002", meetLink: result.ok ? result.output.meetLink : "" } });
    const plain = await w.runAction("google-calendar.create_event", { ...EVENT, calendarId: "team@group.calendar.google.com" });
    expect(plain.ok && plain.output).toEqual({ id: "evsim000003", url: expect.any(String) });
    const [team] = await w.simulator.apiCalls({ providerId: "google-calendar", apiPath: "/calendar/v3/calendars/team%40group.calendar.google.com/events" });
    expect(team).toMatchObject({ query: {}, body: { summary: "Quarterly review" } });
  });

  test("Calendar's errors become typed errors on the field at fault", async () => {
    const w = await setup(simulatorUrl, "google-calendar");
    const backwards = await w.runAction("google-calendar.create_event", { ...EVENT, end: "2026-03-01T08:00:00" });
    expect(backwards).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 400, providerCode: "timeRangeEmpty", fields: { end: "The specified time range is empty." } },
    });
    // 09:30 in Paris is 08:30 UTC, so an end at 08:45Z is after the start.
    const mixed = await w.runAction("google-calendar.create_event", { ...EVENT, end: "2026-03-01T08:45:00Z" });
    expect(mixed.ok).toBe(true);
    const missing = await w.runAction("google-calendar.create_event", { ...EVENT, calendarId: "nobody@group.calendar.google.com" });
    expect(missing).toMatchObject({ ok: false, error: { code: "invalid_input", status: 404, providerCode: "notFound", fields: { calendarId: "Not Found" } } });
    const readOnly = await w.runAction("google-calendar.create_event", { ...EVENT, calendarId: "en.usa#holiday@group.v.calendar.google.com" });
    expect(readOnly).toMatchObject({
      ok: false,
      error: { code: "invalid_input", status: 403, providerCode: "requiredAccessLevel", fields: { calendarId: expect.stringMatching(/writer access/) } },
    });
  });

  test("a 429 is rate_limited with Google's Retry-After", async () => {
    const w = await setup(simulatorUrl, "google-calendar");
    await w.simulator.failNext("google-calendar", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    expect(await w.runAction("google-calendar.create_event", EVENT)).toMatchObject({
      ok: false,
      error: { code: "rate_limited", retryable: true, retryAfterMs: 30_000, status: 429 },
    });
  });

  test("list_calendars pages with pageToken and offers only calendars events can be created in", async () => {
    const w = await setup(simulatorUrl, "google-calendar");
    const first = await w.runAction("google-calendar.list_calendars", {});
    if (!first.ok) throw new Error(first.error.message);
    expect(first.output.options).toHaveLength(250);
    expect(first.output.options.slice(0, 2)).toEqual([
      { value: "user@google-calendar.sim.test", label: "user@google-calendar.sim.test", hint: "Primary calendar" },
      { value: "team@group.calendar.google.com", label: "Team" },
    ]);
    expect(first.output.options.map((o: { label: string }) => o.label)).not.toContain("Holidays in United States");
    const second = await w.runAction("google-calendar.list_calendars", { cursor: first.output.nextCursor });
    if (!second.ok) throw new Error(second.error.message);
    expect(second.output.options).toHaveLength(22);
    expect(second.output.nextCursor).toBeUndefined();
    const calls = await w.simulator.apiCalls({ providerId: "google-calendar", apiPath: "/calendar/v3/users/me/calendarList" });
    expect(calls.map((c) => c.query)).toEqual([
      { minAccessRole: "writer", maxResults: "250" },
      { minAccessRole: "writer", maxResults: "250", pageToken: first.output.nextCursor },
    ]);
  });
});
