import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compatMode } from './mode.ts';

test('compat mode: k6/http or only k6 modules run blocking; llmload scenarios stay async; --compat wins', () => {
  assert.equal(compatMode(new Set(['k6/http', 'k6'])), 'k6');
  assert.equal(compatMode(new Set(['k6/x/sse', 'llmload/llm'])), 'k6');
  assert.equal(compatMode(new Set(['k6', 'k6/metrics'])), 'k6');
  assert.equal(compatMode(new Set(['k6', 'llmload/llm'])), 'native');
  assert.equal(compatMode(new Set(['llmload'])), 'native');
  assert.equal(compatMode(new Set()), 'native');
  assert.equal(compatMode(new Set(['k6/http']), 'native'), 'native');
  assert.equal(compatMode(new Set(['llmload']), 'k6'), 'k6');
  assert.throws(() => compatMode(new Set(), 'sync'), /use k6, k6-threads, native or auto/);
});
