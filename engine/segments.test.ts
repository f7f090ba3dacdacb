import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSegment, parseSequence, scale, owns, ownership, split, FULL, segmentString } from './segments.ts';

test('parses segments and sequences', () => {
  assert.equal(segmentString(parseSegment('1/3:2/3')), '1/3:2/3');
  assert.equal(segmentString(parseSegment('0.5')), '0:1/2');
  assert.equal(segmentString(parseSegment('25%:50%')), '1/4:1/2');
  assert.throws(() => parseSegment('2/3:1/3'), /from < to/);
  assert.throws(() => parseSegment('x'), /bad fraction/);
  assert.deepEqual(parseSequence('0,1/3,2/3,1').length, 4);
  assert.throws(() => parseSequence('0,1/2'), /from 0 to 1/);
});

test('static counts of a partition sum exactly', () => {
  const parts = ['0:1/3', '1/3:2/3', '2/3:1'].map(parseSegment);
  for (let n = 0; n < 500; n++) assert.equal(parts.reduce((s, p) => s + scale(n, p), 0), n);
  assert.deepEqual(parts.map((p) => scale(10, p)), [3, 3, 4]);
});

test('stream ownership is an exact partition, even for unrelated splits', () => {
  const a = ['0:1/3', '1/3:1/2', '1/2:1'].map(parseSegment).map(ownership);
  const b = split(FULL, 7).map(ownership);
  for (let i = 0; i < 100_000; i++) {
    assert.equal(a.filter((f) => f(i)).length, 1);
    assert.equal(b.filter((f) => f(i)).length, 1);
  }
});

test('ownership proportions are exact per cycle and even in time', () => {
  const seg = parseSegment('1/3:2/3');
  const f = ownership(seg);
  let c = 0;
  for (let i = 0; i < 720720; i++) if (f(i)) c++;
  assert.equal(c, 240240);
  // in any window of 300 consecutive items the share stays close to 1/3
  for (let start = 0; start < 10_000; start += 300) {
    let w = 0;
    for (let i = start; i < start + 300; i++) if (f(i)) w++;
    assert.ok(Math.abs(w - 100) <= 3, `window at ${start}: ${w}`);
  }
  for (let i = 0; i < 5000; i++) assert.equal(owns(i, seg), f(i));
});

test('split gives contiguous equal parts', () => {
  const s = split(parseSegment('1/3:1'), 2);
  assert.deepEqual(s.map(segmentString), ['1/3:2/3', '2/3:1']);
});

test('striped VU counts: monotonic in n, an exact partition, each shard within 1 of its share at every n', async () => {
  const { stripedCounter, parseSequence, parseSegment } = await import('./segments.ts');
  const seq = parseSequence('0,1/2,4/5,1');
  const shards = ['0:1/2', '1/2:4/5', '4/5:1'].map((s) => parseSegment(s));
  const shares = [0.5, 0.3, 0.2];
  for (const W of [1, 2, 3]) {
    const counters = shards.flatMap((sh) => Array.from({ length: W }, (_, t) => stripedCounter(seq, sh, t, W)));
    let prev = counters.map(() => 0);
    for (let n = 0; n <= 200; n++) {
      const c = counters.map((f) => f(n));
      assert.equal(c.reduce((a, b) => a + b, 0), n, `partition at n=${n}`);
      c.forEach((x, k) => assert.ok(x >= prev[k]!, `monotonic at n=${n}`));
      shards.forEach((_, s) => { const sum = c.slice(s * W, (s + 1) * W).reduce((a, b) => a + b, 0); assert.ok(Math.abs(sum - shares[s]! * n) < 1 + 1e-9, `shard ${s} at n=${n}: ${sum}`); });
      prev = c;
    }
  }
  assert.deepEqual(shards.map((sh) => stripedCounter(seq, sh, 0, 1)(20)), [10, 6, 4]);
  // no sequence (one host): all of them, taken in turn by the threads
  const full = parseSegment('0:1');
  assert.deepEqual([0, 1].map((t) => stripedCounter(null, full, t, 2)(7)), [4, 3]);
});
