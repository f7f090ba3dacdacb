// The report's time series, derived from the per-second digests of the merged intervals. Stored in
// summary.json (`timeseries`) so `llmload report summary.json` can rebuild the HTML later.
import type { MetricStore } from '../metrics/store.ts';
import { Sketch } from '../../lib/stats/sketch.ts';
import { MN } from '../../lib/metric-names.ts';

export interface TimeSeriesData {
  t: number[]; // epoch seconds, interval ends
  rps: number[]; vus: number[]; streams: number[];
  ttft_p50: Array<number | null>; ttft_p95: Array<number | null>; ttft_p99: Array<number | null>;
  rate_limited: number[]; output_tokens: number[];
  errors: Record<string, number[]>;
  ttft_histogram: Array<[number, number, number]>; // [lower ms, upper ms, count]
}

export function buildTimeseries(store: MetricStore, startEpochMs: number): TimeSeriesData {
  // one digest per second (engine/metrics/store.ts): closed intervals keep only these
  const digests = store.allDigests();
  const kinds = new Set<string>();
  for (const g of digests) for (const k of Object.keys(g.errors)) kinds.add(k);
  const d: TimeSeriesData = { t: [], rps: [], vus: [], streams: [], ttft_p50: [], ttft_p95: [], ttft_p99: [], rate_limited: [], output_tokens: [], errors: Object.fromEntries([...kinds].sort().map((k) => [k, []])), ttft_histogram: [] };
  for (const g of digests) {
    const ttft = g.ttft ? Sketch.from(g.ttft) : null;
    d.t.push((startEpochMs + g.at + 1000) / 1000);
    d.rps.push(g.rps);
    d.vus.push(g.vus);
    d.streams.push(g.streams);
    d.ttft_p50.push(ttft ? round(ttft.quantile(0.5)) : null);
    d.ttft_p95.push(ttft ? round(ttft.quantile(0.95)) : null);
    d.ttft_p99.push(ttft ? round(ttft.quantile(0.99)) : null);
    d.rate_limited.push(g.rate_limited);
    d.output_tokens.push(g.output_tokens);
    for (const k of kinds) d.errors[k]!.push(g.errors[k] ?? 0);
  }
  // TTFT histogram: the sketch's buckets regrouped into ~40 log-spaced bins
  const all = store.aggregate(MN.ttft)?.sk;
  if (all && all.count) {
    const lo = Math.max(0.1, all.min), hi = Math.max(lo * 1.01, all.max);
    const bins = 40;
    const edges = Array.from({ length: bins + 1 }, (_, i) => lo * (hi / lo) ** (i / bins));
    const counts = new Array<number>(bins).fill(0);
    for (const [, upper, c] of all.buckets()) {
      let i = edges.findIndex((e) => e >= upper) - 1;
      if (i < 0) i = upper <= lo ? 0 : bins - 1;
      counts[Math.min(bins - 1, Math.max(0, i))]! += c;
    }
    d.ttft_histogram = counts.map((c, i) => [round(edges[i]!), round(edges[i + 1]!), c]);
  }
  return d;
}

function round(x: number): number { return Math.round(x * 100) / 100; }
