"use client";

import { useState } from "react";
import { CountsChart } from "@/components/charts/counts-chart";
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { bucketCounts } from "@/lib/charts";
import type { CallBucket } from "@/lib/pipeline";
import { cn } from "@/lib/utils";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const RANGES = {
  day: { label: "24 hours", caption: "Calls per hour, last 24 hours", bucketMs: HOUR, count: 24 },
  week: { label: "7 days", caption: "Calls per day, last 7 days", bucketMs: DAY, count: 7 },
} as const;
type Range = keyof typeof RANGES;

const hourLabel = new Intl.DateTimeFormat("en-US", { hour: "numeric" });
const dayLabel = new Intl.DateTimeFormat("en-US", { weekday: "short", day: "numeric" });

/**
 * Calls and errors of one connection per hour over 24 hours or per day over 7 days,
 * from the hourly counters the provider page's query returns (at most a minute behind).
 * Days start at local midnight.
 */
export function CallsChart({ providerName, callHours, now }: { providerName: string; callHours: readonly CallBucket[]; now: number }) {
  const [range, setRange] = useState<Range>("day");
  const { bucketMs, count, caption } = RANGES[range];
  const buckets = bucketCounts(
    callHours.map((b) => ({ start: b.hourStart, values: { ok: b.calls - b.errors, errors: b.errors } })),
    {
      now,
      bucketMs,
      count,
      keys: ["ok", "errors"],
      label: (start) => (range === "day" ? hourLabel : dayLabel).format(start),
      // Local midnight, in UTC milliseconds modulo a day (getTimezoneOffset is minutes west of UTC).
      offsetMs: range === "week" ? new Date(now).getTimezoneOffset() * 60_000 : 0,
    },
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Calls over time</CardTitle>
        <CardDescription>Successful and failed requests to {providerName}.</CardDescription>
        <CardAction>
          <div role="group" aria-label="Chart range" className="bg-muted inline-flex rounded-md p-0.5">
            {(Object.keys(RANGES) as Range[]).map((key) => (
              <button
                key={key}
                type="button"
                aria-pressed={range === key}
                onClick={() => setRange(key)}
                className={cn(
                  "rounded px-2 py-1 text-xs",
                  range === key ? "bg-background font-medium shadow-sm" : "text-muted-foreground hover:text-foreground",
                )}
              >
                {RANGES[key].label}
              </button>
            ))}
          </div>
        </CardAction>
      </CardHeader>
      <CardContent>
        <CountsChart
          buckets={buckets}
          caption={caption}
          series={[
            { key: "ok", label: "Succeeded", tone: "neutral" },
            { key: "errors", label: "Failed", tone: "danger" },
          ]}
        />
      </CardContent>
    </Card>
  );
}
