import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sketch } from '../lib/stats/sketch.ts';
import { mergeSimStats } from './stats-merge.ts';
import type { SimStats } from './server.ts';

function part(late: number[], o: Partial<SimStats> = {}): SimStats {
  const s = new Sketch();
  for (const v of late) s.add(v);
  return { active: 2, queued: 1, requests: 10, events: 100, capacity: 8, overload_since_ms: null, scaled_at_ms: null, precision: 'nap', cpu_ms: { user: 10, system: 5 }, lateness_ms: { count: late.length, p50: 0, p90: 0, p99: 0, max: Math.max(...late) }, gc: { count: 3, total_ms: 1.5, max_ms: 0.7 }, lateness_sketch: s.toJSON(), ...o };
}

test('processes\' stats: counts add, lateness quantiles from the merged sketch, maxima are maxima', () => {
  // one process always 0.1 ms late, the other always 2 ms: the merged median is one of them and
  // p90 is the late one, which no average of per-process quantiles would give
  const a = part(Array(900).fill(0.1), { overload_since_ms: 500 });
  const b = part(Array(100).fill(2), { gc: { count: 1, total_ms: 4, max_ms: 4 }, overload_since_ms: 300 });
  const m = mergeSimStats([a, b]);
  assert.equal(m.processes, 2);
  assert.equal(m.requests, 20);
  assert.equal(m.events, 200);
  assert.equal(m.active, 4);
  assert.equal(m.capacity, 16);
  assert.deepEqual(m.cpu_ms, { user: 20, system: 10 });
  assert.equal(m.lateness_ms.count, 1000);
  assert.ok(Math.abs(m.lateness_ms.p50 - 0.1) < 0.002, String(m.lateness_ms.p50));
  assert.ok(Math.abs(m.lateness_ms.p99 - 2) < 0.02, String(m.lateness_ms.p99));
  assert.equal(m.lateness_ms.max, 2);
  assert.deepEqual(m.gc, { count: 4, total_ms: 5.5, max_ms: 4 });
  assert.equal(m.overload_since_ms, 300, 'overload began when the first process saw it');
  assert.equal(m.lateness_sketch, undefined, 'the sketch stays between processes');
  assert.throws(() => mergeSimStats([]));
});
