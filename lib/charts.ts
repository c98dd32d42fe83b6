/**
 * Time buckets for the small count charts (components/charts/counts-chart.tsx): counts
 * that were kept per hour or per day, laid out as a fixed row of buckets ending at `now`,
 * with the empty ones filled in, so a quiet hour shows as a zero bar instead of vanishing.
 */

/** One bucket as the chart draws it: when it starts, its axis label, a count per key. */
export type CountBucket = { start: number; label: string; values: Record<string, number> };

/** Counts kept for the bucket that starts at `start` (an hour, a day: whatever `bucketMs` is). */
export type StoredCounts = { start: number; values: Record<string, number> };

export type BucketLayout = {
  now: number;
  /** Length of a bucket in milliseconds (an hour, a day). */
  bucketMs: number;
  /** How many buckets, the last one holding `now`. */
  count: number;
  /** The series every bucket has a value for, 0 when nothing was counted. */
  keys: readonly string[];
  /** The axis label of the bucket starting at `start`. */
  label: (start: number) => string;
  /**
   * Where buckets start relative to the epoch, in milliseconds (0: on UTC hour or day
   * boundaries). Days in a time zone west of UTC start at a positive offset.
   */
  offsetMs?: number;
};

/** The start of the bucket `time` falls in. */
export function bucketStart(time: number, bucketMs: number, offsetMs = 0): number {
  return Math.floor((time - offsetMs) / bucketMs) * bucketMs + offsetMs;
}

/**
 * `count` buckets ending with the one that holds `now`, each the sum of the stored counts
 * that start inside it (so hourly counts can be drawn per day). Counts outside the window
 * are left out; keys not in `keys` are ignored.
 *
 * @example
 * bucketCounts([{ start: 3_600_000, values: { calls: 2 } }], { now: 7_200_000, bucketMs: 3_600_000, count: 2, keys: ["calls"], label: String })
 * // [{ start: 3_600_000, label: "3600000", values: { calls: 2 } }, { start: 7_200_000, label: "7200000", values: { calls: 0 } }]
 */
export function bucketCounts(stored: readonly StoredCounts[], layout: BucketLayout): CountBucket[] {
  const { now, bucketMs, count, keys, label, offsetMs = 0 } = layout;
  const last = bucketStart(now, bucketMs, offsetMs);
  const first = last - (count - 1) * bucketMs;
  const buckets: CountBucket[] = [];
  for (let start = first; start <= last; start += bucketMs) {
    buckets.push({ start, label: label(start), values: Object.fromEntries(keys.map((key) => [key, 0])) });
  }
  for (const entry of stored) {
    const index = (bucketStart(entry.start, bucketMs, offsetMs) - first) / bucketMs;
    const bucket = buckets[index];
    if (bucket === undefined) continue;
    for (const key of keys) bucket.values[key] += entry.values[key] ?? 0;
  }
  return buckets;
}
