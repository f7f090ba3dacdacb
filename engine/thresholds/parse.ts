// k6 threshold expressions: https://grafana.com/docs/k6/latest/using-k6/thresholds/
//   "p(95)<3000", "avg<=200", "med<150", "rate<0.05", "count>0", "value>=1"
// and metric keys with submetric tag filters: "llm_ttft{model:gpt-4.1,stream:true}".
export type Op = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';
export type Agg = { kind: 'p'; p: number } | { kind: 'avg' | 'min' | 'max' | 'med' | 'rate' | 'count' | 'value' };
export interface ThresholdExpr { source: string; agg: Agg; op: Op; value: number }
export interface ThresholdSpec extends ThresholdExpr { abortOnFail: boolean; delayAbortEvalMs: number }
export interface MetricKey { source: string; metric: string; tags: Record<string, string> }

export class ThresholdError extends Error {}

export const AGGREGATIONS = ['avg', 'min', 'max', 'med', 'p(N)', 'rate', 'count', 'value'];
const RE = /^\s*(p\((\d+(?:\.\d+)?)\)|avg|min|max|med|rate|count|value)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/;

export function parseExpr(src: string): ThresholdExpr {
  const m = RE.exec(src);
  if (!m) throw new ThresholdError(`bad threshold "${src}": expected AGG OP NUMBER with AGG one of ${AGGREGATIONS.join(', ')} and OP one of <, <=, >, >=, ==, != (e.g. "p(95)<3000", "rate<0.05")`);
  const agg: Agg = m[2] !== undefined ? { kind: 'p', p: Number(m[2]) } : { kind: m[1] as 'avg' };
  if (agg.kind === 'p' && (agg.p < 0 || agg.p > 100)) throw new ThresholdError(`bad threshold "${src}": percentile must be within 0..100`);
  return { source: src, agg, op: m[3] as Op, value: Number(m[4]) };
}

export function parseMetricKey(key: string): MetricKey {
  const m = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\{(.*)\})?$/.exec(key.trim());
  if (!m) throw new ThresholdError(`bad threshold metric "${key}": expected NAME or NAME{tag:value,...}`);
  const tags: Record<string, string> = {};
  if (m[2] !== undefined) {
    for (const part of m[2].split(',')) {
      const i = part.indexOf(':');
      if (i <= 0) throw new ThresholdError(`bad submetric "${key}": tag filters are tag:value, e.g. llm_ttft{model:gpt-4.1}`);
      tags[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
  }
  return { source: key, metric: m[1]!, tags };
}

type RawThreshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

export function parseThresholdList(list: RawThreshold[] | RawThreshold, parseDur: (s: string) => number): ThresholdSpec[] {
  const arr = Array.isArray(list) ? list : [list];
  return arr.map((t) => {
    if (typeof t === 'string') return { ...parseExpr(t), abortOnFail: false, delayAbortEvalMs: 0 };
    if (!t || typeof t.threshold !== 'string') throw new ThresholdError(`bad threshold ${JSON.stringify(t)}: use a string or {threshold, abortOnFail, delayAbortEval}`);
    return { ...parseExpr(t.threshold), abortOnFail: !!t.abortOnFail, delayAbortEvalMs: t.delayAbortEval ? parseDur(t.delayAbortEval) : 0 };
  });
}

export const VALID_AGGS: Record<string, string[]> = {
  trend: ['avg', 'min', 'max', 'med', 'p'],
  counter: ['count', 'rate'],
  rate: ['rate'],
  gauge: ['value', 'min', 'max'],
};

export function compare(a: number, op: Op, b: number): boolean {
  switch (op) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '==': case '===': return a === b;
    case '!=': return a !== b;
  }
}
