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

// ---- OpenAI Responses (POST /v1/responses), test/fixtures/wire/sse/responses_* ----
const rEv = (name: string, data: Record<string, unknown>) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
const rObj = (c: Ctx, status: string, output: unknown[], usage: unknown, extra: Record<string, unknown> = {}) => ({
  id: c.id, object: 'response', created_at: c.created, status, error: null, incomplete_details: null, instructions: null, max_output_tokens: null, model: c.model,
  output, parallel_tool_calls: true, previous_response_id: null, reasoning: { effort: null, summary: null }, store: false, temperature: 1, text: { format: { type: 'text' } },
  tool_choice: 'auto', tools: [], top_p: 1, truncation: 'disabled', usage, user: null, metadata: {}, ...extra,
});
const rUsage = (c: Ctx, input: number, output: number) => ({ input_tokens: input, input_tokens_details: { cached_tokens: c.cached ?? 0 }, output_tokens: output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + output });
const rMsgId = (c: Ctx) => `msg_${c.id.slice(5)}`;
const rTokenPre = new WeakMap<Ctx, string>();

export const responses = {
  start: (c: Ctx) => rEv('response.created', { sequence_number: 0, response: rObj(c, 'in_progress', [], null) })
    + rEv('response.in_progress', { sequence_number: 1, response: rObj(c, 'in_progress', [], null) })
    + rEv('response.output_item.added', { sequence_number: 2, output_index: 0, item: { id: rMsgId(c), type: 'message', status: 'in_progress', role: 'assistant', content: [] } })
    + rEv('response.content_part.added', { sequence_number: 3, item_id: rMsgId(c), output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }),
  /** one output_text.delta from the token as a JSON string literal (sequence numbers from 4) */
  tokenJson: (c: Ctx, json: string, i: number) => {
    let pre = rTokenPre.get(c);
    if (pre === undefined) { pre = `"item_id":${JSON.stringify(rMsgId(c))},"output_index":0,"content_index":0,"delta":`; rTokenPre.set(c, pre); }
    return `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","sequence_number":${i + 4},${pre}${json},"logprobs":[]}\n\n`;
  },
  /** the end: text done, part done, item done, and completed (or incomplete: max_output_tokens) */
  end: (c: Ctx, text: string, truncated: boolean, input: number, output: number, n: number) => {
    const part = { type: 'output_text', text, annotations: [] };
    const item = { id: rMsgId(c), type: 'message', status: truncated ? 'incomplete' : 'completed', role: 'assistant', content: [part] };
    const s = n + 4;
    return rEv('response.output_text.done', { sequence_number: s, item_id: rMsgId(c), output_index: 0, content_index: 0, text, logprobs: [] })
      + rEv('response.content_part.done', { sequence_number: s + 1, item_id: rMsgId(c), output_index: 0, content_index: 0, part })
      + rEv('response.output_item.done', { sequence_number: s + 2, output_index: 0, item })
      + (truncated
        ? rEv('response.incomplete', { sequence_number: s + 3, response: rObj(c, 'incomplete', [item], rUsage(c, input, output), { incomplete_details: { reason: 'max_output_tokens' } }) })
        : rEv('response.completed', { sequence_number: s + 3, response: rObj(c, 'completed', [item], rUsage(c, input, output)) }));
  },
  /** the cut_done fault: an incomplete response with no reason (dropped work) */
  cut: (c: Ctx, input: number, output: number) => rEv('response.incomplete', { sequence_number: 999, response: rObj(c, 'incomplete', [], rUsage(c, input, output)) }),
  errorEvent: (message: string) => rEv('error', { sequence_number: 999, code: 'server_error', message, param: null }),
  malformed: (c: Ctx) => `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"${rMsgId(c)}","delta":"B\n\n`,
  json: (c: Ctx, text: string, truncated: boolean, input: number, output: number) => JSON.stringify(rObj(c, truncated ? 'incomplete' : 'completed',
    [{ id: rMsgId(c), type: 'message', status: truncated ? 'incomplete' : 'completed', role: 'assistant', content: [{ type: 'output_text', text, annotations: [] }] }],
    rUsage(c, input, output), truncated ? { incomplete_details: { reason: 'max_output_tokens' } } : {})),
};

// ---- text completions (POST /v1/completions), test/fixtures/wire/sse/completions_* ----
const cChunk = (c: Ctx, choices: unknown[], usage: unknown = null) => `data: ${JSON.stringify({ id: c.id, object: 'text_completion', created: c.created, model: c.model, choices, usage })}\n\n`;
const cTokenPre = new WeakMap<Ctx, string>();
const cUsage = (c: Ctx, input: number, output: number) => ({ prompt_tokens: input, completion_tokens: output, total_tokens: input + output, prompt_tokens_details: { cached_tokens: c.cached ?? 0 } });

export const completions = {
  tokenJson: (c: Ctx, json: string) => {
    let pre = cTokenPre.get(c);
    if (pre === undefined) { pre = `data: {"id":${JSON.stringify(c.id)},"object":"text_completion","created":${c.created},"model":${JSON.stringify(c.model)},"choices":[{"index":0,"text":`; cTokenPre.set(c, pre); }
    return `${pre}${json},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`;
  },
  finish: (c: Ctx, reason: string) => cChunk(c, [{ index: 0, text: '', logprobs: null, finish_reason: reason }]),
  usage: (c: Ctx, input: number, output: number) => cChunk(c, [], cUsage(c, input, output)),
  done: () => 'data: [DONE]\n\n',
  json: (c: Ctx, text: string, reason: string, input: number, output: number) => JSON.stringify({ id: c.id, object: 'text_completion', created: c.created, model: c.model, choices: [{ index: 0, text, logprobs: null, finish_reason: reason }], usage: cUsage(c, input, output) }),
};
