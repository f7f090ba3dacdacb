import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sketch } from './sketch.ts';

// seeded PRNG so failures reproduce
function mulberry32(seed: number) {
  return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
function normal(r: () => number) { return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()); }

function exactQ(sorted: Float64Array, q: number) { return sorted[Math.floor(q * (sorted.length - 1))]!; }

function checkAccuracy(name: string, gen: () => number) {
  const n = 1_000_000;
  const xs = new Float64Array(n);
  // two halves in two sketches, merged: the merge path is what the runner uses
  const a = new Sketch(), b = new Sketch();
  for (let i = 0; i < n; i++) { const v = gen(); xs[i] = v; (i % 2 ? a : b).add(v); }
  a.merge(b.toJSON());
  xs.sort();
  for (const q of [0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999]) {
    const exact = exactQ(xs, q);
    const got = a.quantile(q);
    assert.ok(Math.abs(got - exact) / exact <= 0.01, `${name} q=${q}: got ${got}, exact ${exact}`);
  }
  assert.equal(a.count, n);
  assert.equal(a.min, xs[0]);
  assert.equal(a.max, xs[n - 1]);
}

test('quantiles within 1% on 1M lognormal samples', () => {
  const r = mulberry32(42);
  checkAccuracy('lognormal', () => Math.exp(5 + 0.8 * normal(r)));
});

test('quantiles within 1% on 1M bimodal samples', () => {
  const r = mulberry32(7);
  checkAccuracy('bimodal', () => (r() < 0.7 ? 50 + 5 * normal(r) : 2000 + 300 * normal(r)) + 100);
});

test('zero, negative and empty', () => {
  const s = new Sketch();
  assert.equal(s.quantile(0.5), 0);
  for (const v of [0, 0, -5, 10]) s.add(v);
  assert.equal(s.min, -5);
  assert.equal(s.quantile(0), -5);
  assert.equal(s.quantile(0.4), 0);
  assert.ok(Math.abs(s.quantile(1) - 10) < 0.1);
  assert.equal(s.avg, 5 / 4);
});

test('merge is order independent', () => {
  const r = mulberry32(1);
  const parts = Array.from({ length: 4 }, () => { const s = new Sketch(); for (let i = 0; i < 1000; i++) s.add(r() * 1000); return s; });
  const x = new Sketch(), y = new Sketch();
  for (const p of parts) x.merge(p.toJSON());
  for (const p of [...parts].reverse()) y.merge(p);
  for (const q of [0.5, 0.9, 0.99]) assert.equal(x.quantile(q), y.quantile(q));
});
