// The comparison table (`llmload compare`): one row per provider (or provider and model), in
// the seed article's layout, from the per-request logs of one or more runs. Formulas:
// docs/METRICS.md, "Comparing providers". Pure given its inputs.
import type { RequestRecord } from '../../lib/llm/types.ts';
import { PROVIDERS } from '../../lib/providers/registry.ts';
import { priceFor, costUsd, toCny } from '../../lib/pricing/index.ts';
import { bootstrap, bootstrapDiff, clearBest, pStat, quantile, wilson, rateDiff, type Interval } from './stats.ts';

export interface RunData {
  /** the results folder's name */
  name: string;
  durationS: number;
  records: RequestRecord[];
  /** attempt-level 429 counts per provider\u0000model from the summary (records keep the last attempt) */
  rateLimited: Map<string, number>;
  /** the row label when a provider's runs are rows of their own (--label; default: name) */
  label?: string;
  /** the script, each scenario's load in words, and the workload: runs differ when these do */
  load?: { script: string; scenarios: string[]; workload?: string };
}

export interface CompareOptions {
  by: 'provider' | 'model';
  baseline?: string;
  bootstrap: number;
  seed: number;
  monthlyRequests?: number;
  monthlyTokens?: { input: number; output: number };
  cnyPerUsd?: number;
}

export const COLUMNS = ['ttft_p50', 'ttft_p95', 'e2e_p50', 'e2e_p95', 'error_rate'] as const;
export type Column = (typeof COLUMNS)[number];

export interface Row {
  key: string;
  provider: string;
  model: string | null;
  runs: string[];
  requests: number;
  /** complete answers per second (the field's throughput); rps_all: every call per second */
  rps: number;
  rps_all: number;
  success_pct: number;
  errors_by_kind: Record<string, number>;
  incomplete: number;
  /** share of requests that met the run's goodput bounds (null: no bounds set) */
  good_pct: number | null;
  rate_limited: number;
  retries: number;
  ttft_p50: number | null; ttft_p95: number | null; ttft_p99: number | null;
  e2e_p50: number | null; e2e_p95: number | null; e2e_p99: number | null;
  itl_p50: number | null;
  /** tokens per successful request: prompt and answer, p50 and p95 (what the workload sent) */
  in_tok_p50: number | null; in_tok_p95: number | null; out_tok_p50: number | null; out_tok_p95: number | null;
  /** prompt tokens served from the provider's cache, as a share of all input (%) */
  cache_hit_pct: number | null;
  output_tokens: number;
  input_tokens: number;
  output_tokens_per_s: number;
  cost_usd: number;
  cost_cny: number;
  usd_per_m_output: number | null;
  cny_per_m_output: number | null;
  monthly_usd: number | null;
  monthly_cny: number | null;
  /** 95 % intervals (bootstrap) of the marked columns */
  ci: Record<Column, Interval | null>;
  /** the column's clear best (interval excludes the runner-up's) */
  best: Column[];
  /** TTFT at q = 0, 0.01, …, 1 (the HTML page's CDF) */
  ttft_cdf: number[];
  /** per second since the provider's first request: requests, errors, median TTFT and e2e */
  timeline: Array<{ s: number; requests: number; errors: number; ttft_p50: number | null; e2e_p50: number | null }>;
}

export interface Difference { key: string; baseline: string; column: Column; diff: Interval; significant: boolean }

export interface Comparison {
  rows: Row[]; differences: Difference[]; baseline: string | null; method: string; options: CompareOptions;
  /** what makes the rows unlike: runs under different scripts, loads or workloads (then no ★) */
  warnings: string[];
}

const round = (x: number, d = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** d) / 10 ** d : x);
const q = (xs: number[], p: number) => (xs.length ? round(quantile(xs, p)) : null);

export function compare(runs: RunData[], o: CompareOptions): Comparison {
  interface Group { provider: string; model: string | null; runs: Set<string>; recs: RequestRecord[]; durationS: number; rateLimited: number }
  const groups = new Map<string, Group>();
  const baseKey0 = (provider: string, model: string) => (o.by === 'model' ? `${provider} ${model}` : provider);
  // a provider in more than one run (before/after, two regions): each run its own row, named by
  // its label or folder — pooling them would hide the very difference asked about
  const labels = uniqueLabels(runs);
  const runsOf = new Map<string, Set<number>>();
  runs.forEach((run, i) => { for (const r of run.records) { const k = baseKey0(r.provider, r.model); let s = runsOf.get(k); if (!s) runsOf.set(k, (s = new Set())); s.add(i); } });
  const keyOf = (provider: string, model: string, i: number) => { const k = baseKey0(provider, model); return (runsOf.get(k)?.size ?? 0) > 1 ? `${k} @ ${labels[i]}` : k; };
  for (const [ri, run] of runs.entries()) {
    const seenInRun = new Set<string>();
    for (const r of run.records) {
      const key = keyOf(r.provider, r.model, ri);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { provider: r.provider, model: o.by === 'model' ? r.model : null, runs: new Set(), recs: [], durationS: 0, rateLimited: 0 }));
      g.recs.push(r);
      if (!seenInRun.has(key)) { seenInRun.add(key); g.runs.add(run.name); g.durationS += run.durationS; }
    }
    for (const [pm, n] of run.rateLimited) {
      const [provider, model] = pm.split('\u0000') as [string, string];
      const g = groups.get(keyOf(provider, model, ri));
      if (g) g.rateLimited += n;
    }
  }
  const rows: Row[] = [];
  const samples = new Map<string, Record<Column, number[]>>();
  for (const [key, g] of groups) {
    // success is a complete answer: an incomplete stream (cut before its finish) is dropped
    // work in every view, as in the run's own summary (llm_incomplete)
    const ok = g.recs.filter((r) => r.error_kind === null && !r.incomplete);
    const ttft = ok.map((r) => r.ttft_ms).filter((x): x is number => x !== null);
    const e2e = ok.map((r) => r.e2e_ms).filter((x): x is number => x !== null);
    const errs: number[] = g.recs.map((r) => (r.error_kind === null && !r.incomplete ? 0 : 1));
    const failed = errs.reduce((a, b) => a + b, 0);
    const errorsByKind: Record<string, number> = {};
    for (const r of g.recs) if (r.error_kind) errorsByKind[r.error_kind] = (errorsByKind[r.error_kind] ?? 0) + 1;
    const out = g.recs.reduce((a, r) => a + r.out_tok, 0);
    const inp = g.recs.reduce((a, r) => a + r.in_tok, 0);
    const cost = g.recs.reduce((a, r) => a + r.cost_usd, 0);
    const cny = toCny(cost, PROVIDERS[g.provider]?.cnyPerUsd, o.cnyPerUsd);
    const itl = ok.map((r) => r.itl?.p50).filter((x): x is number => x !== undefined);
    // monthly projection: the run's cost per request × N, or N tokens at the run's model mix
    let monthly: number | null = null;
    if (o.monthlyRequests !== undefined && g.recs.length) monthly = (cost / g.recs.length) * o.monthlyRequests;
    else if (o.monthlyTokens) {
      const byModel = new Map<string, number>();
      for (const r of g.recs) byModel.set(r.model, (byModel.get(r.model) ?? 0) + 1);
      let blended = 0, priced = 0;
      for (const [m, n] of byModel) {
        const p = priceFor(g.provider, m);
        if (!p) continue;
        blended += (n / g.recs.length) * costUsd(p, o.monthlyTokens.input, o.monthlyTokens.output);
        priced += n;
      }
      monthly = priced ? blended : null;
    }
    const cols: Record<Column, number[]> = { ttft_p50: ttft, ttft_p95: ttft, e2e_p50: e2e, e2e_p95: e2e, error_rate: errs };
    samples.set(key, cols);
    const seed = (o.seed * 7919 + rows.length * 104729) >>> 0;
    rows.push({
      key, provider: g.provider, model: g.model, runs: [...g.runs],
      requests: g.recs.length, rps: round(ok.length / Math.max(g.durationS, 1e-9)), rps_all: round(g.recs.length / Math.max(g.durationS, 1e-9)),
      success_pct: g.recs.length ? round((100 * ok.length) / g.recs.length) : 0,
      errors_by_kind: errorsByKind, incomplete: g.recs.filter((r) => r.incomplete).length,
      good_pct: (() => { const judged = g.recs.filter((r) => r.good !== null && r.good !== undefined); return judged.length ? round((100 * judged.filter((r) => r.good).length) / judged.length) : null; })(),
      rate_limited: g.rateLimited, retries: g.recs.reduce((a, r) => a + r.retries, 0),
      ttft_p50: q(ttft, 0.5), ttft_p95: q(ttft, 0.95), ttft_p99: q(ttft, 0.99),
      e2e_p50: q(e2e, 0.5), e2e_p95: q(e2e, 0.95), e2e_p99: q(e2e, 0.99),
      itl_p50: q(itl, 0.5),
      in_tok_p50: q(ok.map((r) => r.in_tok), 0.5), in_tok_p95: q(ok.map((r) => r.in_tok), 0.95),
      out_tok_p50: q(ok.map((r) => r.out_tok), 0.5), out_tok_p95: q(ok.map((r) => r.out_tok), 0.95),
      cache_hit_pct: inp ? round((100 * g.recs.reduce((a, r) => a + ((r as { cached_tok?: number }).cached_tok ?? 0), 0)) / inp) : null,
      output_tokens: out, input_tokens: inp, output_tokens_per_s: round(out / Math.max(g.durationS, 1e-9)),
      cost_usd: round(cost, 6), cost_cny: round(cny, 6),
      usd_per_m_output: out ? round((cost / out) * 1e6, 4) : null, cny_per_m_output: out ? round((cny / out) * 1e6, 4) : null,
      monthly_usd: monthly === null ? null : round(monthly, 2), monthly_cny: monthly === null ? null : round(toCny(monthly, PROVIDERS[g.provider]?.cnyPerUsd, o.cnyPerUsd), 2),
      ci: {
        ttft_p50: ttft.length ? bootstrap(ttft, pStat(0.5), o.bootstrap, seed + 1) : null,
        ttft_p95: ttft.length ? bootstrap(ttft, pStat(0.95), o.bootstrap, seed + 2) : null,
        e2e_p50: e2e.length ? bootstrap(e2e, pStat(0.5), o.bootstrap, seed + 3) : null,
        e2e_p95: e2e.length ? bootstrap(e2e, pStat(0.95), o.bootstrap, seed + 4) : null,
        error_rate: errs.length ? wilson(failed, errs.length) : null,
      },
      best: [],
      ttft_cdf: ttft.length ? Array.from({ length: 101 }, (_, i) => round(quantile(ttft, i / 100))) : [],
      timeline: timeline(g.recs),
    });
  }
  rows.sort((a, b) => (a.ttft_p50 ?? Infinity) - (b.ttft_p50 ?? Infinity) || a.key.localeCompare(b.key));
  const warnings = loadWarnings(runs, labels);
  if (!warnings.length) for (const c of COLUMNS) {
    const i = clearBest(rows.map((r) => r.ci[c]));
    if (i !== null) rows[i]!.best.push(c);
  }
  const baseKey = o.baseline ? rows.find((r) => r.key === o.baseline || r.provider === o.baseline)?.key ?? null : rows[0]?.key ?? null;
  if (o.baseline && !baseKey) throw new Error(`--baseline "${o.baseline}" is not in the comparison: choose one of ${rows.map((r) => r.key).join(', ')}`);
  const differences: Difference[] = [];
  if (baseKey) {
    const base = samples.get(baseKey)!;
    for (const r of rows) {
      if (r.key === baseKey) continue;
      const s = samples.get(r.key)!;
      COLUMNS.forEach((c, j) => {
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const diff = c === 'error_rate' ? rateDiff(sum(s[c]), s[c].length, sum(base[c]), base[c].length)
          : bootstrapDiff(s[c], base[c], pStat(c.endsWith('p95') ? 0.95 : 0.5), o.bootstrap, (o.seed * 31 + j) >>> 0);
        if (Number.isFinite(diff.estimate)) differences.push({ key: r.key, baseline: baseKey, column: c, diff, significant: diff.lo > 0 || diff.hi < 0 });
      });
    }
  }
  return { rows, differences, baseline: baseKey, warnings, method: `percentile bootstrap, ${o.bootstrap} resamples of each provider's requests, seed ${o.seed}, for latencies; Wilson score intervals for the error rate (Newcombe's for its differences); 95 % intervals; a best value is marked only when its interval excludes the runner-up's, and only between runs of the same load; success means a complete answer (errors and incomplete streams are not)`, options: o };
}

/** a row label per run: --label, else the folder's name; repeated names get #2, #3 */
function uniqueLabels(runs: RunData[]): string[] {
  const seen = new Map<string, number>();
  return runs.map((r) => {
    const l = r.label ?? r.name;
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l}#${n}`;
  });
}

/** runs under different scripts, loads or workloads: one line each saying how they differ */
function loadWarnings(runs: RunData[], labels: string[]): string[] {
  const withLoad = runs.map((r, i) => ({ label: labels[i]!, load: r.load })).filter((x) => x.load);
  if (withLoad.length < 2) return [];
  const out: string[] = [];
  const differ = (f: (l: NonNullable<RunData['load']>) => string, what: string) => {
    const vals = withLoad.map((x) => f(x.load!));
    if (new Set(vals).size > 1) out.push(`the runs' ${what} differ: ${withLoad.map((x, i) => `${x.label}: ${vals[i]}`).join('; ')}`);
  };
  differ((l) => l.script, 'scripts');
  differ((l) => l.scenarios.join(' + '), 'loads');
  differ((l) => l.workload ?? 'not stated', 'workloads');
  return out;
}

function timeline(recs: RequestRecord[]): Row['timeline'] {
  if (!recs.length) return [];
  const t0 = Math.min(...recs.map((r) => r.t));
  const buckets = new Map<number, RequestRecord[]>();
  for (const r of recs) {
    const s = Math.floor((r.t - t0) / 1000);
    let b = buckets.get(s);
    if (!b) buckets.set(s, (b = []));
    b.push(r);
  }
  return [...buckets.keys()].sort((a, b) => a - b).map((s) => {
    const b = buckets.get(s)!;
    const ok = b.filter((r) => r.error_kind === null);
    const t = ok.map((r) => r.ttft_ms).filter((x): x is number => x !== null);
    const e = ok.map((r) => r.e2e_ms).filter((x): x is number => x !== null);
    return { s, requests: b.length, errors: b.length - ok.length, ttft_p50: t.length ? round(quantile(t, 0.5)) : null, e2e_p50: e.length ? round(quantile(e, 0.5)) : null };
  });
}
