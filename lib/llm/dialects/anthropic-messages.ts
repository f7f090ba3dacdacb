// Anthropic Messages: https://docs.anthropic.com/en/api/messages-streaming
// Events: message_start, content_block_start/delta/stop, message_delta, message_stop, ping, error.
import { bytesAt } from '../bytes.ts';
import { ReaderBase } from './reader-base.ts';
import { anthropicUsage } from '../usage.ts';
import { OUTPUT, NO_OUTPUT, REASONING } from '../types.ts';
import type { Dialect, ReadResult, ToolCall } from '../types.ts';

type Json = Record<string, any>;

// Byte path (SseParser's `bytes` hook) for the event that makes up almost all of a stream:
// {"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}} with a plain
// text string. The data's own "type" decides the event (onEvent: o.type ?? event), so the
// event line's name is not needed. Anything else goes to onEvent (lib/llm/sse.test.ts).
const HEAD1 = Buffer.from('{"type":"content_block_delta","index":');
const HEAD2 = Buffer.from(',"delta":{"type":"text_delta","text":"');
const TAILS = [Buffer.from('"}}')];
function prefixEnd(b: Buffer, s: number, e: number): number {
  if (!bytesAt(b, s, e, HEAD1)) return -1;
  let k = s + HEAD1.length;
  const d0 = k;
  while (k < e && b[k]! >= 0x30 && b[k]! <= 0x39) k++;
  if (k === d0 || k - d0 > 9 || (b[d0] === 0x30 && k - d0 > 1)) return -1; // a JSON integer
  return bytesAt(b, k, e, HEAD2) ? k + HEAD2.length : -1;
}

class Reader extends ReaderBase {
  /** message_start's usage: input, cache reads and writes (output comes in message_delta) */
  private startUsage: Record<string, unknown> | null = null;
  constructor() { super(prefixEnd, TAILS); }

  onEvent(event: string, data: string) {
    if (this.failed) return NO_OUTPUT;
    let o: Json;
    try { o = JSON.parse(data); } catch {
      this.failed = true;
      this.r.error = { kind: 'protocol', message: `malformed JSON in stream: ${data.slice(0, 120)}` };
      return { output: false, fatal: true };
    }
    const type = o.type ?? event;
    let output = false, answer = false;
    switch (type) {
      case 'message_start': {
        const u = o.message?.usage;
        if (u) this.startUsage = u;
        break;
      }
      case 'content_block_start': {
        const b = o.content_block ?? {};
        if (b.type === 'tool_use' || b.type === 'server_tool_use') { this.tools.set(o.index, { index: o.index, id: b.id ?? '', name: b.name ?? '', arguments: '' }); output = answer = true; }
        else if (b.type === 'text' && b.text) { this.content.append(b.text); output = answer = true; }
        else if (b.type === 'thinking' && b.thinking) { this.r.reasoning += b.thinking; output = true; }
        break;
      }
      case 'content_block_delta': {
        const d = o.delta ?? {};
        if (d.type === 'text_delta' && d.text) { this.content.append(d.text); output = answer = true; }
        else if (d.type === 'thinking_delta' && d.thinking) { this.r.reasoning += d.thinking; output = true; }
        else if (d.type === 'input_json_delta' && d.partial_json) {
          const t = this.tools.get(o.index) ?? { index: o.index, id: '', name: '', arguments: '' };
          t.arguments += d.partial_json;
          this.tools.set(o.index, t);
          output = answer = true;
        }
        break; // signature_delta and empty deltas are not output
      }
      case 'message_delta':
        if (o.delta?.stop_reason) this.r.finishReason = o.delta.stop_reason;
        // message_delta's usage is cumulative (output, and on some servers the input parts too)
        if (o.usage) this.r.usage = anthropicUsage({ ...(this.startUsage ?? {}), ...o.usage }, o.usage.output_tokens ?? 0);
        break;
      case 'message_stop': this.r.done = true; break;
      case 'error': this.r.error ??= { kind: 'stream_error', message: String(o.error?.message ?? o.error?.type ?? 'error event') }; break;
      default: break; // ping and future event types
    }
    if (output) this.r.outputEvents++;
    return output ? (answer ? OUTPUT : REASONING) : NO_OUTPUT;
  }

  finish(): ReadResult {
    this.collect();
    if (!this.r.error && !this.r.done) this.r.error = { kind: 'protocol', message: 'stream ended without message_stop (truncated)' };
    return this.r;
  }
}

export const anthropicMessages: Dialect = {
  name: 'anthropic-messages',
  path: '/messages',
  headers(apiKey, extra) {
    const h: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...extra };
    if (apiKey) h['x-api-key'] = apiKey;
    return h;
  },
  // An OpenAI-shaped body works too: leading system messages become the top-level `system`, and
  // a message's `cache_control` (lib/workload/conversation.ts, cacheControl: true) becomes an
  // explicit cache breakpoint on its text (Anthropic prompt caching: content blocks with
  // cache_control; https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching)
  prepare(body) {
    const msgs = body.messages as Array<Record<string, unknown>> | undefined;
    if (!Array.isArray(msgs) || !msgs.some((m) => m.role === 'system' || m.cache_control)) return body;
    const block = (m: Record<string, unknown>) => ({ type: 'text', text: typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''), ...(m.cache_control ? { cache_control: m.cache_control } : {}) });
    const sys = msgs.filter((m) => m.role === 'system');
    const rest = msgs.filter((m) => m.role !== 'system').map((m) => (m.cache_control ? { role: m.role, content: [block(m)] } : m));
    const system = body.system ?? (sys.length === 0 ? undefined : sys.some((m) => m.cache_control) ? sys.map(block) : sys.map((m) => String(m.content ?? '')).join('\n'));
    return { ...body, ...(system !== undefined ? { system } : {}), messages: rest };
  },
  stream: () => new Reader(),
  parseJson(text) {
    const o = JSON.parse(text) as Json;
    let content = '', reasoning = '';
    const tools: ToolCall[] = [];
    (o.content ?? []).forEach((b: Json, i: number) => {
      if (b.type === 'text') content += b.text ?? '';
      else if (b.type === 'thinking') reasoning += b.thinking ?? '';
      else if (b.type === 'tool_use') tools.push({ index: i, id: b.id, name: b.name, arguments: JSON.stringify(b.input ?? {}) });
    });
    return {
      content, reasoning, toolCalls: tools, finishReason: o.stop_reason ?? null,
      usage: anthropicUsage(o.usage),
      outputEvents: content || reasoning || tools.length ? 1 : 0, done: true,
      error: o.type === 'error' ? { kind: 'stream_error', message: String(o.error?.message) } : null,
    };
  },
  promptText(body) {
    const sys = typeof body.system === 'string' ? body.system : Array.isArray(body.system) ? (body.system as Array<{ text?: string }>).map((b) => b.text ?? '').join('\n') : '';
    const msgs = (body.messages as Array<{ content?: unknown }> | undefined) ?? [];
    return [sys, ...msgs.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? '')))].join('\n');
  },
};
