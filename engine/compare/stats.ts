// Statistics for `llmload compare`: percentiles and 95 % bootstrap intervals over the
// per-request log, seeded so a comparison is reproducible (docs/METRICS.md, "Comparing").
// Method: percentile bootstrap, B resamples with replacement of the provider's requests
// (independently per provider for a difference), the interval is the 2.5th and 97.5th
// percentile of the resampled statistic. Rates (the error rate) use score intervals instead:
// a bootstrap of 0 errors in 80 calls is [0, 0] — certainty that 80 calls cannot give — and
// against 4 in 80 it declared a winner between two runs of the same simulator profile (CI,
// 2026-12-06). Wilson's interval for one rate, Newcombe's hybrid score interval (his method
// 10, Statistics in Medicine 1998) for a difference of two. Pure.

/** mulberry32: a small seeded PRNG (uniform in [0, 1)) */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** q-quantile of sorted values, linear interpolation between closest ranks (numpy's default) */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function quantile(values: number[], q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q);
}

export type Stat = (sample: Float64Array) => number;
export const pStat = (q: number): Stat => (s) => quantileSorted(s.sort(), q);
export const meanStat: Stat = (s) => { let t = 0; for (const v of s) t += v; return s.length ? t / s.length : NaN; };

function resample(values: number[], r: () => number, out: Float64Array): Float64Array {
  const n = values.length;
  for (let i = 0; i < n; i++) out[i] = values[Math.floor(r() * n)]!;
  return out;
}

export interface Interval { estimate: number; lo: number; hi: number }

export function bootstrap(values: number[], stat: Stat, B = 1000, seed = 1): Interval {
  if (values.length === 0) return { estimate: NaN, lo: NaN, hi: NaN };
  const r = rng(seed);
  const buf = new Float64Array(values.length);
  const est = stat(Float64Array.from(values));
  const reps = new Float64Array(B);
  for (let b = 0; b < B; b++) reps[b] = stat(resample(values, r, buf));
  reps.sort();
  return { estimate: est, lo: quantileSorted(reps, 0.025), hi: quantileSorted(reps, 0.975) };
}

/** interval of stat(a) − stat(b), resampling each independently */
export function bootstrapDiff(a: number[], b: number[], stat: Stat, B = 1000, seed = 1): Interval {
  if (a.length === 0 || b.length === 0) return { estimate: NaN, lo: NaN, hi: NaN };
  const r = rng(seed);
  const ba = new Float64Array(a.length), bb = new Float64Array(b.length);
  const est = stat(Float64Array.from(a)) - stat(Float64Array.from(b));
  const reps = new Float64Array(B);
  for (let i = 0; i < B; i++) reps[i] = stat(resample(a, r, ba)) - stat(resample(b, r, bb));
  reps.sort();
  return { estimate: est, lo: quantileSorted(reps, 0.025), hi: quantileSorted(reps, 0.975) };
}

/** which of the values (lower is better) is best with an interval that excludes the runner-up's */
export function clearBest(ivs: Array<Interval | null>): number | null {
  const idx = ivs.map((iv, i) => [iv, i] as const).filter(([iv]) => iv && Number.isFinite(iv.estimate)).sort((x, y) => x[0]!.estimate - y[0]!.estimate);
  if (idx.length < 2) return null;
  const [best, second] = [idx[0]![0]!, idx[1]![0]!];
  return best.hi < second.lo ? idx[0]![1] : null;
}

/** Wilson score interval of a rate: k successes (here: errors) in n trials, 95 % */
export function wilson(k: number, n: number, z = 1.959964): Interval {
  if (n === 0) return { estimate: NaN, lo: NaN, hi: NaN };
  const p = k / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval of rate(a) − rate(b), from Wilson intervals of each */
export function rateDiff(ka: number, na: number, kb: number, nb: number): Interval {
  const a = wilson(ka, na), b = wilson(kb, nb);
  if (!Number.isFinite(a.estimate) || !Number.isFinite(b.estimate)) return { estimate: NaN, lo: NaN, hi: NaN };
  const d = a.estimate - b.estimate;
  return { estimate: d, lo: d - Math.hypot(a.estimate - a.lo, b.hi - b.estimate), hi: d + Math.hypot(a.hi - a.estimate, b.estimate - b.lo) };
}
