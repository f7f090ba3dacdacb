// Text completions (POST /completions): what vLLM's and SGLang's serving benchmarks and
// llama.cpp users load. A chat() body's messages become one `prompt` (their texts, a line
// each) unless the body has a prompt; the stream is chat's, with `choices[].text` deltas.
// https://platform.openai.com/docs/api-reference/completions ; fixtures in
// test/fixtures/wire/sse/completions_*.
import { TextSink } from '../text-sink.ts';
import { bearerHeaders } from './headers.ts';
import { openaiUsage } from '../usage.ts';
import { OUTPUT, NO_OUTPUT } from '../types.ts';
import type { Dialect, EventVerdict, ReadResult, StreamReader } from '../types.ts';

type Json = Record<string, any>;
const errMessage = (e: any) => (typeof e === 'string' ? e : String(e?.message ?? JSON.stringify(e)));

class Reader implements StreamReader {
  private r: ReadResult = { content: '', reasoning: '', toolCalls: [], finishReason: null, usage: null, outputEvents: 0, done: false, error: null };
  private content = new TextSink();
  private failed = false;

  onEvent(_event: string, data: string): EventVerdict {
    if (this.failed) return NO_OUTPUT;
    if (data === '[DONE]') { this.r.done = true; return NO_OUTPUT; }
    let o: Json;
    try { o = JSON.parse(data); } catch {
      this.failed = true;
      this.r.error = { kind: 'protocol', message: `malformed JSON in stream: ${data.slice(0, 120)}` };
      return { output: false, fatal: true };
    }
    if (o.error) this.r.error ??= { kind: 'stream_error', message: errMessage(o.error) };
    let output = false;
    for (const ch of Array.isArray(o.choices) ? o.choices : []) {
      if (typeof ch?.text === 'string' && ch.text.length) { this.content.append(ch.text); output = true; }
      if (ch?.finish_reason) this.r.finishReason = ch.finish_reason;
    }
    const u = openaiUsage(o);
    if (u) this.r.usage = u;
    if (output) this.r.outputEvents++;
    return output ? OUTPUT : NO_OUTPUT;
  }

  finish(): ReadResult {
    this.r.content = this.content.toString();
    if (!this.r.error && !this.r.done && !this.r.finishReason) this.r.error = { kind: 'protocol', message: 'stream ended without [DONE] or a finish_reason (truncated)' };
    return this.r;
  }
}

export const openaiCompletions: Dialect = {
  name: 'openai-completions',
  path: '/completions',
  headers: bearerHeaders,
  prepare(body, { includeUsage }) {
    const { messages, max_completion_tokens, ...rest } = body as Json;
    const out: Json = { ...rest };
    if (out.prompt === undefined && Array.isArray(messages)) out.prompt = messages.map((m: Json) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');
    if (out.max_tokens === undefined && max_completion_tokens !== undefined) out.max_tokens = max_completion_tokens;
    if (out.stream && includeUsage) {
      const so = (out.stream_options as Json | undefined) ?? {};
      if (so.include_usage === undefined) out.stream_options = { ...so, include_usage: true };
    }
    return out;
  },
  stream: () => new Reader(),
  parseJson(text) {
    const o = JSON.parse(text) as Json;
    const ch = o.choices?.[0] ?? {};
    const content = typeof ch.text === 'string' ? ch.text : '';
    return {
      content, reasoning: '', toolCalls: [], finishReason: ch.finish_reason ?? null, usage: openaiUsage(o),
      outputEvents: content ? 1 : 0, done: true,
      error: o.error ? { kind: 'stream_error', message: errMessage(o.error) } : Array.isArray(o.choices) ? null : { kind: 'protocol', message: 'response has no choices' },
    };
  },
  promptText(body) {
    if (typeof body.prompt === 'string') return body.prompt;
    if (Array.isArray(body.prompt)) return body.prompt.map(String).join('\n');
    const msgs = (body.messages as Array<{ content?: unknown }> | undefined) ?? [];
    return msgs.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');
  },
};
