import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { conversation } from './conversation.ts';

const D = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'datasets');
const o200k = createRequire(import.meta.url)('gpt-tokenizer/cjs/encoding/o200k_base');

test('a ShareGPT conversation replayed turn by turn: its human turns, the model\'s own answers in the history, the recorded answers\' lengths', () => {
  const s = conversation({ model: 'gpt-4.1', dataset: join(D, 'sharegpt-multi.json') }).session();
  assert.equal(s.total, 3);
  const t1 = s.next()!;
  assert.deepEqual(t1.messages, [{ role: 'system', content: 'You answer in one line.' }, { role: 'user', content: 'What is TTFT?' }]);
  assert.equal(t1.max_tokens, o200k.encode('Time to first token: how long until the first output arrives.').length);
  const t2 = s.next('MY ANSWER ONE')!;
  assert.deepEqual(t2.messages.slice(1).map((m) => [m.role, m.content]), [['user', 'What is TTFT?'], ['assistant', 'MY ANSWER ONE'], ['user', 'And TPOT?']]);
  const t3 = s.next('MY ANSWER TWO')!;
  assert.equal(t3.turn, 3);
  assert.equal(t3.messages.length, 6);
  assert.equal(s.next('last'), null);
});

test('synthetic sessions: turns from the spec, a shared system prompt, cache breakpoints that move to the newest user message', () => {
  const c = conversation({ model: 'gpt-4.1', turns: 3, system: { tokens: 100 }, user: 20, output: 10, cacheControl: true, exactOutput: true });
  const s = c.session();
  const t1 = s.next()!, t2 = s.next('a1')!;
  assert.equal(o200k.encode(t1.messages[0]!.content as string).length, 100);
  assert.deepEqual(t1.controls, { min_tokens: 10, ignore_eos: true });
  assert.deepEqual(t2.messages.map((m) => [m.role, !!m.cache_control]), [['system', true], ['user', false], ['assistant', false], ['user', true]]);
  assert.equal(t1.messages[1]!.cache_control !== undefined, true, 'the earlier turn\'s request kept its own breakpoint');
  assert.throws(() => conversation({ model: 'gpt-4.1', turns: 0 }), /conversation turns must be an integer ≥ 1, not 0/);
  assert.throws(() => conversation({ model: 'gpt-4.1' }), /give turns .* or a dataset/);
});
