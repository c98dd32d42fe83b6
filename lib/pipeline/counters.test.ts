import { describe, expect, test } from "vitest";
import { addCall, CALL_COUNTER_BUCKET_MS as HOUR, CALL_COUNTER_BUCKETS, callTotals, mergeBuckets } from "./counters";

const WEEK = 7 * 24;

describe("addCall", () => {
  test("adds to the current hour and keeps a week of hours", () => {
    expect(CALL_COUNTER_BUCKETS).toBe(WEEK);
    let buckets = addCall([], 10 * HOUR + 5, false);
    buckets = addCall(buckets, 10 * HOUR + 9, true);
    expect(buckets).toEqual([{ hourStart: 10 * HOUR, calls: 2, errors: 1 }]);
    for (let hour = 11; hour < 10 + WEEK; hour++) buckets = addCall(buckets, hour * HOUR, false);
    expect(buckets).toHaveLength(WEEK);
    expect(buckets[0]!.hourStart).toBe(10 * HOUR);
    buckets = addCall(buckets, (10 + WEEK) * HOUR, false);
    expect(buckets).toHaveLength(WEEK);
    expect(buckets[0]!.hourStart).toBe(11 * HOUR);
  });
});

describe("callTotals", () => {
  test("counts the current hour and the 23 before it, with the reader's clock", () => {
    let buckets = addCall([], 1 * HOUR, true);
    buckets = addCall(buckets, 20 * HOUR, false);
    expect(callTotals(buckets, 20 * HOUR + 1)).toEqual({ calls: 2, errors: 1 });
    expect(callTotals(buckets, 24 * HOUR + 1)).toEqual({ calls: 2, errors: 1 });
    expect(callTotals(buckets, 25 * HOUR)).toEqual({ calls: 1, errors: 0 });
    expect(callTotals(buckets, 44 * HOUR)).toEqual({ calls: 0, errors: 0 });
  });
});

describe("mergeBuckets", () => {
  test("adds up the same hours of several counters and drops hours that left the week", () => {
    const now = (WEEK + 31) * HOUR;
    const a = addCall(addCall([], 31 * HOUR, true), now - HOUR, false);
    const b = addCall(addCall([], now - HOUR + 5, true), now, false);
    expect(mergeBuckets([a, b, []], now)).toEqual([
      { hourStart: now - HOUR, calls: 2, errors: 1 },
      { hourStart: now, calls: 1, errors: 0 },
    ]);
    // An hour ago, the hour a week before was still in it.
    expect(mergeBuckets([a], now - HOUR)).toEqual([
      { hourStart: 31 * HOUR, calls: 1, errors: 1 },
      { hourStart: now - HOUR, calls: 1, errors: 0 },
    ]);
    // What the merge says is what the counters said, added.
    expect(callTotals(mergeBuckets([a, b], now), now)).toEqual({ calls: 3, errors: 1 });
    expect(mergeBuckets([], 0)).toEqual([]);
  });
});

describe("counters with clocks that disagree", () => {
  test("a call stamped before the newest hour still leaves the buckets oldest first", () => {
    const buckets = addCall(addCall(addCall([], 10 * HOUR, false), 12 * HOUR, false), 11 * HOUR, true);
    expect(buckets.map((bucket) => bucket.hourStart)).toEqual([10 * HOUR, 11 * HOUR, 12 * HOUR]);
  });

  test("a bucket from a clock running ahead does not count yet", () => {
    const ahead = [
      { hourStart: 20 * HOUR, calls: 1, errors: 0 },
      { hourStart: 21 * HOUR, calls: 5, errors: 5 },
    ];
    expect(callTotals(ahead, 20 * HOUR + 10)).toEqual({ calls: 1, errors: 0 });
  });

  test("merging drops hours that left the window and orders hours oldest first, whatever order the shards hold", () => {
    const merged = mergeBuckets(
      [
        [{ hourStart: 31 * HOUR, calls: 1, errors: 0 }],
        [
          // A week and an hour before the last hour: gone.
          { hourStart: (31 - WEEK) * HOUR, calls: 9, errors: 9 },
          { hourStart: 30 * HOUR, calls: 2, errors: 1 },
        ],
      ],
      31 * HOUR,
    );
    expect(merged).toEqual([
      { hourStart: 30 * HOUR, calls: 2, errors: 1 },
      { hourStart: 31 * HOUR, calls: 1, errors: 0 },
    ]);
  });
});
