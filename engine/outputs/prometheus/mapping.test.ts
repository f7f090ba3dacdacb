import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uncompressSync } from 'snappy';
import { Sketch } from '../../../lib/stats/sketch.ts';
import { nativeHistogram, parseTrendStats, labelsOf, metricName, NATIVE_SCHEMA } from './mapping.ts';
import { encodeWriteRequest, decodeWriteRequest } from './wire.ts';

test('a sketch becomes a native histogram whose buckets hold every sample, in spans and deltas', () => {
  const sk = new Sketch();
  const xs = [0, 0, 5, 5.01, 20, 21, 400, 1500];
  for (const x of xs) sk.add(x);
  const h = nativeHistogram(sk, 1 / 1000, 1000);
  assert.equal(h.countInt, xs.length);
  assert.equal(h.zeroCountInt, 2);
  assert.equal(h.schema, NATIVE_SCHEMA);
  assert.ok(Math.abs(h.sum - xs.reduce((a, b) => a + b, 0) / 1000) < 1e-9);
  // rebuild absolute counts and bucket bounds from spans + deltas
  const buckets: Array<[number, number]> = [];
  let idx = 0, count = 0, d = 0;
  for (const [k, sp] of h.positiveSpans.entries()) {
    idx += k === 0 ? sp.offset : sp.offset + 1;
    for (let j = 0; j < sp.length; j++, idx++) { count += h.positiveDeltas[d++]!; buckets.push([idx, count]); }
    idx--;
  }
  assert.equal(buckets.reduce((a, [, c]) => a + c, 0) + h.zeroCountInt, xs.length);
  for (const x of xs.filter((v) => v > 0)) {
    const s = x / 1000;
    assert.ok(buckets.some(([i]) => 2 ** ((i - 1) / 256) < s * 1.006 && s / 1.006 <= 2 ** (i / 256)), `a bucket for ${x}`);
  }
});

test('trend stats as k6 spells them; a bad one names the valid choices', () => {
  assert.deepEqual(parseTrendStats('p(99),avg,p(99.9),med').map((s) => s.suffix), ['p99', 'avg', 'p999', 'med']);
  assert.throws(() => parseTrendStats('p(99),mean'), /invalid trend stat "mean": use p\(N\), avg, min, max, med, count or sum/);
});

test('labels: __name__ first, the rest sorted and sanitized; a WriteRequest survives encode → snappy → decode', () => {
  const ls = labelsOf('k6_llm_ttft_p99', { 'model': 'gpt-4.1', 'error-kind': 'x', testid: 't1', empty: '' });
  assert.deepEqual(ls.map((l) => l.name), ['__name__', 'error_kind', 'model', 'testid']);
  assert.equal(metricName('my.metric-1'), 'my_metric_1');
  const body = encodeWriteRequest([{ labels: ls, samples: [{ value: 1.5, timestamp: 1_700_000_000_000 }] }]);
  const back = decodeWriteRequest(body, (b) => uncompressSync(b) as Buffer);
  assert.deepEqual(back.timeseries[0]!.labels, ls);
  assert.deepEqual(back.timeseries[0]!.samples, [{ value: 1.5, timestamp: 1_700_000_000_000 }]);
});
