// Our metrics as Prometheus series, named as k6's experimental-prometheus-rw names them
// (docs/OUTPUTS.md): a `k6_` prefix (K6_PROMETHEUS_RW_PREFIX to change), counters `_total`,
// rates `_rate`, gauges as they are, trends as one gauge per stat (`_p99`, `_avg`, …) or as a
// native histogram; time values in seconds (Prometheus' base unit), as k6 writes them.
import { Sketch } from '../../../lib/stats/sketch.ts';
import type { Label, NativeHistogram } from './wire.ts';

/** metric and label names: [a-zA-Z_:][a-zA-Z0-9_:]* and [a-zA-Z_][a-zA-Z0-9_]* */
export function metricName(s: string): string { return s.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/^(?=[0-9])/, '_'); }
export function labelName(s: string): string { return s.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(?=[0-9])/, '_').replace(/^__/, '_'); }

/** __name__ first, then the tags sorted by name (the spec asks for sorted label names) */
export function labelsOf(name: string, tags: Record<string, string>): Label[] {
  const ls: Label[] = [];
  const seen = new Set<string>();
  for (const k of Object.keys(tags).sort()) {
    const n = labelName(k);
    const v = tags[k];
    if (v === undefined || v === '' || seen.has(n)) continue;
    seen.add(n);
    ls.push({ name: n, value: String(v) });
  }
  ls.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [{ name: '__name__', value: name }, ...ls];
}

/** K6_PROMETHEUS_RW_TREND_STATS entries: p(N), avg, min, max, med, count, sum */
export type TrendStat = { key: string; suffix: string; of(sk: Sketch): number; time: boolean };

export function parseTrendStats(spec: string): TrendStat[] {
  const out: TrendStat[] = [];
  for (const raw of spec.split(',').map((x) => x.trim()).filter(Boolean)) {
    const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(raw);
    if (p) {
      const q = Number(p[1]) / 100;
      if (!(q >= 0 && q <= 1)) throw new Error(`invalid trend stat "${raw}": a percentile is p(0)…p(100)`);
      out.push({ key: raw, suffix: `p${p[1]!.replace('.', '')}`, of: (sk) => sk.quantile(q), time: true });
    } else if (raw === 'avg') out.push({ key: raw, suffix: 'avg', of: (sk) => sk.avg, time: true });
    else if (raw === 'min') out.push({ key: raw, suffix: 'min', of: (sk) => sk.min, time: true });
    else if (raw === 'max') out.push({ key: raw, suffix: 'max', of: (sk) => sk.max, time: true });
    else if (raw === 'med') out.push({ key: raw, suffix: 'med', of: (sk) => sk.quantile(0.5), time: true });
    else if (raw === 'count') out.push({ key: raw, suffix: 'count', of: (sk) => sk.count, time: false });
    else if (raw === 'sum') out.push({ key: raw, suffix: 'sum', of: (sk) => sk.sum, time: true });
    else throw new Error(`invalid trend stat "${raw}": use p(N), avg, min, max, med, count or sum, comma-separated (e.g. "p(95),p(99),avg")`);
  }
  if (!out.length) throw new Error('K6_PROMETHEUS_RW_TREND_STATS is empty: list at least one stat, e.g. "p(99)"');
  return out;
}

/** schema 8: bucket boundaries 2^(i/256), a growth of 0.27 % per bucket, the finest
 *  Prometheus allows. The sketch's buckets (±0.5 %) map by their midpoints, so a quantile
 *  Prometheus computes from the histogram is within ~0.8 % of the sketch's sample at that
 *  rank (docs/OUTPUTS.md) */
export const NATIVE_SCHEMA = 8;
const PER_OCTAVE = 2 ** NATIVE_SCHEMA;
/** values at or below this go to the zero bucket (the sketch's own zero: < 1e-6 of the unit) */
export const ZERO_THRESHOLD = 1e-9;

/** A cumulative sketch as an integer native histogram: `scale` turns the sketch's unit into
 *  the series' (1/1000 for ms → s). Negative samples (custom Trends only) are left out. */
export function nativeHistogram(sk: Sketch, scale: number, timestamp: number): NativeHistogram {
  const counts = new Map<number, number>();
  let zero = 0, count = 0;
  for (const [lo, hi, c] of sk.buckets()) {
    if (hi === 0) { zero += c; count += c; continue; }
    const mid = Math.sqrt(lo * hi) * scale;
    if (mid <= ZERO_THRESHOLD) { zero += c; count += c; continue; }
    // bucket i holds (2^((i−1)/256), 2^(i/256)]
    const i = Math.ceil(Math.log2(mid) * PER_OCTAVE);
    counts.set(i, (counts.get(i) ?? 0) + c);
    count += c;
  }
  const idx = [...counts.keys()].sort((a, b) => a - b);
  const spans: Array<{ offset: number; length: number }> = [];
  const deltas: number[] = [];
  let prevIdx = 0, prevCount = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (k === 0) spans.push({ offset: i, length: 1 });
    else if (i === prevIdx + 1) spans[spans.length - 1]!.length++;
    else spans.push({ offset: i - prevIdx - 1, length: 1 });
    const c = counts.get(i)!;
    deltas.push(c - prevCount);
    prevCount = c;
    prevIdx = i;
  }
  return { countInt: count, sum: sk.sum * scale, schema: NATIVE_SCHEMA, zeroThreshold: ZERO_THRESHOLD, zeroCountInt: zero, positiveSpans: spans, positiveDeltas: deltas, resetHint: 2, timestamp };
}
