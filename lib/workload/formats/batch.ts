// OpenAI Batch API input files: one request a line, {"custom_id", "method": "POST",
// "url": "/v1/chat/completions", "body": {model, messages, max_tokens, …}}
// (https://platform.openai.com/docs/guides/batch): teams already have these.
import { json, maxTokensOf, messagesOf, RecordError, type Format } from './types.ts';

export const batch: Format = {
  name: 'batch',
  layout: 'lines',
  parse(text) {
    const o = json(text);
    if (typeof o.custom_id !== 'string') throw new RecordError('custom_id is missing (an OpenAI Batch line has custom_id, method, url, body)');
    if (typeof o.url !== 'string' || !/chat\/completions$/.test(o.url)) throw new RecordError(`url ${JSON.stringify(o.url)} is not a chat completions endpoint (/v1/chat/completions)`);
    const body = o.body;
    if (!body || typeof body !== 'object') throw new RecordError('body is missing');
    const b = body as Record<string, unknown>;
    const mt = maxTokensOf(b, 'body.');
    return { messages: messagesOf(b.messages, 'body.messages'), ...(mt !== undefined ? { max_tokens: mt } : {}), ...(typeof b.model === 'string' ? { model: b.model } : {}) };
  },
};
