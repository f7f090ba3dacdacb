// Non-streamed answers of the newer dialects, in the shapes the API references show (ids and
// numbers invented): the Responses object (https://platform.openai.com/docs/api-reference/responses/object),
// a text completion (https://platform.openai.com/docs/api-reference/completions/object) and an
// embeddings list (https://platform.openai.com/docs/api-reference/embeddings/object).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiResponses } from './openai-responses.ts';
import { openaiCompletions } from './openai-completions.ts';
import { openaiEmbeddings } from './openai-embeddings.ts';
import { isIncomplete } from '../types.ts';

test('Responses JSON: message text, reasoning summary, a function call, usage with cached and reasoning tokens; incomplete and failed', () => {
  const r = openaiResponses.parseJson(JSON.stringify({
    id: 'resp_1', object: 'response', status: 'completed', model: 'o4-mini',
    output: [
      { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think.' }] },
      { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello.', annotations: [] }] },
      { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}', status: 'completed' },
    ],
    usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 64 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 20 }, total_tokens: 130 },
  }));
  assert.deepEqual([r.content, r.reasoning, r.finishReason, r.error], ['Hello.', 'Think.', 'completed', null]);
  assert.deepEqual(r.toolCalls, [{ index: 2, id: 'call_1', name: 'f', arguments: '{"a":1}' }]);
  assert.deepEqual(r.usage, { input_tokens: 100, output_tokens: 30, cached_tokens: 64, reasoning_tokens: 20 });
  const cut = openaiResponses.parseJson(JSON.stringify({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hel' }] }], usage: { input_tokens: 5, output_tokens: 3 } }));
  assert.deepEqual([cut.content, cut.finishReason, isIncomplete(cut)], ['Hel', 'max_output_tokens', false]);
  const failed = openaiResponses.parseJson(JSON.stringify({ status: 'failed', error: { code: 'server_error', message: 'boom' }, output: [] }));
  assert.deepEqual(failed.error, { kind: 'stream_error', message: 'boom' });
  // a chat() body becomes input items and max_output_tokens
  assert.deepEqual(openaiResponses.prepare({ model: 'm', messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }], max_tokens: 9, stream: true, stream_options: { include_usage: true } }, { includeUsage: true }),
    { model: 'm', input: [{ role: 'system', content: 's' }, { role: 'user', content: 'u' }], max_output_tokens: 9, stream: true });
});

test('text completion JSON and the prompt a chat() body becomes', () => {
  const r = openaiCompletions.parseJson(JSON.stringify({ id: 'cmpl-1', object: 'text_completion', model: 'm', choices: [{ index: 0, text: ' ok', logprobs: null, finish_reason: 'length' }], usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } }));
  assert.deepEqual([r.content, r.finishReason, r.usage], [' ok', 'length', { input_tokens: 4, output_tokens: 1 }]);
  assert.deepEqual(openaiCompletions.prepare({ model: 'm', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }], max_tokens: 3, stream: true }, { includeUsage: true }),
    { model: 'm', prompt: 'a\nb', max_tokens: 3, stream: true, stream_options: { include_usage: true } });
});

test('embeddings JSON: items, usage; a body without data is a protocol error', () => {
  const r = openaiEmbeddings.parseJson(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, -0.2] }, { object: 'embedding', index: 1, embedding: [0.3, 0.4] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 8, total_tokens: 8 } }));
  assert.deepEqual([r.outputEvents, r.usage, r.error], [2, { input_tokens: 8, output_tokens: 0 }, null]);
  assert.equal(openaiEmbeddings.parseJson('{"object":"list"}').error?.kind, 'protocol');
});
