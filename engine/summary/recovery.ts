// Recovery after a spike (docs/METRICS.md, "Recovery"): for a run whose load rises from a
// baseline to a peak and comes back, how long the target took to behave as it did before.
// Raw facts: the per-request log (dispatch time, TTFT, error) — not the 1-second intervals,
// which file a request under the second it *ended* (a 5-second stream lands 5 s late).
//  - the spike: from where the scheduled load (VUs or arrival rate) leaves the pre-spike
//    baseline on its way up to where it falls back below half-way from baseline to peak, with
//    a baseline on both sides;
//  - windows of `window` seconds sliding by a quarter of it; a window is within tolerance when
//    its TTFT p95 ≤ baseline p95 × (1 + ttftTolerance) and its errors are no more than chance
//    allows at an error rate of baseline + errorTolerance: at most the 0.99 quantile of
//    Binomial(requests in the window, baseline rate + errorTolerance) (baseline: every request
//    dispatched before the spike, after the first window). A plain rate limit judged windows of
//    a few requests by coin flips: at 4 VUs after the seed's spike a 2 s window holds 2–6
//    requests, so one error in 50 (the baseline's own rate) put it at 17–50 % and the run "never
//    recovered" about one time in three (test/results.test.ts in CI, 2026-12-05);
//  - recovery: from the spike's start to the start of the first window after which every
//    window until the load leaves the post-spike baseline is within tolerance; also reported
//    from the spike's end (0 when the target recovered before the load came down);
//  - the worst window: the one furthest outside tolerance during the spike.
import { vusAt } from '../executors/schedule.ts';
import type { Scenario } from '../config/options.ts';

export interface Spike { startMs: number; endMs: number; afterEndMs: number; base: number; peak: number }
export interface RecoveryOptions { windowMs: number; ttftTolerance: number; errorTolerance: number }
export const RECOVERY_DEFAULTS: RecoveryOptions = { windowMs: 2000, ttftTolerance: 0.5, errorTolerance: 0.02 };

/** the scheduled load of a scenario at t (ms from the test's start): VUs or arrivals/s */
function loadAt(sc: Scenario, t: number): number {
  const local = t - sc.startTimeMs;
  if (local < 0) return 0;
  if (sc.executor === 'ramping-vus') return vusAt(local, sc.startVUs, sc.stages);
  if (sc.executor === 'ramping-arrival-rate') {
    let from = sc.startRate, at = 0;
    for (const st of sc.stages) {
      if (local < at + st.durationMs) return from + (st.target - from) * (st.durationMs ? (local - at) / st.durationMs : 1);
      at += st.durationMs; from = st.target;
    }
    return 0;
  }
  return 0;
}

/** What makes a spike (and not a ramp): a baseline load held unchanged for SPIKE_RULES.heldMs
 *  before the rise, a rise to the peak (≥ 2× the baseline) within riseMs, and the load back at
 *  the baseline, held riseMs… heldMs after. The seed's ramps (short: 0→4→10→20 over 45 s) rise
 *  for tens of seconds from no held load: recovery is not measured there. PROFILE=spike holds
 *  4 VUs for 9 s and jumps to 40 in 1 s. */
export const SPIKE_RULES = { heldMs: 3000, riseMs: 2000 };

/** the first spike of the first ramping scenario that has one; null when none */
export function findSpike(scenarios: Scenario[]): Spike | null {
  const step = 100;
  const held = SPIKE_RULES.heldMs / step, rise = SPIKE_RULES.riseMs / step;
  for (const sc of scenarios) {
    if (sc.executor !== 'ramping-vus' && sc.executor !== 'ramping-arrival-rate') continue;
    const end = sc.startTimeMs + sc.stages.reduce((a, s) => a + s.durationMs, 0);
    const pts: Array<[number, number]> = [];
    for (let t = sc.startTimeMs; t <= end; t += step) pts.push([t, loadAt(sc, t)]);
    const peak = Math.max(...pts.map((p) => p[1]));
    const firstHi = pts.findIndex((p) => p[1] > 0 && p[1] >= peak * 0.75);
    if (firstHi <= 0) continue;
    // the baseline: the load of the last run of equal values before the rise, held long enough
    let s = firstHi - 1;
    while (s > 0 && pts[s]![1] > pts[s - 1]![1]) s--; // back down the rise to where it began
    const base = pts[s]![1];
    let h = s;
    while (h > 0 && pts[h - 1]![1] === base) h--;
    if (!(base > 0) || s - h + 1 < held || peak < 2 * base || firstHi - s > rise) continue;
    const mid = (base + peak) / 2;
    // the spike starts where the load leaves the baseline on its way up (requests sent while
    // it ramps already meet the rising load), and ends when it is back below half-way
    const m = pts.findIndex((p) => p[1] >= mid);
    let e = m;
    while (e < pts.length && pts[e]![1] >= mid) e++;
    if (e >= pts.length) continue;
    // back to the baseline afterwards (reached within the rise allowance), for as long as it stays
    let b = e;
    while (b < pts.length && pts[b]![1] !== base && b - e <= rise) b++;
    let after = b;
    while (after < pts.length && pts[after]![1] === base) after++;
    if (after - b < held) continue;
    return { startMs: pts[s]![0], endMs: pts[e]![0], afterEndMs: pts[after - 1]![0], base, peak };
  }
  return null;
}

export interface RequestFact { atMs: number; ttftMs: number | null; error: boolean }
export interface WindowStat { at_s: number; requests: number; ttft_p95_ms: number | null; error_rate: number; within: boolean }
export interface Recovery {
  spike: { start_s: number; end_s: number; baseline_load: number; peak_load: number };
  baseline: { ttft_p95_ms: number | null; error_rate: number; requests: number };
  window_s: number; tolerance: { ttft: string; errors: string };
  recovered: boolean;
  /** from the spike's start until every later window is within tolerance */
  recovery_s: number | null;
  /** the same instant, counted from the spike's end (0: recovered while the load was still high) */
  after_spike_end_s: number | null;
  worst_window: WindowStat | null;
}

/** The most errors a window of n requests shows by chance 99 times in 100 when its true error
 *  rate is p: the 0.99 quantile of Binomial(n, p), summed in log space (no underflow at large n). */
export function errorAllowance(n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const lr = Math.log(p) - Math.log1p(-p);
  let logPmf = n * Math.log1p(-p);
  let cdf = Math.exp(logPmf);
  let k = 0;
  while (cdf < 0.99 && k < n) {
    logPmf += Math.log((n - k) / (k + 1)) + lr;
    k++;
    cdf += Math.exp(logPmf);
  }
  return k;
}

function p95(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(0.95 * (s.length - 1)))]!;
}

export function measureRecovery(facts: RequestFact[], spike: Spike, o: RecoveryOptions = RECOVERY_DEFAULTS): Recovery {
  const W = o.windowMs, step = W / 4;
  const base = facts.filter((f) => f.atMs >= W && f.atMs < spike.startMs);
  const baseTtft = p95(base.filter((f) => !f.error && f.ttftMs !== null).map((f) => f.ttftMs!));
  const baseErr = base.length ? base.filter((f) => f.error).length / base.length : 0;
  const ttftLimit = baseTtft === null ? Infinity : baseTtft * (1 + o.ttftTolerance);
  const errLimit = baseErr + o.errorTolerance;
  const windows: WindowStat[] = [];
  for (let t = spike.startMs; t + W <= spike.afterEndMs; t += step) {
    const in_ = facts.filter((f) => f.atMs >= t && f.atMs < t + W);
    const tt = p95(in_.filter((f) => !f.error && f.ttftMs !== null).map((f) => f.ttftMs!));
    const errors = in_.filter((f) => f.error).length;
    const er = in_.length ? errors / in_.length : 0;
    windows.push({ at_s: round((t - spike.startMs) / 1000), requests: in_.length, ttft_p95_ms: tt === null ? null : round(tt), error_rate: round(er, 4), within: (tt === null || tt <= ttftLimit) && errors <= errorAllowance(in_.length, errLimit) });
  }
  // the first window from which every later one is within tolerance
  let k = windows.length;
  while (k > 0 && windows[k - 1]!.within) k--;
  const recovered = k < windows.length;
  const recovery = recovered ? windows[k]!.at_s : null;
  const during = windows.filter((w) => w.at_s * 1000 < spike.endMs - spike.startMs);
  const badness = (w: WindowStat) => Math.max(w.ttft_p95_ms === null || !Number.isFinite(ttftLimit) ? 0 : w.ttft_p95_ms / ttftLimit, errLimit > 0 ? w.error_rate / errLimit : 0);
  const worst = during.length ? during.reduce((a, b) => (badness(b) > badness(a) ? b : a)) : null;
  const spikeLen = (spike.endMs - spike.startMs) / 1000;
  return {
    spike: { start_s: round(spike.startMs / 1000), end_s: round(spike.endMs / 1000), baseline_load: spike.base, peak_load: spike.peak },
    baseline: { ttft_p95_ms: baseTtft === null ? null : round(baseTtft), error_rate: round(baseErr, 4), requests: base.length },
    window_s: W / 1000, tolerance: { ttft: `p95 ≤ baseline × ${1 + o.ttftTolerance}`, errors: `count ≤ 99th percentile of Binomial(n, baseline + ${o.errorTolerance})` },
    recovered, recovery_s: recovery, after_spike_end_s: recovery === null ? null : round(Math.max(0, recovery - spikeLen)),
    worst_window: worst,
  };
}

function round(x: number, d = 2): number { const f = 10 ** d; return Math.round(x * f) / f; }
