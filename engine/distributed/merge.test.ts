import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCoverage, mergeStores, MergeError } from './merge.ts';
import { STATE_FORMAT, type ShardState } from './state.ts';
import { Sketch } from '../../lib/stats/sketch.ts';

function shard(segment: string, o: Partial<ShardState> = {}, ttft: number[] = [], requests = 0): ShardState {
  const sk = new Sketch();
  for (const x of ttft) sk.add(x);
  return {
    format: STATE_FORMAT, testid: 't', script: 's.ts', bundle_sha256: 'abc', segment, sequence: '0,1/2,4/5,1', segment_names: ['eu-0', 'us-0', 'ap-0'],
    zone: null, load_zone: null, instance_id: null, host: 'h', start: { target: null, skew_ms: null, tolerance_ms: 100, missed: false },
    t0_epoch_ms: 1_000_000, duration_ms: 2000, defs: [{ name: 'llm_ttft', type: 'trend', contains: 'time' }, { name: 'llm_requests', type: 'counter', contains: 'default' }], checks: [],
    series: [{ name: 'llm_ttft', tags: {}, agg: { t: 'trend', sk: sk.toJSON() } }, { name: 'llm_requests', tags: {}, agg: { t: 'counter', sum: requests, n: requests } }],
    digests: [{ at: 0, rps: requests, vus: 1, streams: 0, rate_limited: 0, output_tokens: 0, errors: {}, ttft: sk.count ? sk.toJSON() : null, cpu: null }],
    thresholds: {}, summary_trend_stats: ['p(95)'], aborted: false, exit_code: 0, ...o,
  };
}

test('coverage: the missing shard named from the sequence; repeats, other scripts and other plans refused', () => {
  const c = checkCoverage([shard('0:1/2'), shard('4/5:1')]);
  assert.deepEqual(c.missing, [{ segment: '1/2:4/5', name: 'us-0' }]);
  assert.deepEqual(checkCoverage([shard('0:1/2'), shard('1/2:4/5'), shard('4/5:1')]).missing, []);
  assert.throws(() => checkCoverage([shard('0:1/2'), shard('0:1/2')]), (e: unknown) => e instanceof MergeError && /given twice/.test((e as Error).message));
  assert.throws(() => checkCoverage([shard('0:1/2'), shard('1/2:4/5', { bundle_sha256: 'def' })]), /different scripts/);
  assert.throws(() => checkCoverage([shard('0:1/2'), shard('1/2:4/5', { sequence: '0,1/2,1' })]), /different plans/);
  assert.throws(() => checkCoverage([shard('0:1/3', { sequence: '0,1/2,4/5,1' })]), /not in the plan's sequence/);
  assert.throws(() => checkCoverage([]), /no shard results/);
});

test('merge: counts add exactly and the merged sketch is the sketch of the union', () => {
  const a = Array.from({ length: 500 }, (_, i) => 50 + i), b = Array.from({ length: 300 }, (_, i) => 400 + i * 3);
  const { store } = mergeStores([shard('0:1/2', {}, a, 500), shard('1/2:4/5', { t0_epoch_ms: 1_000_004 }, b, 300)]);
  assert.equal(store.aggregate('llm_requests')!.sum, 800);
  const union = new Sketch();
  for (const x of [...a, ...b]) union.add(x);
  for (const q of [0.5, 0.95, 0.99]) assert.equal(store.aggregate('llm_ttft')!.sk!.quantile(q), union.quantile(q));
  // the per-second digests add too: one second, both shards' requests and TTFTs
  const [d] = store.allDigests();
  assert.equal(d!.rps, 800);
  assert.equal(d!.ttft!.count, 800);
});
