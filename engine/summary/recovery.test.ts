import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureRecovery, type RequestFact } from './recovery.ts';

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
