import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoodput, isGood, describeGoodput } from './goodput.ts';

test('goodput: vLLM\'s syntax, every bound must hold, failures and incomplete answers are never good', () => {
  assert.deepEqual(parseGoodput('ttft:500 tpot:50 e2e:2000'), { ttft: 500, tpot: 50, e2e: 2000 });
  assert.deepEqual(parseGoodput(['ttft:500', 'e2el:900']), { ttft: 500, e2e: 900 });
  assert.deepEqual(parseGoodput({ ttft: 300 }), { ttft: 300 });
  assert.equal(parseGoodput(''), null);
  assert.throws(() => parseGoodput('latency:5'), /use ttft, tpot or e2e/);
  assert.throws(() => parseGoodput('ttft:fast'), /positive number of milliseconds/);
  assert.throws(() => parseGoodput('ttft'), /use NAME:MS/);
  const b = { ttft: 500, tpot: 50 };
  const ok = { ok: true, incomplete: false, ttftMs: 400, tpotMs: 40, e2eMs: 3000 };
  assert.equal(isGood(b, ok), true);
  assert.equal(isGood(b, { ...ok, ttftMs: 501 }), false);
  assert.equal(isGood(b, { ...ok, tpotMs: null }), false, 'a JSON response has no TPOT: the bound is not met');
  assert.equal(isGood(b, { ...ok, ok: false }), false);
  assert.equal(isGood(b, { ...ok, incomplete: true }), false);
  assert.equal(isGood({ e2e: 3000 }, ok), true);
  assert.equal(describeGoodput(b), 'ttft ≤ 500 ms, tpot ≤ 50 ms');
});
