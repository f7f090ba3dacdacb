import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLoads, knee, openRange, nextOpen, saturated, SweepError } from './loads.ts';
import { sweepPoint, separated } from './points.ts';
import type { RequestRecord } from '../../lib/llm/types.ts';

test('loads: lists, doubling ranges, other factors; bad ones are one clear error', () => {
  assert.deepEqual(parseLoads('1,2,4,8', '--concurrency', true), [1, 2, 4, 8]);
  assert.deepEqual(parseLoads('1..64', '--concurrency', true), [1, 2, 4, 8, 16, 32, 64]);
  assert.deepEqual(parseLoads('1..10', '--concurrency', true), [1, 2, 4, 8, 10], 'the top of the range is always a step');
  assert.deepEqual(parseLoads('2..8x1.5', '--rate', false), [2, 3, 4.5, 6.75, 8]);
  assert.throws(() => parseLoads('4,2', '--rate', false), /loads must rise \(4 then 2\)/);
  assert.throws(() => parseLoads('1.5,3', '--concurrency', true), /concurrency is a whole number of VUs/);
  assert.throws(() => parseLoads('0..8', '--rate', false), SweepError);
  assert.throws(() => parseLoads('fast', '--rate', false), /a list \(1,2,4,8\), a doubling range/);
});

test('knee: the lowest load reaching 90 % of the highest throughput', () => {
  // a server of 8 slots, 0.39 s a request: throughput doubles up to 8 VUs, then stays
  const pts = [1, 2, 4, 8, 16, 32].map((c) => ({ load: c, throughput: Math.min(c, 8) / 0.39 }));
  assert.equal(knee(pts), 8);
  assert.equal(knee(pts.slice(0, 2)), null, 'too few points');
  assert.equal(knee([{ load: 1, throughput: 0 }, { load: 2, throughput: 0 }, { load: 3, throughput: 0 }]), null);
  // still rising at the last step: the knee is the last step (not past the data)
  assert.equal(knee([1, 2, 4].map((c) => ({ load: c, throughput: c }))), 4);
});

const rec = (t: number, ttft: number, ok = true): RequestRecord => ({ t, scenario: 's', provider: 'p', model: 'm', stream: true, status: ok ? 200 : 500, error_kind: ok ? null : 'server', ttft_ms: ok ? ttft : null, e2e_ms: ok ? ttft + 100 : null, itl: ok ? { n: 10, mean: 10, p50: 10, max: 12 } : null, in_tok: 10, out_tok: ok ? 11 : 0, tok_src: 'usage', retries: 0, retry_wait_ms: 0, cost_usd: 0, incomplete: false, good: null, req_id: null, tpot_ms: ok ? 10 : undefined } as RequestRecord);

test('a sweep point: rates over the steady window, quantiles, intervals; providers separate when their TTFTs do', () => {
  // 4 s steady window from t = 1000: 2 successes a second and one failure
  const recs = [...Array.from({ length: 8 }, (_, i) => rec(1000 + i * 500, 100 + (i % 3))), rec(2500, 0, false)];
  const p = sweepPoint('p', 4, recs, 1000, 4);
  assert.equal(p.requests, 9);
  assert.equal(p.ok, 8);
  assert.equal(p.rps, 2);
  assert.equal(p.rps_all, 2.25);
  assert.equal(p.out_tok_s, 22);
  assert.equal(p.out_tok_s_per_user, 100, '1000 ÷ TPOT 10 ms');
  assert.equal(p.error_pct, 11.11);
  assert.equal(p.ttft_ms.p50, 101);
  assert.ok(p.ci.rps && p.ci.rps.lo <= 2 && p.ci.rps.hi >= 2, JSON.stringify(p.ci.rps));
  const slow = sweepPoint('q', 4, Array.from({ length: 8 }, (_, i) => rec(1000 + i * 500, 300 + (i % 3))), 1000, 4);
  assert.equal(separated(slow, p)!.real, true);
  const same = sweepPoint('r', 4, Array.from({ length: 8 }, (_, i) => rec(1000 + i * 500, 100 + ((i + 1) % 3))), 1000, 4);
  assert.equal(separated(same, p)!.real, false);
});

test('open ranges: doubling (or another factor) until saturated', () => {
  const r = openRange('1..')!;
  assert.deepEqual(r, { from: 1, factor: 2 });
  assert.equal(openRange('1..8'), null, 'a closed range is parseLoads\' business');
  assert.equal(nextOpen(r, null, true), 1);
  assert.equal(nextOpen(r, 4, true), 8);
  assert.equal(nextOpen({ from: 1, factor: 1.2 }, 1, true), 2, 'whole VUs always move');
  assert.throws(() => openRange('0..'), SweepError);
  // throughput doubling, then flat: saturated at the first flat step
  const pts = [{ load: 2, throughput: 5 }, { load: 4, throughput: 10 }];
  assert.equal(saturated(pts, false), false);
  assert.equal(saturated([...pts, { load: 8, throughput: 10.5 }], false), true);
  // a rate the target cannot complete
  assert.equal(saturated([{ load: 20, throughput: 15 }], true), true);
  assert.equal(saturated([{ load: 20, throughput: 19.5 }], true), false);
});
