import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineRuntime } from './vu-runtime.ts';
import type { VuState, Tags } from '../lib/runtime.ts';

const hooks = { onAbortTest() {}, log() {} };
const state = (tags: Tags, group = ''): VuState => ({ tags, group } as unknown as VuState);

// the merged-tags cache is keyed by the caller's tags object and checked against what the merge
// depends on (the iteration's tags and group): one object shared across iterations and groups
// must land in the right series every time
test('one tags object across iterations, groups and the init context: each sample in its own series', () => {
  const rt = new EngineRuntime({}, hooks, { testid: 't', segment: '0:1', instance: 0 }, { base: 'init' });
  rt.declare('m', 'counter', 'default');
  const shared: Tags = { status: '200' };
  const sc: Tags = { scenario: 'a' };
  rt.als.run(state(sc), () => rt.add('m', 1, shared)); // iteration 1
  rt.als.run(state(sc), () => rt.add('m', 1, shared)); // iteration 2: same merge, same series
  rt.als.run(state(sc, '::g'), () => rt.add('m', 10, shared)); // in a group
  rt.als.run(state(sc), () => rt.add('m', 1, shared)); // back at the root
  rt.als.run(state({ scenario: 'b' }), () => rt.add('m', 100, shared)); // another scenario's tags
  rt.add('m', 1000, shared); // init context: the runtime's base tags
  rt.add('m', 5); // no tags at all
  const series = rt.collector.take(0).series.filter((s) => s.name === 'm');
  const sum = (t: Tags) => series.filter((s) => JSON.stringify(Object.entries(s.tags).sort()) === JSON.stringify(Object.entries(t).sort())).reduce((a, s) => a + (s.agg as { sum: number }).sum, 0);
  assert.equal(sum({ scenario: 'a', status: '200' }), 3);
  assert.equal(sum({ scenario: 'a', group: '::g', status: '200' }), 10);
  assert.equal(sum({ scenario: 'b', status: '200' }), 100);
  assert.equal(sum({ base: 'init', status: '200' }), 1000);
  assert.equal(sum({ base: 'init' }), 5);
  assert.equal(series.reduce((a, s) => a + (s.agg as { sum: number }).sum, 0), 1118, 'nothing lost or doubled');
});
