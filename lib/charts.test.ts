import { describe, expect, it } from "vitest";
import { bucketCounts, bucketStart, type StoredCounts } from "./charts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hourly = (now: number, count: number) => ({ now, bucketMs: HOUR, count, keys: ["calls", "errors"], label: (start: number) => `h${start / HOUR}` });

describe("bucketStart", () => {
  it("rounds down to the bucket boundary, shifted by the offset", () => {
    expect(bucketStart(HOUR + 1, HOUR)).toBe(HOUR);
    expect(bucketStart(HOUR, HOUR)).toBe(HOUR);
    expect(bucketStart(HOUR - 1, HOUR)).toBe(0);
    expect(bucketStart(5 * HOUR, DAY, 6 * HOUR)).toBe(6 * HOUR - DAY);
    expect(bucketStart(7 * HOUR, DAY, 6 * HOUR)).toBe(6 * HOUR);
    expect(bucketStart(-1, HOUR)).toBe(-HOUR);
  });
});

describe("bucketCounts", () => {
  it("lays out `count` buckets ending with the one holding now, empty ones as zeros", () => {
    const buckets = bucketCounts([], hourly(10 * HOUR + 5, 3));
    expect(buckets).toEqual([
      { start: 8 * HOUR, label: "h8", values: { calls: 0, errors: 0 } },
      { start: 9 * HOUR, label: "h9", values: { calls: 0, errors: 0 } },
      { start: 10 * HOUR, label: "h10", values: { calls: 0, errors: 0 } },
    ]);
  });

  it("puts each stored count in its bucket and leaves out what is outside the window", () => {
    const stored: StoredCounts[] = [
      { start: 7 * HOUR, values: { calls: 100, errors: 100 } },
      { start: 8 * HOUR, values: { calls: 2, errors: 1 } },
      { start: 10 * HOUR, values: { calls: 5 } },
      { start: 11 * HOUR, values: { calls: 100 } },
    ];
    expect(bucketCounts(stored, hourly(10 * HOUR, 3)).map((b) => b.values)).toEqual([
      { calls: 2, errors: 1 },
      { calls: 0, errors: 0 },
      { calls: 5, errors: 0 },
    ]);
  });

  it("sums hourly counts into days and ignores keys it was not asked for", () => {
    const stored: StoredCounts[] = [
      { start: DAY + HOUR, values: { calls: 1, other: 9 } },
      { start: DAY + 23 * HOUR, values: { calls: 2 } },
      { start: 2 * DAY, values: { calls: 4 } },
    ];
    const days = bucketCounts(stored, { now: 2 * DAY + 3 * HOUR, bucketMs: DAY, count: 2, keys: ["calls"], label: String });
    expect(days).toEqual([
      { start: DAY, label: String(DAY), values: { calls: 3 } },
      { start: 2 * DAY, label: String(2 * DAY), values: { calls: 4 } },
    ]);
  });

  it("honours the offset of local days", () => {
    const offset = 6 * HOUR;
    const stored: StoredCounts[] = [{ start: 5 * HOUR, values: { calls: 1 } }, { start: 6 * HOUR, values: { calls: 2 } }];
    const days = bucketCounts(stored, { now: 7 * HOUR, bucketMs: DAY, count: 2, keys: ["calls"], label: String, offsetMs: offset });
    expect(days.map((d) => [d.start, d.values.calls])).toEqual([
      [offset - DAY, 1],
      [offset, 2],
    ]);
  });

  it("does not share value objects between buckets", () => {
    const buckets = bucketCounts([{ start: 0, values: { calls: 1 } }], hourly(HOUR, 2));
    expect(buckets[0].values).not.toBe(buckets[1].values);
    expect(buckets[1].values.calls).toBe(0);
  });
});
