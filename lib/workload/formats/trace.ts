// Timestamped traces (docs/WORKLOADS.md), one request a line:
//  - Mooncake (https://github.com/kvcache-ai/Mooncake, FAST'25 traces): {"timestamp": ms,
//    "input_length": N, "output_length": M, "hash_ids": [..]} — each hash id a 512-token block
//    of the prompt, equal ids meaning a shared prefix block;
//  - generic: {"timestamp": ms, "messages": [...] | "input_length": N, "max_tokens" | "output_length": M}.
import { json, maxTokensOf, messagesOf, RecordError, type ChatMessage } from './types.ts';

export interface TraceRecord {
  /** ms from the trace's clock (only differences matter) */
  timestamp: number;
  messages?: ChatMessage[];
  inputLength?: number;
  outputLength?: number;
  hashIds?: number[];
}

export function parseTraceLine(text: string): TraceRecord {
  const o = json(text);
  if (typeof o.timestamp !== 'number' || !Number.isFinite(o.timestamp) || o.timestamp < 0) throw new RecordError(`timestamp must be a number of milliseconds ≥ 0, not ${JSON.stringify(o.timestamp)}`);
  const r: TraceRecord = { timestamp: o.timestamp };
  if (o.messages !== undefined) r.messages = messagesOf(o.messages, 'messages');
  else if (o.input_length !== undefined) {
    if (!Number.isInteger(o.input_length) || (o.input_length as number) < 1) throw new RecordError(`input_length must be an integer ≥ 1, not ${JSON.stringify(o.input_length)}`);
    r.inputLength = o.input_length as number;
  } else throw new RecordError('needs messages or input_length');
  const out = o.output_length ?? maxTokensOf(o, '');
  if (out !== undefined) {
    if (!Number.isInteger(out) || (out as number) < 1) throw new RecordError(`output_length must be an integer ≥ 1, not ${JSON.stringify(out)}`);
    r.outputLength = out as number;
  }
  if (o.hash_ids !== undefined) {
    if (!Array.isArray(o.hash_ids) || !o.hash_ids.every((h) => Number.isInteger(h))) throw new RecordError('hash_ids must be an array of integers');
    r.hashIds = o.hash_ids as number[];
  }
  return r;
}

export const traceFormat = { name: 'trace', layout: 'lines' as const, parse: (t: string) => { parseTraceLine(t); return { messages: [] }; } };
