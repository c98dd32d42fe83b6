"use client";

import { useQuery } from "convex/react";
import { api } from "@/convex/_generated/api";
import type { Id } from "@/convex/_generated/dataModel";
import { CountsChart } from "@/components/charts/counts-chart";
import { bucketCounts } from "@/lib/charts";
import { DAY_MS, USAGE_DAYS_SHOWN } from "@/lib/api-keys";
import { timeAgo } from "@/lib/integrations/status";
import { ScrollX } from "@/components/ui/scroll-x";

const SERIES = [
  { key: "ok", label: "Succeeded", tone: "neutral" },
  { key: "errors", label: "Errors", tone: "danger" },
] as const;

const dayLabel = (start: number) => new Date(start).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/** A key's requests per day (live) and its latest requests. */
export function KeyUsage({ orgId, keyId, now }: { orgId: Id<"organizations">; keyId: string; now: number }) {
  const usage = useQuery(api.apiKeys.usage.forKey, { orgId, keyId });
  if (!usage) return <div className="bg-muted/40 h-32 animate-pulse rounded-md" aria-busy="true" />;
  const buckets = bucketCounts(
    usage.days.map((day) => ({ start: day.dayStart, values: { ok: day.requests - day.errors, errors: day.errors } })),
    { now, bucketMs: DAY_MS, count: USAGE_DAYS_SHOWN, keys: ["ok", "errors"], label: dayLabel },
  );
  const total = usage.days.reduce((sum, day) => sum + day.requests, 0);
  return (
    <div className="grid gap-3">
      <CountsChart buckets={buckets} series={SERIES} caption={`Requests per day, last ${USAGE_DAYS_SHOWN} days (UTC)`} />
      <p className="text-muted-foreground text-sm" data-testid="key-usage-total">
        {total} request{total === 1 ? "" : "s"} in {USAGE_DAYS_SHOWN} days
      </p>
      {usage.recent.length > 0 && (
        <ScrollX label="Latest requests">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Latest requests</caption>
            <thead className="text-muted-foreground">
              <tr>
                <th className="py-1 pr-2 font-medium">When</th>
                <th className="py-1 pr-2 font-medium">Request</th>
                <th className="py-1 pr-2 font-medium">Status</th>
                <th className="py-1 font-medium">Latency</th>
              </tr>
            </thead>
            <tbody>
              {usage.recent.map((row) => (
                <tr key={row.id} className="border-t">
                  <td className="py-1 pr-2 whitespace-nowrap">{timeAgo(row.at, now)}</td>
                  <td className="py-1 pr-2 font-mono break-all">
                    {row.method} {row.route}
                  </td>
                  <td className={row.status >= 400 ? "text-destructive py-1 pr-2" : "py-1 pr-2"}>{row.status}</td>
                  <td className="py-1 whitespace-nowrap">{row.latencyMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollX>
      )}
    </div>
  );
}
