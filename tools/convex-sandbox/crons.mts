/**
 * Drives the crons registered in `convex/crons.ts` (convex-test has none):
 * intervals on a timer, everything else as a UTC cron expression.
 */
import type { JSONValue } from "convex/values";

type Schedule =
  | { type: "interval"; seconds?: number; minutes?: number; hours?: number }
  | { type: "hourly"; minuteUTC?: number }
  | { type: "daily"; hourUTC: number; minuteUTC?: number }
  | { type: "weekly"; dayOfWeek: string; hourUTC: number; minuteUTC?: number }
  | { type: "monthly"; day: number; hourUTC: number; minuteUTC?: number }
  | { type: "cron"; cron: string };

export type CronJob = { name: string; args: JSONValue[]; schedule: Schedule };

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MINUTE_MS = 60_000;
/** A cron that matches nothing within a few years is treated as never firing. */
const MAX_MINUTES_SEARCHED = 5 * 366 * 24 * 60;

/** The registered jobs of a `cronJobs()` default export, or none. */
export function cronJobsOf(moduleExports: Record<string, unknown> | null): Record<string, CronJob> {
  const crons = moduleExports?.default as { isCrons?: boolean; crons?: Record<string, CronJob> } | undefined;
  return crons?.isCrons && crons.crons ? crons.crons : {};
}

/** Every schedule but intervals, as a five-field UTC cron expression. */
export function cronExpression(schedule: Exclude<Schedule, { type: "interval" }>): string {
  switch (schedule.type) {
    case "hourly":
      return `${schedule.minuteUTC ?? 0} * * * *`;
    case "daily":
      return `${schedule.minuteUTC ?? 0} ${schedule.hourUTC} * * *`;
    case "weekly":
      return `${schedule.minuteUTC ?? 0} ${schedule.hourUTC} * * ${DAYS.indexOf(schedule.dayOfWeek.toLowerCase())}`;
    case "monthly":
      return `${schedule.minuteUTC ?? 0} ${schedule.hourUTC} ${schedule.day} * *`;
    case "cron":
      return schedule.cron;
    default:
      schedule satisfies never;
      throw new Error("unknown schedule");
  }
}

/** The values one cron field allows: `*`, `5`, `1,2`, `1-5`, `*\/15`, `10-50/10`. */
function parseField(field: string, min: number, max: number): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    let [low, high] = [min, max];
    if (range !== "*") {
      const [a, b] = range.split("-");
      low = Number(a);
      high = b === undefined ? (stepText === undefined ? low : max) : Number(b);
    }
    if (![low, high, step].every(Number.isInteger) || step < 1 || low < min || high > max) {
      throw new Error(`Invalid cron field "${field}"`);
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

/** The first minute strictly after `afterMs` that the UTC cron expression matches, in ms, or null. */
export function nextCronTime(expression: string, afterMs: number): number | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`Cron "${expression}" needs five fields (minute hour day month weekday)`);
  const [minutes, hours, days, months, weekdays] = [
    parseField(fields[0]!, 0, 59),
    parseField(fields[1]!, 0, 23),
    parseField(fields[2]!, 1, 31),
    parseField(fields[3]!, 1, 12),
    parseField(fields[4]!.replace(/\b7\b/g, "0"), 0, 6),
  ];
  // Standard cron: when both day fields are restricted, either may match.
  const dayOfMonthAny = fields[2] === "*";
  const dayOfWeekAny = fields[4] === "*";
  let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  for (let i = 0; i < MAX_MINUTES_SEARCHED; i++, t += MINUTE_MS) {
    const d = new Date(t);
    if (!months.has(d.getUTCMonth() + 1)) continue;
    const dom = days.has(d.getUTCDate());
    const dow = weekdays.has(d.getUTCDay());
    const dayMatches = dayOfMonthAny || dayOfWeekAny ? dom && dow : dom || dow;
    if (dayMatches && hours.has(d.getUTCHours()) && minutes.has(d.getUTCMinutes())) return t;
  }
  return null;
}

export function intervalMs(schedule: Extract<Schedule, { type: "interval" }>): number {
  return ((schedule.hours ?? 0) * 3600 + (schedule.minutes ?? 0) * 60 + (schedule.seconds ?? 0)) * 1000;
}

/** Runs each job on its schedule until stopped; `run` executes one job (errors are its own to report). */
export class CronDriver {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly jobs: Record<string, CronJob>,
    private readonly run: (identifier: string, job: CronJob) => Promise<void>,
  ) {}

  start(): void {
    for (const [identifier, job] of Object.entries(this.jobs)) this.scheduleNext(identifier, job, Date.now());
  }

  private scheduleNext(identifier: string, job: CronJob, fromMs: number): void {
    if (this.stopped) return;
    const next =
      job.schedule.type === "interval" ? fromMs + intervalMs(job.schedule) : nextCronTime(cronExpression(job.schedule), fromMs);
    if (next === null) return;
    // Long waits are re-armed in steps: setTimeout overflows past ~24.8 days.
    const delay = Math.min(Math.max(0, next - Date.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (Date.now() < next) return this.scheduleNext(identifier, job, fromMs);
      void this.run(identifier, job).finally(() => this.scheduleNext(identifier, job, next));
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
