// Embeddings (POST /embeddings), OpenAI's shape, which vLLM, Together, Mistral, Ollama and the
// simulator serve too: `input` (a string or a batch), `data[].embedding`, usage.prompt_tokens.
// https://platform.openai.com/docs/api-reference/embeddings . Used by embed() (lib/llm/embed.ts),
// never streamed: a JSON answer whose items are its output.
import type { Dialect, ReadResult } from '../types.ts';
import { bearerHeaders } from './headers.ts';

type Json = Record<string, any>;

export const openaiEmbeddings: Dialect = {
  name: 'openai-embeddings',
  path: '/embeddings',
  headers: bearerHeaders,
  prepare(body) { return body; },
  stream() { throw new Error('embeddings are not streamed'); },
  parseJson(text) {
    const o = JSON.parse(text) as Json;
    const data = Array.isArray(o.data) ? o.data : null;
    const u = o.usage && typeof o.usage.prompt_tokens === 'number' ? { input_tokens: o.usage.prompt_tokens, output_tokens: 0 } : null;
    const r: ReadResult = { content: '', reasoning: '', toolCalls: [], finishReason: data ? 'embedded' : null, usage: u, outputEvents: data ? data.length : 0, done: true, error: null };
    if (o.error) r.error = { kind: 'stream_error', message: String(o.error.message ?? JSON.stringify(o.error)) };
    else if (!data) r.error = { kind: 'protocol', message: 'response has no data' };
    else if (data.some((d: Json) => !Array.isArray(d?.embedding) && typeof d?.embedding !== 'string')) r.error = { kind: 'protocol', message: 'an item without an embedding' };
    return r;
  },
  promptText(body) { return Array.isArray(body.input) ? body.input.map(String).join('\n') : String(body.input ?? ''); },
};
