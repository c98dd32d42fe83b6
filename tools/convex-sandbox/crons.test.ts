import { describe, expect, test } from "vitest";
import { cronExpression, intervalMs, nextCronTime } from "./crons.mjs";

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, afterIso: string) => {
  const ms = nextCronTime(expression, at(afterIso));
  return ms === null ? null : new Date(ms).toISOString();
};

describe("nextCronTime", () => {
  test("every minute fires at the next whole minute", () => {
    expect(next("* * * * *", "2026-03-01T10:15:30Z")).toBe("2026-03-01T10:16:00.000Z");
  });

  test("a time exactly on a match moves on to the following one", () => {
    expect(next("0 * * * *", "2026-03-01T10:00:00Z")).toBe("2026-03-01T11:00:00.000Z");
  });

  test("steps, ranges and lists", () => {
    expect(next("*/15 * * * *", "2026-03-01T10:16:00Z")).toBe("2026-03-01T10:30:00.000Z");
    expect(next("0 9-17/4 * * *", "2026-03-01T10:00:00Z")).toBe("2026-03-01T13:00:00.000Z");
    expect(next("5,55 * * * *", "2026-03-01T10:06:00Z")).toBe("2026-03-01T10:55:00.000Z");
  });

  test("weekday 0 and 7 are both Sunday; 2026-03-01 is a Sunday", () => {
    expect(next("30 8 * * 0", "2026-02-27T00:00:00Z")).toBe("2026-03-01T08:30:00.000Z");
    expect(next("30 8 * * 7", "2026-02-27T00:00:00Z")).toBe("2026-03-01T08:30:00.000Z");
  });

  test("with both day fields set, either one matching is enough", () => {
    expect(next("0 0 15 * 1", "2026-03-01T00:00:00Z")).toBe("2026-03-02T00:00:00.000Z");
  });

  test("a day that never comes never fires, and a malformed expression throws", () => {
    expect(next("0 0 31 2 *", "2026-01-01T00:00:00Z")).toBeNull();
    expect(() => nextCronTime("0 0 * *", 0)).toThrow(/five fields/);
    expect(() => nextCronTime("61 * * * *", 0)).toThrow(/Invalid cron field/);
  });
});

describe("cronExpression and intervalMs", () => {
  test("the helper schedules of cronJobs() become UTC cron expressions", () => {
    expect(cronExpression({ type: "hourly", minuteUTC: 5 })).toBe("5 * * * *");
    expect(cronExpression({ type: "daily", hourUTC: 3, minuteUTC: 30 })).toBe("30 3 * * *");
    expect(cronExpression({ type: "weekly", dayOfWeek: "tuesday", hourUTC: 17 })).toBe("0 17 * * 2");
    expect(cronExpression({ type: "monthly", day: 1, hourUTC: 0 })).toBe("0 0 1 * *");
    expect(cronExpression({ type: "cron", cron: "*/5 * * * *" })).toBe("*/5 * * * *");
  });

  test("intervals add up their units", () => {
    expect(intervalMs({ type: "interval", minutes: 15 })).toBe(900_000);
    expect(intervalMs({ type: "interval", hours: 1, seconds: 30 })).toBe(3_630_000);
  });
});
