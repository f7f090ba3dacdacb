// Wire shapes, matching test/fixtures/wire (field names and event order of the real APIs).
export interface Ctx { id: string; model: string; created: number; /** prompt tokens served from the prefix cache (sim/prefix-cache.ts) */ cached?: number }

// ---- OpenAI chat completions ----
const oaChunk = (c: Ctx, choices: unknown[], usage: unknown = null) =>
  `data: ${JSON.stringify({ id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model, service_tier: 'default', system_fingerprint: 'fp_llmload_sim', choices, usage })}\n\n`;

// the per-token chunk, built from a per-stream prefix: identical bytes to oaChunk's, without
// an object and a full JSON.stringify per token (the simulator's hottest path)
const tokenPrefix = new WeakMap<Ctx, string>();
function oaToken(c: Ctx, text: string): string { return oaTokenJson(c, JSON.stringify(text)); }
function oaTokenJson(c: Ctx, json: string): string {
  let pre = tokenPrefix.get(c);
  if (pre === undefined) {
    pre = `data: {"id":${JSON.stringify(c.id)},"object":"chat.completion.chunk","created":${c.created},"model":${JSON.stringify(c.model)},"service_tier":"default","system_fingerprint":"fp_llmload_sim","choices":[{"index":0,"delta":{"content":`;
    tokenPrefix.set(c, pre);
  }
  return `${pre}${json}},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`;
}

export const openai = {
  role: (c: Ctx) => oaChunk(c, [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
  token: oaToken,
  /** the token chunk from the token already as a JSON string literal */
  tokenJson: oaTokenJson,
  tokenSlow: (c: Ctx, text: string) => oaChunk(c, [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]),
  finish: (c: Ctx, reason: string) => oaChunk(c, [{ index: 0, delta: {}, logprobs: null, finish_reason: reason }]),
  usage: (c: Ctx, input: number, output: number) => oaChunk(c, [], { prompt_tokens: input, completion_tokens: output, total_tokens: input + output, prompt_tokens_details: { cached_tokens: c.cached ?? 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } }),
  done: () => 'data: [DONE]\n\n',
  errorChunk: (message: string) => `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: 'server_error' } })}\n\n`,
  json: (c: Ctx, text: string, reason: string, input: number, output: number) => JSON.stringify({
    id: c.id, object: 'chat.completion', created: c.created, model: c.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null, annotations: [] }, logprobs: null, finish_reason: reason }],
    usage: { prompt_tokens: input, completion_tokens: output, total_tokens: input + output, prompt_tokens_details: { cached_tokens: c.cached ?? 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
    service_tier: 'default', system_fingerprint: 'fp_llmload_sim',
  }),
  error: (message: string, type: string, code: string | null, param: string | null = null) => JSON.stringify({ error: { message, type, param, code } }),
};

// ---- Anthropic messages ----
const ev = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const AN_TOKEN_PRE = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":';

export const anthropic = {
  start: (c: Ctx, input: number) => ev('message_start', { type: 'message_start', message: { id: c.id, type: 'message', role: 'assistant', content: [], model: c.model, stop_reason: null, stop_sequence: null, usage: { input_tokens: input - (c.cached ?? 0), cache_creation_input_tokens: 0, cache_read_input_tokens: c.cached ?? 0, output_tokens: 1, service_tier: 'standard' } } })
    + ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
    + ev('ping', { type: 'ping' }),
  token: (text: string) => `${AN_TOKEN_PRE}${JSON.stringify(text)}}}\n\n`,
  tokenJson: (json: string) => `${AN_TOKEN_PRE}${json}}}\n\n`,
  tokenSlow: (text: string) => ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
  /** a clean end with no stop_reason (the cut_done fault) */
  cut: () => ev('content_block_stop', { type: 'content_block_stop', index: 0 }) + ev('message_stop', { type: 'message_stop' }),
  end: (reason: string, output: number) => ev('content_block_stop', { type: 'content_block_stop', index: 0 })
    + ev('message_delta', { type: 'message_delta', delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: output } })
    + ev('message_stop', { type: 'message_stop' }),
  errorEvent: (type: string, message: string) => ev('error', { type: 'error', error: { type, message } }),
  json: (c: Ctx, text: string, reason: string, input: number, output: number) => JSON.stringify({
    id: c.id, type: 'message', role: 'assistant', model: c.model, content: [{ type: 'text', text }], stop_reason: reason, stop_sequence: null,
    usage: { input_tokens: input - (c.cached ?? 0), cache_creation_input_tokens: 0, cache_read_input_tokens: c.cached ?? 0, output_tokens: output, service_tier: 'standard' },
  }),
  error: (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message } }),
};

export const GATEWAY_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
