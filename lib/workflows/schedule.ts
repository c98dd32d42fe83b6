/**
 * When a schedule trigger fires next: every `everyMinutes` from the time it was first
 * due, skipping the times that passed while it could not fire (a run is not made up
 * for each missed one), so a schedule keeps its rhythm.
 */

export const MINUTE_MS = 60_000;

/**
 * The first time after `now` on the schedule that was due at `dueAt`.
 * @example nextRunAfter(0, 5, 1_000) // 300000
 * @example nextRunAfter(0, 5, 700_000) // 900000 (the one due at 600000 was missed)
 */
export function nextRunAfter(dueAt: number, everyMinutes: number, now: number): number {
  const interval = everyMinutes * MINUTE_MS;
  const intervals = Math.max(1, Math.floor((now - dueAt) / interval) + 1);
  return dueAt + intervals * interval;
}
