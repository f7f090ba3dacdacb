import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpr, parseMetricKey, parseThresholdList, compare } from './parse.ts';
import { parseDuration } from '../../lib/duration.ts';

test('parses k6 threshold expressions', () => {
  assert.deepEqual(parseExpr('p(95)<3000').agg, { kind: 'p', p: 95 });
  assert.deepEqual(parseExpr('p(99.9) <= 10').agg, { kind: 'p', p: 99.9 });
  assert.equal(parseExpr('rate<0.05').value, 0.05);
  assert.equal(parseExpr('count>0').op, '>');
  assert.equal(parseExpr('med!=1').op, '!=');
  for (const bad of ['p95<3000', 'rate<', 'foo>1', 'p(95)=>3', 'p(101)<1'])
    assert.throws(() => parseExpr(bad), /bad threshold/, bad);
});
test('parses submetric keys', () => {
  assert.deepEqual(parseMetricKey('llm_ttft{model:gpt-4.1,stream:true}').tags, { model: 'gpt-4.1', stream: 'true' });
  assert.deepEqual(parseMetricKey('http_req_duration').tags, {});
  assert.throws(() => parseMetricKey('x{model}'), /tag:value/);
});
test('object form with abortOnFail', () => {
  const [t] = parseThresholdList([{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10s' }], (s) => parseDuration(s));
  assert.equal(t!.abortOnFail, true);
  assert.equal(t!.delayAbortEvalMs, 10_000);
});
test('compare', () => {
  assert.ok(compare(1, '<', 2));
  assert.ok(!compare(2, '<', 2));
  assert.ok(compare(2, '<=', 2));
  assert.ok(compare(2, '==', 2));
});
