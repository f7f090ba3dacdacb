// What every dataset format yields (lib/workload/dataset.ts): one request's messages, and the
// output length it asks for where the file says (max_tokens, or the recorded answer's length).
export interface ChatMessage { role: string; content: string }
export interface DatasetRecord {
  messages: ChatMessage[];
  /** the output length the record asks for, when it says */
  max_tokens?: number;
  /** the model the record names (OpenAI Batch bodies do) */
  model?: string;
  /** ShareGPT: the recorded answer, whose token count is the output length (vLLM's rule) */
  reference?: string;
  /** ShareGPT: every human turn and the answer recorded after it (conversations) */
  turns?: Array<{ user: string; reference?: string }>;
  system?: string;
}

/** a record that cannot be used: the message says what is wrong (the caller adds file and line) */
export class RecordError extends Error {}

export interface Format {
  name: string;
  /** how records are laid out: one a line (JSONL, text) or elements of one JSON array */
  layout: 'lines' | 'json-array';
  parse(text: string): DatasetRecord;
}

export function messagesOf(v: unknown, where: string): ChatMessage[] {
  if (!Array.isArray(v) || v.length === 0) throw new RecordError(`${where} must be a non-empty array of {role, content}`);
  return v.map((m, i) => {
    if (!m || typeof m !== 'object' || typeof (m as ChatMessage).role !== 'string') throw new RecordError(`${where}[${i}] has no role`);
    const c = (m as { content?: unknown }).content;
    // content parts ([{type: 'text', text}]) are joined to their text
    const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('') : null;
    if (text === null) throw new RecordError(`${where}[${i}].content must be a string or text parts`);
    return { role: (m as ChatMessage).role, content: text };
  });
}

export function maxTokensOf(o: Record<string, unknown>, where: string): number | undefined {
  const v = o.max_tokens ?? o.max_completion_tokens;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new RecordError(`${where}max_tokens must be an integer ≥ 1, not ${JSON.stringify(v)}`);
  return v;
}

export function json(text: string): Record<string, unknown> {
  let o: unknown;
  try { o = JSON.parse(text); } catch (e) { throw new RecordError(`not valid JSON (${(e as Error).message})`); }
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new RecordError('not a JSON object');
  return o as Record<string, unknown>;
}
