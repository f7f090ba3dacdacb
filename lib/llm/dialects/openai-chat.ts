// OpenAI chat completions, and everything that speaks it (vLLM, OpenRouter, Groq, DeepSeek,
// Gemini's OpenAI endpoint, Together, Azure, llama.cpp, Ollama).
// https://platform.openai.com/docs/api-reference/chat-streaming ; fixtures in test/fixtures/wire/sse.
import { bytesAt } from '../bytes.ts';
import { bearerHeaders } from './headers.ts';
import { ReaderBase } from './reader-base.ts';
import { openaiUsage } from '../usage.ts';
import { OUTPUT, NO_OUTPUT, REASONING } from '../types.ts';
import type { Dialect, ReadResult, ToolCall } from '../types.ts';

type Json = Record<string, any>;

const usageOf = (o: Json): ReadResult['usage'] => openaiUsage(o); // lib/llm/usage.ts

function errMessage(e: any): string {
  if (typeof e === 'string') return e;
  return String(e?.message ?? JSON.stringify(e));
}

// Fast path for the chunk that makes up almost all of a stream: one choice, a content delta,
// no finish reason, no usage. Only the content string literal is parsed; anything else (or any
// doubt) takes the full JSON.parse path, so results are identical (the fixture property
// tests run both paths). Measured: JSON.parse of whole chunks was the client's largest
// per-event cost (docs/PERFORMANCE.md).
const HEAD = '"choices":[{"index":0,"delta":{"content":"';
const TAIL = /\},"logprobs":null,"finish_reason":null\}\](?:,"usage":null)?\}$/y; // sticky: tested in place, no substring
function fastContent(data: string): string | null {
  const i = data.indexOf(HEAD);
  if (i < 0 || data.includes('"error"') || data.includes('"x_groq"') || data.includes('"tool_calls"') || data.includes('"reasoning')) return null;
  const start = i + HEAD.length;
  let end = start;
  for (;;) {
    end = data.indexOf('"', end);
    if (end < 0) return null;
    let bs = 0;
    for (let k = end - 1; k >= start && data.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 0) break;
    end++;
  }
  TAIL.lastIndex = end + 1;
  if (!TAIL.test(data)) return null;
  const bs = data.indexOf('\\', start);
  if (bs < 0 || bs > end) return data.slice(start, end);
  try { return JSON.parse(data.slice(start - 1, end + 1)) as string; } catch { return null; }
}

// The same fast path over raw bytes (SseParser's `bytes` hook): no decoded chunk, no line or
// data string, the content's bytes go straight into the sink. Taken only when the data is
// exactly `{` flat scalar fields (no `{` or `[`, no "error" key) HEAD content TAIL, the content
// valid UTF-8 without escapes or control characters; anything else returns -1 and the event is
// decoded and read by onEvent (identical results: lib/llm/sse.test.ts runs both paths).
const HEAD_B = Buffer.from(HEAD);
const ERROR_B = Buffer.from('"error"');
const TAILS_B = ['"},"logprobs":null,"finish_reason":null}]}', '"},"logprobs":null,"finish_reason":null}],"usage":null}'].map((t) => Buffer.from(t));

/** End of the `{` … HEAD run at b[s] (where the content starts), or -1. */
function prefixEnd(b: Buffer, s: number, e: number): number {
  if (b[s] !== 0x7b) return -1; // {
  for (let k = s + 1; k < e; k++) {
    const c = b[k]!;
    if (c === 0x5b || c === 0x7b || c < 0x20) return -1; // [ or { before "choices": not the common chunk
    if (c === 0x22) { // "
      if (b[k + 1] === 0x63 && bytesAt(b, k, e, HEAD_B)) return k + HEAD_B.length; // "choices":[{"index":0,…
      if (b[k + 1] === 0x65 && bytesAt(b, k, e, ERROR_B)) return -1; // "error"
    }
  }
  return -1;
}

class Reader extends ReaderBase {
  constructor() { super(prefixEnd, TAILS_B); }

  onEvent(_event: string, data: string) {
    if (this.failed) return NO_OUTPUT;
    if (data === '[DONE]') { this.r.done = true; return NO_OUTPUT; }
    const fast = fastContent(data);
    if (fast !== null) {
      if (fast.length === 0) return NO_OUTPUT;
      this.content.append(fast);
      this.r.outputEvents++;
      return OUTPUT;
    }
    let o: Json;
    try { o = JSON.parse(data); } catch {
      // a data line that is not JSON: the request failed here; nothing after it counts
      this.failed = true;
      this.r.error = { kind: 'protocol', message: `malformed JSON in stream: ${data.slice(0, 120)}` };
      return { output: false, fatal: true };
    }
    let output = false, answer = false;
    if (o.error) this.r.error ??= { kind: 'stream_error', message: errMessage(o.error) };
    const choices = Array.isArray(o.choices) ? o.choices : [];
    for (const ch of choices) {
      const d = ch?.delta ?? {};
      if (typeof d.content === 'string' && d.content.length) { this.content.append(d.content); output = answer = true; }
      const reasoning = d.reasoning_content ?? d.reasoning;
      if (typeof reasoning === 'string' && reasoning.length) { this.r.reasoning += reasoning; output = true; }
      if (Array.isArray(d.tool_calls)) {
        for (const tc of d.tool_calls) {
          const idx = typeof tc.index === 'number' ? tc.index : this.tools.size;
          let t = this.tools.get(idx);
          if (!t) { t = { index: idx, id: '', name: '', arguments: '' }; this.tools.set(idx, t); }
          if (tc.id) { t.id = tc.id; output = answer = true; }
          if (tc.function?.name) { t.name = tc.function.name; output = answer = true; }
          if (typeof tc.function?.arguments === 'string' && tc.function.arguments.length) { t.arguments += tc.function.arguments; output = answer = true; }
        }
      }
      if (ch?.finish_reason) this.r.finishReason = ch.finish_reason;
    }
    const u = usageOf(o);
    if (u) this.r.usage = u;
    if (output) this.r.outputEvents++;
    return output ? (answer ? OUTPUT : REASONING) : NO_OUTPUT;
  }

  finish(): ReadResult {
    this.collect();
    if (!this.r.error && !this.r.done && !this.r.finishReason) this.r.error = { kind: 'protocol', message: 'stream ended without [DONE] or a finish_reason (truncated)' };
    return this.r;
  }
}

export const openaiChat: Dialect = {
  name: 'openai-chat',
  path: '/chat/completions',
  headers: bearerHeaders,
  prepare(body, { includeUsage }) {
    // Anthropic's cache breakpoints mean nothing here (OpenAI caches automatically): dropped
    const msgs = body.messages as Array<Record<string, unknown>> | undefined;
    if (Array.isArray(msgs) && msgs.some((m) => m.cache_control)) body = { ...body, messages: msgs.map(({ cache_control: _c, ...m }) => m) };
    if (body.stream && includeUsage) {
      const so = (body.stream_options as Record<string, unknown> | undefined) ?? {};
      if (so.include_usage === undefined) return { ...body, stream_options: { ...so, include_usage: true } };
    }
    return body;
  },
  stream: () => new Reader(),
  parseJson(text) {
    const o = JSON.parse(text) as Json;
    const ch = o.choices?.[0] ?? {};
    const m = ch.message ?? {};
    const tools: ToolCall[] = (m.tool_calls ?? []).map((t: Json, i: number) => ({ index: i, id: t.id ?? '', name: t.function?.name ?? '', arguments: t.function?.arguments ?? '' }));
    const content = typeof m.content === 'string' ? m.content : '';
    const reasoning = m.reasoning_content ?? m.reasoning ?? '';
    return {
      content, reasoning: typeof reasoning === 'string' ? reasoning : '', toolCalls: tools, finishReason: ch.finish_reason ?? null, usage: usageOf(o),
      outputEvents: content || reasoning || tools.length ? 1 : 0, done: true,
      error: o.error ? { kind: 'stream_error', message: errMessage(o.error) } : Array.isArray(o.choices) ? null : { kind: 'protocol', message: 'response has no choices' },
    };
  },
  promptText(body) {
    const msgs = (body.messages as Array<{ content?: unknown }> | undefined) ?? [];
    return msgs.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');
  },
};
