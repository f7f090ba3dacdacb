// Many shards → one result. Counts add exactly (counter sums, rate numerators and
// denominators, check passes); gauges add across shards (VUs of every shard); trends merge
// their sketches bucket by bucket, which is exact: the merged sketch is the sketch of the
// union, so a merged quantile carries the same bound as one run's (≤ 1 %, docs/METRICS.md).
// Coverage: the shards' segments must tile the plan's sequence; a missing one is named.
import { MetricStore } from '../metrics/store.ts';
import { parseMetricKey, parseThresholdList } from '../thresholds/parse.ts';
import { parseDuration } from '../../lib/duration.ts';
import { segmentString } from '../segments.ts';
import { sequenceSegments } from './barrier.ts';
import { llmSection } from '../summary/llm.ts';
import type { ThresholdSet } from '../config/options.ts';
import type { ShardState } from './state.ts';

export class MergeError extends Error {}

export interface Coverage {
  expected: Array<{ segment: string; name: string | null }>;
  missing: Array<{ segment: string; name: string | null }>;
}

/** the shards must come from one plan (same test, script, sequence) and not repeat a segment */
export function checkCoverage(states: ShardState[]): Coverage {
  if (!states.length) throw new MergeError('no shard results to merge: pass the shards\' summary.json files or result folders (or `kubectl logs` output holding their state lines)');
  const first = states[0]!;
  for (const s of states) {
    if (s.bundle_sha256 !== first.bundle_sha256) throw new MergeError(`shards ran different scripts: ${first.instance_id ?? first.segment} ran bundle ${first.bundle_sha256.slice(0, 12)}, ${s.instance_id ?? s.segment} ran ${s.bundle_sha256.slice(0, 12)}`);
    if ((s.sequence ?? null) !== (first.sequence ?? null)) throw new MergeError(`shards come from different plans: segment sequence "${first.sequence}" and "${s.sequence}"`);
  }
  const seen = new Map<string, ShardState>();
  for (const s of states) {
    const o = seen.get(s.segment);
    if (o) throw new MergeError(`segment ${s.segment} is given twice (${o.instance_id ?? 'a shard'} and ${s.instance_id ?? 'another'}): pass each shard once`);
    seen.set(s.segment, s);
  }
  const names = first.segment_names;
  const expected = first.sequence
    ? sequenceSegments(first.sequence).map((g, i) => ({ segment: segmentString(g), name: names?.[i] ?? null }))
    : [{ segment: '0:1', name: null }];
  for (const s of states) if (!expected.some((e) => e.segment === s.segment)) throw new MergeError(`segment ${s.segment} of ${s.instance_id ?? 'a shard'} is not in the plan's sequence ${first.sequence ?? '0,1'}`);
  return { expected, missing: expected.filter((e) => !seen.has(e.segment)) };
}

/** one store from the shards, intervals aligned on the earliest shard's t = 0 */
export function mergeStores(states: ShardState[]): { store: MetricStore; t0Epoch: number; durationMs: number } {
  const store = new MetricStore();
  const t0 = Math.min(...states.map((s) => s.t0_epoch_ms));
  let end = 0;
  states.forEach((s, k) => ingestShard(store, s, `shard${k}`, t0));
  for (const s of states) end = Math.max(end, s.t0_epoch_ms - t0 + s.duration_ms);
  return { store, t0Epoch: t0, durationMs: end };
}

function ingestShard(store: MetricStore, s: ShardState, source: string, t0: number): void {
  // the whole-run series add exactly (gauges: the sum of each shard's last value); the
  // per-second digests line up on one clock: shards that started together share their
  // seconds, one that started late (no barrier) is shifted by whole seconds
  const shift = Math.round((s.t0_epoch_ms - t0) / 1000) * 1000;
  store.ingest({ at: 0, defs: s.defs, series: s.series, checks: s.checks }, source, false);
  for (const d of s.digests) store.mergeDigest({ ...d, at: d.at + shift });
}

/** the script's thresholds, as the shards carried them */
export function thresholdSets(raw: Record<string, unknown>): ThresholdSet[] {
  return Object.entries(raw).map(([key, list]) => ({ key: parseMetricKey(key), specs: parseThresholdList(list as never, (x) => parseDuration(x, `delayAbortEval of ${key}`)) }));
}

export interface GroupRow {
  name: string; shards: number; iterations: number; requests: number; errors: number; errors_by_kind: Record<string, number>; rate_limited: number;
  ttft_p50: number | null; ttft_p95: number | null; ttft_p99: number | null; cost_usd: number; share: number;
  start_skew_ms: number | null;
}

/** per zone and per instance: each group's shards merged on their own */
export function groupRows(states: ShardState[], key: (s: ShardState) => string, totalRequests: number): GroupRow[] {
  const groups = new Map<string, ShardState[]>();
  for (const s of states) { const k = key(s); groups.set(k, [...(groups.get(k) ?? []), s]); }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, ss]) => {
    const { store, durationMs } = mergeStores(ss);
    const t = llmSection(store, durationMs / 1000)?.totals;
    const iterations = store.aggregate('iterations')?.sum ?? 0;
    const skews = ss.map((s) => s.start.skew_ms).filter((x): x is number => x !== null);
    return {
      name, shards: ss.length, iterations, requests: t?.requests ?? 0, errors: t?.errors ?? 0, errors_by_kind: t?.errors_by_kind ?? {}, rate_limited: t?.rate_limited ?? 0,
      ttft_p50: t?.ttft_p50 ?? null, ttft_p95: t?.ttft_p95 ?? null, ttft_p99: t?.ttft_p99 ?? null, cost_usd: t?.cost_usd ?? 0,
      // the share of LLM requests, or of iterations in a run that makes none
      share: totalRequests ? Math.round((10000 * (t ? t.requests : iterations)) / totalRequests) / 10000 : 0,
      start_skew_ms: skews.length ? skews.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a)) : null,
    };
  });
}
