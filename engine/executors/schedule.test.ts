import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ArrivalSchedule, vusAt } from './schedule.ts';

test('constant rate: 200/s for 5s gives 1000 evenly spaced arrivals from t=0', () => {
  const s = ArrivalSchedule.constant(200, 5000, 1000, false, 1);
  const ts: number[] = [];
  for (let t = s.next(); t !== null; t = s.next()) ts.push(t);
  assert.equal(ts.length, 1000);
  assert.equal(ts[0], 0);
  assert.ok(Math.abs(ts[1]! - 5) < 1e-9);
  assert.ok(Math.abs(ts[999]! - 4995) < 1e-6);
});

test('ramping rate 0→100/s over 10s gives 500 arrivals, denser at the end', () => {
  const s = new ArrivalSchedule(0, [{ durationMs: 10_000, target: 100 }], 1000, false, 1);
  const ts: number[] = [];
  for (let t = s.next(); t !== null; t = s.next()) ts.push(t);
  assert.ok(Math.abs(ts.length - 500) <= 1, `${ts.length}`);
  const firstHalf = ts.filter((t) => t < 5000).length;
  assert.ok(Math.abs(firstHalf - 125) <= 1, `${firstHalf}`);
});

test('poisson keeps the mean and is seeded', () => {
  const a = ArrivalSchedule.constant(1000, 10_000, 1000, true, 7);
  const b = ArrivalSchedule.constant(1000, 10_000, 1000, true, 7);
  let n = 0;
  const gaps: number[] = [];
  let prev = 0;
  for (let t = a.next(); t !== null; t = a.next()) { assert.equal(b.next(), t); n++; gaps.push(t - prev); prev = t; }
  assert.ok(Math.abs(n - 10_000) < 400, `${n}`); // ±4σ
  const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
  const sd = Math.sqrt(gaps.reduce((x, y) => x + (y - mean) ** 2, 0) / gaps.length);
  assert.ok(Math.abs(sd / mean - 1) < 0.05, 'exponential gaps have cv≈1');
});

test('vusAt follows stages linearly', () => {
  const stages = [{ durationMs: 10_000, target: 20 }, { durationMs: 10_000, target: 20 }, { durationMs: 10_000, target: 0 }];
  assert.equal(vusAt(0, 0, stages), 0);
  assert.equal(vusAt(5000, 0, stages), 10);
  assert.equal(vusAt(15_000, 0, stages), 20);
  assert.equal(vusAt(25_000, 0, stages), 10);
  assert.equal(vusAt(40_000, 0, stages), 0);
});

test('gamma burstiness: inter-arrival CV is 1/sqrt(k) within 10 % over 2,000 arrivals, the mean rate kept, seeded', () => {
  for (const k of [0.25, 1, 4]) {
    const a = ArrivalSchedule.constant(100, 20_000, 1000, k, 11);
    const b = ArrivalSchedule.constant(100, 20_000, 1000, k, 11);
    const gaps: number[] = [];
    let prev: number | null = null;
    for (let t = a.next(); t !== null; t = a.next()) { assert.equal(b.next(), t); if (prev !== null) gaps.push(t - prev); prev = t; }
    const mean = gaps.reduce((x, y) => x + y, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((x, y) => x + (y - mean) ** 2, 0) / gaps.length);
    const cv = sd / mean, want = 1 / Math.sqrt(k);
    assert.ok(gaps.length >= 1800, `k=${k}: ${gaps.length} arrivals`);
    assert.ok(Math.abs(cv / want - 1) < 0.1, `k=${k}: cv ${cv.toFixed(3)} vs ${want.toFixed(3)}`);
    assert.ok(Math.abs(mean - 10) / 10 < 0.1, `k=${k}: mean gap ${mean.toFixed(2)} ms vs 10`);
  }
});
