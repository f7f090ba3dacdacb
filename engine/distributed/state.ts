// A shard's mergeable state: everything `llmload merge` needs to rebuild the whole run's
// summary exactly — every series over the whole run (counter sums, gauge values, rate
// numerators and denominators, trend sketches), the per-second digests the report draws over
// time, checks, metric definitions, the raw thresholds — plus where the shard sat in the plan (segment,
// sequence, zone, instance) and how well it hit the start barrier. It rides in summary.json
// (`shard`) and, with --print-state, as the last stdout line (`kubectl logs` collects it).
import { gzipSync, gunzipSync } from 'node:zlib';
import type { MetricStore, IntervalDigest } from '../metrics/store.ts';
import type { AggData, CheckSnap, MetricDef, SeriesSnap } from '../metrics/types.ts';

export const STATE_FORMAT = 'llmload-shard/2';
export const STATE_LINE_PREFIX = 'llmload-shard-state: ';

export interface StartReport {
  /** the --start-at instant (ISO), null when the shard started as soon as it was ready */
  target: string | null;
  /** when the executors actually started, wall clock, minus the target (ms; > 0 is late) */
  skew_ms: number | null;
  tolerance_ms: number;
  /** |skew| over the tolerance */
  missed: boolean;
}

export interface ShardState {
  format: typeof STATE_FORMAT;
  testid: string;
  script: string;
  bundle_sha256: string;
  segment: string;
  sequence: string | null;
  /** names of the sequence's segments in order (zone-index), when the plan gave them */
  segment_names: string[] | null;
  zone: string | null;
  load_zone: string | null;
  instance_id: string | null;
  host: string;
  start: StartReport;
  /** wall-clock ms of the executors' t = 0 (the intervals' `at` counts from here) */
  t0_epoch_ms: number;
  duration_ms: number;
  defs: MetricDef[];
  checks: CheckSnap[];
  /** every series over the whole run, setup's samples included */
  series: SeriesSnap[];
  /** one per second: requests, VUs, streams, 429s, tokens, errors by kind, the TTFT sketch */
  digests: IntervalDigest[];
  /** options.thresholds as the script wrote them, and summaryTrendStats */
  thresholds: Record<string, unknown>;
  summary_trend_stats: string[];
  aborted: boolean;
  exit_code: number;
}

export function aggToData(a: { kind: string; sum: number; n: number; last: number; min: number; max: number; trues: number; total: number; sk: { toJSON(): unknown } | null }): AggData {
  switch (a.kind) {
    case 'counter': return { t: 'counter', sum: a.sum, n: a.n };
    case 'gauge': return { t: 'gauge', last: a.last, min: a.min, max: a.max };
    case 'rate': return { t: 'rate', trues: a.trues, total: a.total };
    default: return { t: 'trend', sk: a.sk!.toJSON() as never };
  }
}

export function exportSeries(store: MetricStore): SeriesSnap[] {
  return [...store.series.values()].map((s) => ({ name: s.name, tags: s.tags, agg: aggToData(s.agg as never) }));
}

/** one line: gzip + base64; a run's state grows by a digest (a few hundred bytes) per second */
export function stateLine(s: ShardState): string {
  return STATE_LINE_PREFIX + gzipSync(JSON.stringify(s)).toString('base64');
}

/** the state from a summary.json object, a state object, or text holding a state line
 *  (e.g. `kubectl logs` output); null when there is none */
export function stateFrom(text: string): ShardState | null {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    let o: Record<string, unknown>;
    try { o = JSON.parse(t) as Record<string, unknown>; } catch { return null; }
    if (o.format === STATE_FORMAT) return o as unknown as ShardState;
    const sh = o.shard as Record<string, unknown> | undefined;
    return sh && sh.format === STATE_FORMAT ? (sh as unknown as ShardState) : null;
  }
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!.trim();
    const at = l.indexOf(STATE_LINE_PREFIX);
    if (at >= 0) {
      const s = JSON.parse(gunzipSync(Buffer.from(l.slice(at + STATE_LINE_PREFIX.length), 'base64')).toString('utf8')) as ShardState;
      return s.format === STATE_FORMAT ? s : null;
    }
  }
  return null;
}
