import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiChat } from './openai-chat.ts';

test('content deltas read exactly, fast path or not (quotes, backslashes, unicode, other layouts)', () => {
  let seed = 7;
  const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
  const alphabet = ['a', ' ', '"', '\\', '\\n', '\n', 'é', '负', '🚀', '\u0000', '}', ']', '"finish_reason":null', '\\"'];
  for (let round = 0; round < 2000; round++) {
    const r = openaiChat.stream();
    let want = '';
    for (let k = 0; k < 5; k++) {
      const piece = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      want += piece;
      // the usual layout (fast path) and a reordered one (full parse)
      const chunk = rand() < 0.5
        ? { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], usage: null }
        : { choices: [{ delta: { content: piece }, index: 0, finish_reason: null }], id: 'c' };
      assert.equal(r.onEvent('message', JSON.stringify(chunk)).output, true);
    }
    r.onEvent('message', JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    const res = r.finish();
    assert.equal(res.content, want);
    assert.equal(res.outputEvents, 5);
    assert.equal(res.finishReason, 'stop');
  }
});
