/** Zoom's actions through the step contract, against the simulator's Meetings API. */
import { describe, expect, inject, test } from "vitest";
import { worldPerTest } from "../calls/test.world";

const simulatorUrl = inject("simulatorUrl");
const setup = worldPerTest();
const input = { topic: "Weekly sync", startTime: "2026-03-01T09:30", duration: 45, timezone: "Europe/Paris", agenda: "Roadmap" };

describe("zoom actions", () => {
  test("create_meeting schedules a meeting and answers its id and join link, not the host's start link", async () => {
    const w = await setup(simulatorUrl, "zoom", { extraScopes: ["meeting:write:meeting"] });
    const result = await w.runAction("zoom.create_meeting", input);
    expect(result).toEqual({
      ok: true,
      output: { id: 85_746_065_001, joinUrl: "https://zoom.us/j/85746065001?pwd=simPwd1" },
      correlationId: expect.any(String),
    });
    expect(JSON.stringify(result)).not.toMatch(/zak|start_url|password/);
    const [sent] = await w.simulator.apiCalls({ providerId: "zoom" });
    expect(sent).toMatchObject({
      method: "POST",
      apiPath: "/users/me/meetings",
      query: {},
      body: { topic: "Weekly sync", type: 2, start_time: "2026-03-01T09:30:00", duration: 45, timezone: "Europe/Paris", agenda: "Roadmap" },
    });
    expect(sent!.headers["content-type"]).toBe("application/json");
    expect(sent!.headers.authorization).toBeUndefined();
    const [log] = await w.logs();
    expect(log).toMatchObject({ method: "POST", path: "/users/me/meetings", status: 201, correlationId: result.correlationId });
  });

  test("an app holding the classic meeting:write scope creates meetings too", async () => {
    const w = await setup(simulatorUrl, "zoom", { extraScopes: ["meeting:write"] });
    const result = await w.runAction("zoom.create_meeting", { topic: "Standup", startTime: "2026-03-02T08:00:00Z", duration: 15 });
    expect(result).toMatchObject({ ok: true, output: { id: 85_746_065_001 } });
    const [sent] = await w.simulator.apiCalls({ providerId: "zoom" });
    expect(sent!.body).toEqual({ topic: "Standup", type: 2, start_time: "2026-03-02T08:00:00Z", duration: 15 });
  });

  test("Zoom's validation error (code 300) is invalid input on the field at fault", async () => {
    const w = await setup(simulatorUrl, "zoom", { extraScopes: ["meeting:write:meeting"] });
    const result = await w.runAction("zoom.create_meeting", { ...input, timezone: "Mars/Olympus_Mons" });
    expect(result).toEqual({
      ok: false,
      error: {
        code: "invalid_input",
        message: "Zoom refused the input: Validation Failed.",
        retryable: false,
        fields: { timezone: "Invalid field." },
        providerCode: "300",
        status: 400,
      },
      correlationId: expect.any(String),
    });
  });

  test("without a meeting scope nothing is sent", async () => {
    const w = await setup(simulatorUrl, "zoom");
    const result = await w.runAction("zoom.create_meeting", input);
    expect(result).toMatchObject({ ok: false, error: { code: "missing_scope", message: expect.stringMatching(/grant meeting:write:meeting/) } });
    expect(await w.simulator.apiCalls({ providerId: "zoom" })).toEqual([]);
  });

  test("a 429 is rate_limited with Zoom's Retry-After, and the POST is not sent twice", async () => {
    const w = await setup(simulatorUrl, "zoom", { extraScopes: ["meeting:write:meeting"] });
    await w.simulator.failNext("zoom", "api", { kind: "rate_limit", retryAfterSeconds: 30 });
    const limited = await w.runAction("zoom.create_meeting", input);
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryable: true, retryAfterMs: 30_000, status: 429 } });
    expect(await w.simulator.apiCalls({ providerId: "zoom" })).toHaveLength(1);
  });
});
