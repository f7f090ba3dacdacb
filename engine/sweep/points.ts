// One point of a sweep per provider and step, from the step's per-request log over its steady
// window (the step's warm-up left out): throughput, latency quantiles, errors, goodput, with
// 95 % intervals for the charted values (docs/METRICS.md, "Sweeps"). Pure.
import type { RequestRecord } from '../../lib/llm/types.ts';
import { bootstrap, bootstrapDiff, meanStat, pStat, quantile, type Interval } from '../compare/stats.ts';

export interface Quantiles { p50: number | null; p90: number | null; p99: number | null }

export interface SweepPoint {
  provider: string;
  load: number;
  /** calls in the steady window (every outcome), complete answers among them */
  requests: number; ok: number;
  /** errors and incomplete streams, % of requests */
  error_pct: number;
  /** complete answers per second (the work done in the steady window), and every call
   *  dispatched in it per second */
  rps: number; rps_all: number;
  /** output tokens of complete answers per second over the steady window, all users together */
  out_tok_s: number;
  /** per user: the median over requests of the stream's decode speed, 1000 ÷ TPOT */
  out_tok_s_per_user: number | null;
  ttft_ms: Quantiles; tpot_ms: Quantiles; e2e_ms: Quantiles;
  /** each request's median inter-event gap, its p50/p90/p99 over requests (the log keeps
   *  per-request ITL summaries, not every gap) */
  itl_ms: Quantiles;
  good_pct: number | null;
  /** 95 % intervals: TTFT p50 (bootstrap of requests), successful rps and output tok/s
   *  (bootstrap of the steady window's per-second counts) */
  ci: { ttft_p50: Interval | null; rps: Interval | null; out_tok_s: Interval | null };
  /** samples for comparisons between providers at this step (not written out) */
  samples?: { ttft: number[] };
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const qs = (xs: number[]): Quantiles => (xs.length ? { p50: r2(quantile(xs, 0.5)), p90: r2(quantile(xs, 0.9)), p99: r2(quantile(xs, 0.99)) } : { p50: null, p90: null, p99: null });
const roundIv = (iv: Interval): Interval => ({ estimate: r2(iv.estimate), lo: r2(iv.lo), hi: r2(iv.hi) });

/** `all`: one provider's calls of one step, its warm-up's included (marked); `steadyStart`
 *  (Unix ms) and `steadyS`: the steady window.
 *  Rates count the work done inside the window: each complete answer contributes the share of
 *  its dispatch→end span that lies in it (and as much of its output tokens). Counting whole
 *  requests by dispatch second read ±25 % in a 1.5 s window of 0.39 s requests (3 or 4 per VU),
 *  and a request in flight at the window's start was missed or counted whole. Latencies, errors
 *  and goodput are over the calls dispatched in the window (the warm-up's left out). */
export function sweepPoint(provider: string, load: number, all: RequestRecord[], steadyStart: number, steadyS: number, seed = 1): SweepPoint {
  const records = all.filter((r) => !r.warmup);
  const ok = records.filter((r) => r.error_kind === null && !r.incomplete);
  const ttft = ok.map((r) => r.ttft_ms).filter((x): x is number => x !== null);
  const tpot = ok.map((r) => r.tpot_ms).filter((x): x is number => typeof x === 'number' && x > 0);
  const e2e = ok.map((r) => r.e2e_ms).filter((x): x is number => x !== null);
  const itl = ok.map((r) => r.itl?.p50).filter((x): x is number => typeof x === 'number');
  const judged = records.filter((r) => r.good !== null && r.good !== undefined);
  // the work done in the window, and per second of it (the rates' intervals)
  const end = steadyStart + steadyS * 1000;
  const bins = Math.max(1, Math.round(steadyS));
  const binMs = (steadyS * 1000) / bins;
  const okPerS = new Array<number>(bins).fill(0), tokPerS = new Array<number>(bins).fill(0);
  let done = 0, tokens = 0;
  for (const r of all) {
    if (r.error_kind !== null || r.incomplete || r.e2e_ms === null || !(r.e2e_ms > 0)) continue;
    const a = r.t, b = r.t + r.e2e_ms;
    if (b <= steadyStart || a >= end) continue;
    for (let k = Math.max(0, Math.floor((a - steadyStart) / binMs)); k < bins && steadyStart + k * binMs < b; k++) {
      const lo = Math.max(a, steadyStart + k * binMs), hi = Math.min(b, steadyStart + (k + 1) * binMs);
      if (hi <= lo) continue;
      const share = (hi - lo) / r.e2e_ms;
      okPerS[k]! += share / (binMs / 1000); tokPerS[k]! += (share * r.out_tok) / (binMs / 1000);
      done += share; tokens += share * r.out_tok;
    }
  }
  const s = Math.max(steadyS, 1e-9);
  return {
    provider, load, requests: records.length, ok: ok.length,
    error_pct: records.length ? r2((100 * (records.length - ok.length)) / records.length) : 0,
    rps: r2(done / s), rps_all: r2(records.length / s), out_tok_s: r2(tokens / s),
    out_tok_s_per_user: tpot.length ? r2(quantile(tpot.map((t) => 1000 / t), 0.5)) : null,
    ttft_ms: qs(ttft), tpot_ms: qs(tpot), e2e_ms: qs(e2e), itl_ms: qs(itl),
    good_pct: judged.length ? r2((100 * judged.filter((r) => r.good).length) / judged.length) : null,
    ci: {
      ttft_p50: ttft.length >= 2 ? roundIv(bootstrap(ttft, pStat(0.5), 1000, seed)) : null,
      rps: bins >= 2 ? roundIv(bootstrap(okPerS, meanStat, 1000, seed + 1)) : null,
      out_tok_s: bins >= 2 ? roundIv(bootstrap(tokPerS, meanStat, 1000, seed + 2)) : null,
    },
    samples: { ttft },
  };
}

/** at one step: is the TTFT p50 difference between two providers real (its 95 % bootstrap
 *  interval excludes 0)? */
export function separated(a: SweepPoint, b: SweepPoint, seed = 1): { diff: Interval; real: boolean } | null {
  const x = a.samples?.ttft ?? [], y = b.samples?.ttft ?? [];
  if (x.length < 2 || y.length < 2) return null;
  const diff = roundIv(bootstrapDiff(x, y, pStat(0.5), 1000, seed));
  return { diff, real: diff.lo > 0 || diff.hi < 0 };
}
