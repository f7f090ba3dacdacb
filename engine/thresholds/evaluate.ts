// Threshold evaluation over the metric store, during the run (abortOnFail) and at the end.
import type { MetricStore, Agg } from '../metrics/store.ts';
import type { ThresholdSet } from '../config/options.ts';
import { compare, VALID_AGGS, type Agg as AggSpec } from './parse.ts';
import { CliError, EXIT } from '../exitcodes.ts';

export interface ThresholdResult { metric: string; key: string; source: string; ok: boolean; actual: number | null; abortOnFail: boolean }

export function aggValue(agg: Agg, spec: AggSpec, durationS: number): number | null {
  switch (spec.kind) {
    case 'p': return agg.sk && agg.sk.count ? agg.sk.quantile(spec.p / 100) : null;
    case 'avg': return agg.sk && agg.sk.count ? agg.sk.avg : null;
    case 'med': return agg.sk && agg.sk.count ? agg.sk.quantile(0.5) : null;
    case 'min': return agg.kind === 'gauge' ? (agg.min === Infinity ? null : agg.min) : agg.sk && agg.sk.count ? agg.sk.min : null;
    case 'max': return agg.kind === 'gauge' ? (agg.max === -Infinity ? null : agg.max) : agg.sk && agg.sk.count ? agg.sk.max : null;
    case 'count': return agg.sum;
    case 'rate': return agg.kind === 'counter' ? (durationS > 0 ? agg.sum / durationS : 0) : agg.total ? agg.trues / agg.total : null;
    case 'value': return agg.last;
  }
}

/** Checks at start that each threshold names a known metric and an aggregation its type has. */
export function validateThresholds(sets: ThresholdSet[], store: MetricStore): void {
  for (const set of sets) {
    const def = store.defs.get(set.key.metric);
    if (!def) {
      const known = [...store.defs.keys()].sort().join(', ');
      throw new CliError(`threshold on unknown metric "${set.key.metric}": declare it in the script (new Trend('${set.key.metric}')) or use one of ${known}`, EXIT.INVALID_CONFIG);
    }
    for (const s of set.specs) {
      const ok = VALID_AGGS[def.type]!.includes(s.agg.kind);
      if (!ok) throw new CliError(`bad threshold "${s.source}" on ${set.key.metric}: a ${def.type} supports ${VALID_AGGS[def.type]!.map((a) => (a === 'p' ? 'p(N)' : a)).join(', ')}`, EXIT.INVALID_CONFIG);
    }
  }
}

export function evaluate(sets: ThresholdSet[], store: MetricStore, durationS: number): ThresholdResult[] {
  const out: ThresholdResult[] = [];
  for (const set of sets) {
    const agg = store.aggregate(set.key.metric, set.key.tags);
    for (const s of set.specs) {
      // as k6: a metric with no samples has all its values 0 (so `count>0` fails on it)
      const actual = (agg ? aggValue(agg, s.agg, durationS) : null) ?? 0;
      const ok = compare(actual, s.op, s.value);
      out.push({ metric: set.key.metric, key: set.key.source, source: s.source, ok, actual, abortOnFail: s.abortOnFail });
    }
  }
  return out;
}
