// OpenAI's Responses API (POST /responses), also served by OpenRouter and vLLM: a chat() body
// (messages, max_tokens) becomes input items and max_output_tokens; the stream is semantic
// events, each with an `event:` name and the same `type` in its data.
// https://platform.openai.com/docs/api-reference/responses-streaming ; fixtures in
// test/fixtures/wire/sse/responses_*.
//  - output: response.output_text.delta (answer), response.reasoning_summary_text.delta and
//    response.reasoning_text.delta (reasoning), a function_call output item and its
//    response.function_call_arguments.delta (answer: a tool call);
//  - the end: response.completed (finish "completed"), response.incomplete (finish = its
//    incomplete_details.reason: max_output_tokens counts as truncated; no reason: incomplete),
//    response.failed (stream_error with its error), a top-level `error` event (stream_error);
//  - usage from the final response object (lib/llm/usage.ts responsesUsage).
import { TextSink } from '../text-sink.ts';
import { bearerHeaders } from './headers.ts';
import { responsesUsage } from '../usage.ts';
import { OUTPUT, NO_OUTPUT, REASONING } from '../types.ts';
import type { Dialect, EventVerdict, ReadResult, StreamReader, ToolCall } from '../types.ts';

type Json = Record<string, any>;

function ended(r: ReadResult, resp: Json | undefined, type: string): void {
  r.done = true;
  if (resp?.usage) r.usage = responsesUsage(resp.usage);
  if (type === 'response.completed') r.finishReason = 'completed';
  else if (type === 'response.incomplete') r.finishReason = resp?.incomplete_details?.reason ?? null;
  else if (type === 'response.failed') r.error ??= { kind: 'stream_error', message: String(resp?.error?.message ?? resp?.error?.code ?? 'response failed') };
}

class Reader implements StreamReader {
  private r: ReadResult = { content: '', reasoning: '', toolCalls: [], finishReason: null, usage: null, outputEvents: 0, done: false, error: null };
  private content = new TextSink();
  private tools = new Map<number, ToolCall>();
  private failed = false;

  onEvent(event: string, data: string): EventVerdict {
    if (this.failed || this.r.done) return NO_OUTPUT;
    let o: Json;
    try { o = JSON.parse(data); } catch {
      this.failed = true;
      this.r.error = { kind: 'protocol', message: `malformed JSON in stream: ${data.slice(0, 120)}` };
      return { output: false, fatal: true };
    }
    const type: string = o.type ?? event;
    let output = false, answer = false;
    switch (type) {
      case 'response.output_text.delta':
        if (typeof o.delta === 'string' && o.delta.length) { this.content.append(o.delta); output = answer = true; }
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        if (typeof o.delta === 'string' && o.delta.length) { this.r.reasoning += o.delta; output = true; }
        break;
      case 'response.output_item.added':
        if (o.item?.type === 'function_call') {
          this.tools.set(o.output_index ?? this.tools.size, { index: o.output_index ?? this.tools.size, id: o.item.call_id ?? o.item.id ?? '', name: o.item.name ?? '', arguments: o.item.arguments ?? '' });
          output = answer = true;
        }
        break;
      case 'response.function_call_arguments.delta': {
        if (typeof o.delta !== 'string' || !o.delta.length) break;
        const i = o.output_index ?? 0;
        const t = this.tools.get(i) ?? { index: i, id: o.item_id ?? '', name: '', arguments: '' };
        t.arguments += o.delta;
        this.tools.set(i, t);
        output = answer = true;
        break;
      }
      case 'response.completed': case 'response.incomplete': case 'response.failed':
        ended(this.r, o.response, type);
        break;
      case 'error':
        this.r.error ??= { kind: 'stream_error', message: String(o.message ?? o.error?.message ?? o.code ?? 'error event') };
        break;
      default: break; // response.created, in_progress, content_part.*, *.done, future types
    }
    if (output) this.r.outputEvents++;
    return output ? (answer ? OUTPUT : REASONING) : NO_OUTPUT;
  }

  finish(): ReadResult {
    this.r.content = this.content.toString();
    this.r.toolCalls = [...this.tools.values()].sort((a, b) => a.index - b.index);
    if (!this.r.error && !this.r.done) this.r.error = { kind: 'protocol', message: 'stream ended without response.completed, .incomplete or .failed (truncated)' };
    return this.r;
  }
}

/** chat()'s messages as Responses input items: roles kept (system → the system role, which
 *  the API takes as instructions), text content as input text */
function inputOf(msgs: Array<Record<string, unknown>>): unknown[] {
  return msgs.map((m) => ({ role: m.role, content: typeof m.content === 'string' ? m.content : m.content }));
}

export const openaiResponses: Dialect = {
  name: 'openai-responses',
  path: '/responses',
  headers: bearerHeaders,
  prepare(body) {
    // a body already in the Responses shape (input, max_output_tokens) goes as it is
    const { messages, max_tokens, max_completion_tokens, stream_options: _so, ...rest } = body as Json;
    const out: Json = { ...rest };
    if (out.input === undefined && Array.isArray(messages)) out.input = inputOf(messages.map(({ cache_control: _c, ...m }: Json) => m));
    const max = out.max_output_tokens ?? max_tokens ?? max_completion_tokens;
    if (max !== undefined) out.max_output_tokens = max;
    return out;
  },
  stream: () => new Reader(),
  parseJson(text) {
    const o = JSON.parse(text) as Json;
    let content = '', reasoning = '';
    const tools: ToolCall[] = [];
    (Array.isArray(o.output) ? o.output : []).forEach((item: Json, i: number) => {
      if (item.type === 'message') for (const c of item.content ?? []) { if (c.type === 'output_text') content += c.text ?? ''; }
      else if (item.type === 'reasoning') for (const c of [...(item.summary ?? []), ...(item.content ?? [])]) reasoning += c.text ?? '';
      else if (item.type === 'function_call') tools.push({ index: i, id: item.call_id ?? item.id ?? '', name: item.name ?? '', arguments: item.arguments ?? '' });
    });
    const r: ReadResult = { content, reasoning, toolCalls: tools, finishReason: null, usage: null, outputEvents: content || reasoning || tools.length ? 1 : 0, done: true, error: null };
    if (o.error && o.status !== 'completed') r.error = { kind: 'stream_error', message: String(o.error.message ?? o.error.code ?? 'response failed') };
    else if (!Array.isArray(o.output)) r.error = { kind: 'protocol', message: 'response has no output' };
    // the final object carries what the stream's terminal event would: status, its reason, usage
    ended(r, o, o.status === 'completed' ? 'response.completed' : o.status === 'incomplete' ? 'response.incomplete' : o.status === 'failed' ? 'response.failed' : '');
    return r;
  },
  promptText(body) {
    const input = body.input ?? body.messages;
    if (typeof input === 'string') return [body.instructions ?? '', input].join('\n');
    const items = (Array.isArray(input) ? input : []) as Array<{ content?: unknown }>;
    return [typeof body.instructions === 'string' ? body.instructions : '', ...items.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')))].join('\n');
  },
};
