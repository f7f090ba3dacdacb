import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openai, anthropic } from './wire.ts';

test('fast token chunks are byte-identical to the JSON.stringify ones', () => {
  const ctx = { id: 'chatcmpl-x"1', model: 'gpt-4.1', created: 1795547600 };
  for (const t of ['Hello', ' "quoted"', '\\back', '负载 ✅', '\n', '\u0000', '']) {
    assert.equal(openai.token(ctx, t), openai.tokenSlow(ctx, t));
    assert.equal(anthropic.token(t), anthropic.tokenSlow(t));
  }
});
