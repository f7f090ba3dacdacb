import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeHealth } from './health.ts';
import { MetricStore } from './metrics/store.ts';
import { Collector } from './metrics/collector.ts';
import { BUILTINS } from './metrics/types.ts';
import { MN } from '../lib/metric-names.ts';

/** a run of `secs` seconds in which each thread reports its timing-error bound every second */
function run(bySource: Record<string, (sec: number) => number>, secs = 100): MetricStore {
  const store = new MetricStore();
  for (const [src, f] of Object.entries(bySource)) {
    const c = new Collector();
    for (const d of BUILTINS) c.declare(d);
    for (let s = 0; s < secs; s++) { c.add(MN.generatorTimingError, f(s), {}); store.ingest(c.take(s * 1000), src); }
  }
  return store;
}

test('verdict over its timing-error limit names the threads that ran late, with their own p99 and how many seconds', () => {
  const v = judgeHealth(run({ w0: () => 1, w1: (s) => (s % 2 ? 12 : 2) }), 2, 2);
  assert.equal(v.ok, false);
  const r = v.reasons.find((x) => x.startsWith('timing-error bound'))!;
  assert.match(r, /late: worker thread 1 \(p99 12\.0 ms, worst second 12\.0 ms, 50 of 100 s over\)$/);
  assert.doesNotMatch(r, /worker thread 0/);
});

test('a healthy run names no thread', () => {
  const v = judgeHealth(run({ w0: () => 1, w1: () => 2 }), 2, 2);
  assert.equal(v.ok, true, v.reasons.join('; '));
});
