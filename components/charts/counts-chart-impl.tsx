"use client";

/** The drawing of CountsChart, in its own chunk: only counts-chart.tsx imports it, lazily. */
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { CountBucket } from "@/lib/charts";
/** One stacked series: its key in each bucket's values, its name, and its colour token. */
export type CountSeries = { key: string; label: string; tone: "neutral" | "danger" | "success" };

const FILL: Record<CountSeries["tone"], string> = {
  neutral: "var(--color-muted-foreground)",
  danger: "var(--color-destructive)",
  success: "var(--color-primary)",
};

export default function CountsChartBars({ buckets, series }: { buckets: readonly CountBucket[]; series: readonly CountSeries[] }) {
  const rows = buckets.map((b) => ({ label: b.label, ...b.values }));
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: -24 }} accessibilityLayer={false}>
        <XAxis dataKey="label" tickLine={false} axisLine={false} fontSize={10} interval="preserveStartEnd" minTickGap={16} />
        <YAxis allowDecimals={false} tickLine={false} axisLine={false} fontSize={10} width={48} />
        <Tooltip
          cursor={{ fill: "var(--color-accent)" }}
          contentStyle={{ background: "var(--color-popover)", border: "1px solid var(--color-border)", fontSize: 12 }}
        />
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId="counts" fill={FILL[s.tone]} isAnimationActive={false} />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
