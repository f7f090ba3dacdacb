import type { RawUsage } from './usage.ts';
// Shapes shared by the LLM client's modules.
export const ERROR_KINDS = ['rate_limited', 'quota', 'auth', 'bad_request', 'not_found', 'server', 'overloaded', 'timeout_connect', 'timeout_headers', 'stall', 'timeout_total', 'stream_error', 'protocol', 'network', 'tls', 'proxy', 'aborted'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface LlmError { kind: ErrorKind; message: string; status?: number }
export interface ToolCall { index: number; id: string; name: string; arguments: string }
export interface Usage {
  inputTokens: number; outputTokens: number; source: 'usage' | 'estimate';
  /** of inputTokens: served from the provider's cache, and written to it; of outputTokens:
   *  reasoning (lib/llm/usage.ts); 0 where usage does not say */
  cachedTokens?: number; cacheWriteTokens?: number; reasoningTokens?: number;
}

/** What a dialect reader extracts from a response (stream or JSON). */
export interface ReadResult {
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  usage: RawUsage | null;
  outputEvents: number;
  done: boolean;
  error: LlmError | null;
}

/** Per-event verdict from a stream reader. */
export interface EventVerdict { output: boolean; fatal?: boolean; /** output, but reasoning only (no answer text or tool call): TTFO waits for the answer */ reasoning?: boolean }
/** the two common verdicts, shared: no object per event on the hot path */
export const OUTPUT: EventVerdict = Object.freeze({ output: true });
export const NO_OUTPUT: EventVerdict = Object.freeze({ output: false });
export const REASONING: EventVerdict = Object.freeze({ output: true, reasoning: true });

export interface StreamReader {
  onEvent(event: string, data: string): EventVerdict;
  /** Optional fast path over the raw bytes of one event's data (buf[start, end)) and name
   *  (buf[eventStart, eventEnd), -1 for none): the verdict, or null when this event needs
   *  onEvent (then nothing was changed). */
  onDataBytes?(buf: Buffer, start: number, end: number, eventStart: number, eventEnd: number): EventVerdict | null;
  /** called at end of stream: applies truncation rules */
  finish(): ReadResult;
}

export interface Dialect {
  name: string;
  /** path appended to the base URL */
  path: string;
  headers(apiKey: string | undefined, extra: Record<string, string>): Record<string, string>;
  /** adjusts a provider-native body before sending (e.g. include_usage) */
  prepare(body: Record<string, unknown>, opts: { includeUsage: boolean }): Record<string, unknown>;
  stream(): StreamReader;
  parseJson(text: string): ReadResult;
  /** text of the prompt, for token estimates when usage is missing */
  promptText(body: Record<string, unknown>): string;
}

/** A response that ended cleanly but without a finish_reason (Anthropic: stop_reason): some
 *  servers end an interrupted generation that way (test/fixtures/wire/README.md). Not an error,
 *  never a complete success: llm_incomplete. */
export function isIncomplete(r: ReadResult): boolean { return r.error === null && r.finishReason === null; }

/** One line of the per-request log (requests.ndjson.gz): the raw facts of one LLM call, for
 *  `llmload compare`, statistics and other tools (docs/METRICS.md, "Per-request log"). */
export interface RequestRecord {
  /** dispatch time of the last attempt, Unix ms */
  t: number;
  scenario: string;
  provider: string;
  model: string;
  stream: boolean;
  status: number;
  /** null when it succeeded */
  error_kind: ErrorKind | null;
  ttft_ms: number | null;
  e2e_ms: number | null;
  /** streams: time per output token after the first, (last output − first output) / (out_tok − 1) */
  tpot_ms?: number;
  /** started in the run's warm-up (--warmup): in the log, in no metric */
  warmup?: boolean;
  /** streams: output events received (tokens per event = out_tok / events) */
  events?: number;
  /** streams whose answer came after reasoning: time to the first answer token */
  ttfo_ms?: number;
  /** inter-token gaps of a stream: count, mean, median, max (ms) */
  itl: { n: number; mean: number; p50: number; max: number } | null;
  in_tok: number;
  out_tok: number;
  tok_src: 'usage' | 'estimate';
  retries: number;
  retry_wait_ms: number;
  cost_usd: number;
  incomplete: boolean;
  /** met every goodput bound (null: the run set none) */
  good: boolean | null;
  /** the server's request id (x-request-id, Anthropic's request-id): joins a record with the
   *  provider's own logs, or with the simulator's ground truth */
  req_id: string | null;
  /** arrival executors: the planned start (Unix ms) and how late chat() sent the request (ms:
   *  handed to its HTTP client − the plan; docs/WORKLOADS.md) */
  sched_t?: number;
  lag_ms?: number;
  /** the output tokens asked for (max_tokens), to compare with out_tok */
  req_out?: number;
  /** of in_tok: from the provider's cache, written to it; of out_tok: reasoning (when usage says) */
  cached_tok?: number;
  /** conversations: the turn of its session (lib/workload/conversation.ts) */
  turn?: number;
  cache_write_tok?: number;
  reasoning_tok?: number;
}
