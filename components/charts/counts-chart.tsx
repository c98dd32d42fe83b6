"use client";

/**
 * A small bar chart of counts over time (calls and errors per hour, deliveries per day,
 * API requests per day). The charting library is loaded only when a chart is shown, so a
 * route's first-load JavaScript does not grow by it; until then a box of the same height
 * holds the place, and the summary below is there from the first render.
 *
 * Screen readers get the numbers as a table (the drawing is hidden from them): a chart
 * alone says nothing to someone who cannot see it.
 */
import dynamic from "next/dynamic";
import type { CountBucket } from "@/lib/charts";
import type { CountSeries } from "./counts-chart-impl";

export type { CountBucket, CountSeries };

const Bars = dynamic(() => import("./counts-chart-impl"), {
  ssr: false,
  loading: () => <div className="bg-muted/40 h-full w-full animate-pulse rounded-md" />,
});

export function CountsChart({
  buckets,
  series,
  caption,
  height = 128,
}: {
  /** Oldest first; each bucket has a value for every series' key. */
  buckets: readonly CountBucket[];
  /** What each bar stack shows, bottom first. */
  series: readonly CountSeries[];
  /** Says what the chart counts, over what time ("Calls per hour, last 24 hours"). */
  caption: string;
  height?: number;
}) {
  return (
    <figure className="min-w-0">
      <div aria-hidden="true" style={{ height }} className="w-full min-w-0">
        <Bars buckets={buckets} series={series} />
      </div>
      <figcaption className="text-muted-foreground mt-1 text-xs">
        {caption}:{" "}
        {series.map((s, i) => (
          <span key={s.key}>
            {i > 0 ? ", " : ""}
            {buckets.reduce((sum, b) => sum + (b.values[s.key] ?? 0), 0).toLocaleString("en-US")} {s.label.toLowerCase()}
          </span>
        ))}
      </figcaption>
      <table className="sr-only">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {buckets.map((b) => (
            <tr key={b.start}>
              <th scope="row">{b.label}</th>
              {series.map((s) => (
                <td key={s.key}>{b.values[s.key] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
