import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureRecovery, errorAllowance, type RequestFact } from './recovery.ts';

test('recovery: the first window after which every window is within tolerance, counted from the spike start and end', () => {
  const facts: RequestFact[] = [];
  // baseline TTFT 100 ms; during the first 6 s of a 20 s spike starting at 30 s TTFT is 900 ms
  // and 10 % of requests fail; afterwards 100 ms again
  for (let t = 0; t < 70_000; t += 50) {
    const bad = t >= 30_000 && t < 36_000;
    facts.push({ atMs: t, ttftMs: bad ? 900 : 100 + (t % 7), error: bad && t % 500 === 0 });
  }
  const r = measureRecovery(facts, { startMs: 30_000, endMs: 50_000, afterEndMs: 65_000, base: 4, peak: 40 });
  assert.equal(r.recovered, true);
  assert.equal(r.recovery_s, 6);
  assert.equal(r.after_spike_end_s, 0);
  assert.equal(r.worst_window!.ttft_p95_ms, 900);
  assert.ok(r.baseline.ttft_p95_ms! >= 100 && r.baseline.ttft_p95_ms! <= 106);
  // still degraded after the spike ends: counted from its end too
  const late = facts.map((f) => (f.atMs >= 30_000 && f.atMs < 54_000 ? { ...f, ttftMs: 900 } : f));
  const r2 = measureRecovery(late, { startMs: 30_000, endMs: 50_000, afterEndMs: 65_000, base: 4, peak: 40 });
  assert.equal(r2.recovery_s, 24);
  assert.equal(r2.after_spike_end_s, 4);
  // never back: not recovered
  const never = facts.map((f) => (f.atMs >= 30_000 ? { ...f, ttftMs: 900 } : f));
  assert.equal(measureRecovery(never, { startMs: 30_000, endMs: 50_000, afterEndMs: 65_000, base: 4, peak: 40 }).recovered, false);
});

test('errorAllowance: the 0.99 quantile of Binomial(n, p), exact against a direct sum', () => {
  const direct = (n: number, p: number) => {
    let cdf = 0;
    for (let k = 0; k <= n; k++) {
      let c = 1;
      for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
      cdf += c * p ** k * (1 - p) ** (n - k);
      if (cdf >= 0.99) return k;
    }
    return n;
  };
  for (const n of [1, 2, 5, 10, 40, 100]) for (const p of [0.001, 0.02, 0.1, 0.5]) assert.equal(errorAllowance(n, p), direct(n, p), `n ${n} p ${p}`);
  assert.equal(errorAllowance(0, 0.5), 0);
  assert.equal(errorAllowance(50, 0), 0);
  assert.equal(errorAllowance(7, 1), 7);
  // large windows: no underflow, and close to n·p + 2.33 σ
  const big = errorAllowance(100_000, 0.02);
  assert.ok(Math.abs(big - (2000 + 2.326 * Math.sqrt(100_000 * 0.02 * 0.98))) < 3, `${big}`);
});

test('recovery: a window of a few requests with one error at the baseline rate is not "never recovered"', () => {
  // 4 VUs' worth of requests (2–3 per second) with one error in fifty throughout, the baseline
  // too; the spike adds nothing bad: the run recovers in the first window
  const facts: RequestFact[] = [];
  let i = 0;
  for (let t = 0; t < 70_000; t += 400) facts.push({ atMs: t, ttftMs: 100, error: i++ % 50 === 49 });
  const r = measureRecovery(facts, { startMs: 30_000, endMs: 50_000, afterEndMs: 65_000, base: 4, peak: 40 });
  assert.equal(r.recovered, true);
  assert.equal(r.recovery_s, 0);
  // errors well beyond chance still count: every other request failing after the spike
  const bad = facts.map((f, j) => (f.atMs >= 50_000 && j % 2 === 0 ? { ...f, error: true } : f));
  assert.equal(measureRecovery(bad, { startMs: 30_000, endMs: 50_000, afterEndMs: 65_000, base: 4, peak: 40 }).recovered, false);
});
