// Metric values in the shape of k6's handleSummary data:
// https://grafana.com/docs/k6/latest/results-output/end-of-test/custom-summary/
import type { Agg } from '../metrics/store.ts';

export function statValue(agg: Agg, stat: string): number {
  const sk = agg.sk;
  if (!sk || sk.count === 0) return 0;
  switch (stat) {
    case 'avg': return sk.avg;
    case 'min': return sk.min;
    case 'max': return sk.max;
    case 'med': return sk.quantile(0.5);
    case 'count': return sk.count;
    default: {
      const m = /^p\((\d+(?:\.\d+)?)\)$/.exec(stat);
      return m ? sk.quantile(Number(m[1]) / 100) : 0;
    }
  }
}

export function metricValues(agg: Agg, trendStats: string[], durationS: number): Record<string, number> {
  switch (agg.kind) {
    case 'counter': return { count: agg.sum, rate: durationS > 0 ? agg.sum / durationS : 0 };
    case 'gauge': return { value: agg.last, min: agg.min === Infinity ? 0 : agg.min, max: agg.max === -Infinity ? 0 : agg.max };
    case 'rate': return { rate: agg.total ? agg.trues / agg.total : 0, passes: agg.trues, fails: agg.total - agg.trues };
    case 'trend': {
      const v: Record<string, number> = {};
      for (const s of trendStats) v[s] = statValue(agg, s);
      return v;
    }
  }
}
