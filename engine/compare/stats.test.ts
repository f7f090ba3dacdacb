import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wilson, rateDiff, rng, quantile, bootstrap, bootstrapDiff, pStat, meanStat, clearBest } from './stats.ts';

test('quantile interpolates like numpy; rng is seeded and uniform', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([10], 0.95), 10);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.95), 4.8);
  const a = rng(42), b = rng(42);
  const xs = Array.from({ length: 10000 }, () => a());
  assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, String(mean));
});

test('bootstrap: the 95 % interval of a normal mean covers the truth about 95 % of the time', () => {
  const r = rng(7);
  const normal = () => { const u = r() || 1e-12, v = r(); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v); };
  let covered = 0;
  const trials = 200;
  for (let t = 0; t < trials; t++) {
    const xs = Array.from({ length: 100 }, () => 10 + normal());
    const iv = bootstrap(xs, meanStat, 400, t + 1);
    if (iv.lo <= 10 && 10 <= iv.hi) covered++;
  }
  assert.ok(covered >= trials * 0.9 && covered <= trials * 0.99, `${covered}/${trials} covered`);
});

test('bootstrapDiff: a real shift excludes zero; the same distribution does not; clearBest marks only a clear winner', () => {
  const r = rng(3);
  const a = Array.from({ length: 400 }, () => 100 + 20 * r());
  const b = Array.from({ length: 400 }, () => 130 + 20 * r());
  const c = Array.from({ length: 400 }, () => 100 + 20 * r());
  const d1 = bootstrapDiff(b, a, pStat(0.5), 500, 1);
  assert.ok(d1.lo > 20 && d1.hi < 40, JSON.stringify(d1));
  const d2 = bootstrapDiff(c, a, pStat(0.5), 500, 1);
  assert.ok(d2.lo < 0 && d2.hi > 0, JSON.stringify(d2));
  const ia = bootstrap(a, pStat(0.5), 500, 1), ib = bootstrap(b, pStat(0.5), 500, 2), ic = bootstrap(c, pStat(0.5), 500, 3);
  assert.equal(clearBest([ib, ia]), 1);
  assert.equal(clearBest([ia, ic]), null);
  assert.equal(clearBest([ia]), null);
});

test('rates get score intervals: 0 of 80 is not certainty, and 0/80 against 4/80 is no clear winner', () => {
  const zero = wilson(0, 80), four = wilson(4, 80);
  // Wilson 95 %: 0/80 → [0, 4.58 %]; 4/80 → [1.96 %, 12.16 %] (Newcombe 1998, Table I method)
  assert.ok(zero.lo === 0 && Math.abs(zero.hi - 0.0458) < 0.0005, JSON.stringify(zero));
  assert.ok(Math.abs(four.lo - 0.0196) < 0.0005 && Math.abs(four.hi - 0.1216) < 0.0005, JSON.stringify(four));
  assert.equal(clearBest([four, zero]), null);
  // Newcombe's example: 56/70 − 48/80 → [0.0524, 0.3339]
  const d = rateDiff(56, 70, 48, 80);
  assert.ok(Math.abs(d.lo - 0.0524) < 0.0005 && Math.abs(d.hi - 0.3339) < 0.0005, JSON.stringify(d));
  // a real difference is still found: 30/100 vs 2/100
  assert.equal(clearBest([wilson(30, 100), wilson(2, 100)]), 1);
  assert.ok(rateDiff(30, 100, 2, 100).lo > 0);
});
