/** Timing helpers for the benchmarks: samples in milliseconds, summarised by median and p95. */

export type Summary = { n: number; medianMs: number; p95Ms: number; meanMs: number };

export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return {
    n: sorted.length,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    meanMs: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
  };
}

/** Runs `fn` once and returns how long it took. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs two contenders in alternation, so drift (JIT warm-up, GC, a busy machine)
 * hits both alike; returns each one's samples.
 */
export async function sideBySide(
  rounds: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<{ a: number[]; b: number[] }> {
  const samples = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    samples.a.push(await timed(a));
    samples.b.push(await timed(b));
  }
  return samples;
}

export const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(3));

/**
 * Runs several contenders once per round, the order rotating from round to round so
 * no contender always goes first (or always right after another); `prepare` runs
 * before each contender's turn, untimed. Returns each contender's samples.
 */
export async function rotated<K extends string>(
  rounds: number,
  contenders: Record<K, { prepare?: () => unknown; run: () => Promise<unknown> }>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      await contenders[name].prepare?.();
      samples[name].push(await timed(contenders[name].run));
    }
  }
  return samples;
}

/** The median of `a[i] - b[i] - …` over rounds: a difference measured within each round, not between two medians. */
export function medianDifference(minuend: number[], ...subtrahends: number[][]): number {
  return summarise(minuend.map((value, i) => subtrahends.reduce((rest, other) => rest - other[i]!, value))).medianMs;
}
