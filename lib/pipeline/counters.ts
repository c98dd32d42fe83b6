/**
 * Call counters, so the dashboard shows "calls and errors in the last 24 hours" and
 * the provider page charts them per hour and per day over a week, without reading a
 * single log row. Hourly buckets: a call adds to the current hour and drops hours that
 * left the kept week, so a counter holds at most `CALL_COUNTER_BUCKETS` small objects. The call log mutation adds to one of a
 * connection's counter shards (convex/calls/counters.ts); a summary merges them
 * onto the connection at most once a minute.
 */

export const CALL_COUNTER_BUCKET_MS = 60 * 60_000;
/** Buckets kept: the current hour and the 167 before it (seven days, for the chart). */
export const CALL_COUNTER_BUCKETS = 7 * 24;
/** Hours the totals count: the current hour and the 23 before it. */
export const CALL_TOTALS_HOURS = 24;

export type CallBucket = { hourStart: number; calls: number; errors: number };

function hourStartOf(time: number): number {
  return time - (time % CALL_COUNTER_BUCKET_MS);
}

/** Whether `bucket` is one of the `hours` hours ending with the one `now` is in (or later). */
function inWindow(bucket: CallBucket, now: number, hours = CALL_COUNTER_BUCKETS): boolean {
  return bucket.hourStart > hourStartOf(now) - hours * CALL_COUNTER_BUCKET_MS;
}

/**
 * The buckets after one more call at `now`.
 * @example addCall([], 3_600_000, false) // [{ hourStart: 3_600_000, calls: 1, errors: 0 }]
 */
export function addCall(buckets: readonly CallBucket[], now: number, isError: boolean): CallBucket[] {
  const hourStart = hourStartOf(now);
  const kept = buckets.filter((bucket) => inWindow(bucket, now) && bucket.hourStart !== hourStart);
  const current = buckets.find((bucket) => bucket.hourStart === hourStart) ?? { hourStart, calls: 0, errors: 0 };
  return [...kept, { hourStart, calls: current.calls + 1, errors: current.errors + (isError ? 1 : 0) }].sort(
    (a, b) => a.hourStart - b.hourStart,
  );
}

/**
 * Calls and errors in the window ending at `now` (the current hour and the 23 full
 * hours before it). Read with the reader's clock: buckets that aged out count for nothing.
 */
export function callTotals(buckets: readonly CallBucket[], now: number): { calls: number; errors: number } {
  let calls = 0;
  let errors = 0;
  for (const bucket of buckets) {
    if (!inWindow(bucket, now, CALL_TOTALS_HOURS) || bucket.hourStart > now) continue;
    calls += bucket.calls;
    errors += bucket.errors;
  }
  return { calls, errors };
}

/**
 * The buckets of several counters (a connection's shards) as one: calls and errors
 * of the same hour added up, hours that left the window at `now` dropped, oldest first.
 * @example mergeBuckets([[{ hourStart: 0, calls: 1, errors: 0 }], [{ hourStart: 0, calls: 2, errors: 1 }]], 0)
 * // [{ hourStart: 0, calls: 3, errors: 1 }]
 */
export function mergeBuckets(lists: ReadonlyArray<readonly CallBucket[]>, now: number): CallBucket[] {
  const byHour = new Map<number, CallBucket>();
  for (const buckets of lists) {
    for (const bucket of buckets) {
      if (!inWindow(bucket, now)) continue;
      const merged = byHour.get(bucket.hourStart) ?? { hourStart: bucket.hourStart, calls: 0, errors: 0 };
      merged.calls += bucket.calls;
      merged.errors += bucket.errors;
      byHour.set(bucket.hourStart, merged);
    }
  }
  return [...byHour.values()].sort((a, b) => a.hourStart - b.hourStart);
}
