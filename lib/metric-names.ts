// Every built-in metric, named once: its name, type and what it contains. The engine (store,
// summary, report, health, outputs), lib/llm's declarations and the distributed merge import
// names from here, so a rename is one edit. Formulas: docs/METRICS.md.
export type BuiltinType = 'counter' | 'gauge' | 'rate' | 'trend';
type Def = readonly [name: string, type: BuiltinType, contains: 'default' | 'time' | 'data'];

const TABLE = {
  // k6's own
  iterations: ['iterations', 'counter', 'default'],
  iterationDuration: ['iteration_duration', 'trend', 'time'],
  droppedIterations: ['dropped_iterations', 'counter', 'default'],
  iterationStartLag: ['iteration_start_lag', 'trend', 'time'],
  vus: ['vus', 'gauge', 'default'],
  vusMax: ['vus_max', 'gauge', 'default'],
  checks: ['checks', 'rate', 'default'],
  groupDuration: ['group_duration', 'trend', 'time'],
  dataSent: ['data_sent', 'counter', 'data'],
  dataReceived: ['data_received', 'counter', 'data'],
  httpReqs: ['http_reqs', 'counter', 'default'],
  httpReqDuration: ['http_req_duration', 'trend', 'time'],
  httpReqWaiting: ['http_req_waiting', 'trend', 'time'],
  httpReqBlocked: ['http_req_blocked', 'trend', 'time'],
  httpReqConnecting: ['http_req_connecting', 'trend', 'time'],
  httpReqTlsHandshaking: ['http_req_tls_handshaking', 'trend', 'time'],
  httpReqSending: ['http_req_sending', 'trend', 'time'],
  httpReqReceiving: ['http_req_receiving', 'trend', 'time'],
  httpReqFailed: ['http_req_failed', 'rate', 'default'],
  sseEvent: ['sse_event', 'counter', 'default'],
  // the generator's health (engine/health.ts)
  generatorEventLoopLag: ['generator_event_loop_lag', 'trend', 'time'],
  // per thread and second: max(event-loop delay p99, longest GC pause) in the threads that take timestamps
  generatorTimingError: ['generator_timing_error', 'trend', 'time'],
  generatorCpuPercent: ['generator_cpu_percent', 'gauge', 'default'],
  // LLM calls (lib/llm)
  ttft: ['llm_ttft', 'trend', 'time'],
  // time to the first answer token, not reasoning (AIPerf's TTFO); = TTFT for a model that does not reason
  ttfo: ['llm_ttfo', 'trend', 'time'],
  itl: ['llm_itl', 'trend', 'time'],
  tpot: ['llm_tpot', 'trend', 'time'],
  e2e: ['llm_e2e', 'trend', 'time'],
  tokensPerSecond: ['llm_tokens_per_second', 'trend', 'default'],
  requests: ['llm_requests', 'counter', 'default'],
  errors: ['llm_errors', 'rate', 'default'],
  inputTokens: ['llm_input_tokens', 'counter', 'default'],
  outputTokens: ['llm_output_tokens', 'counter', 'default'],
  retries: ['llm_retries', 'counter', 'default'],
  aborted: ['llm_aborted', 'counter', 'default'],
  retryWait: ['llm_retry_wait', 'trend', 'time'],
  rateLimited: ['llm_rate_limited', 'counter', 'default'],
  connResends: ['llm_conn_resends', 'counter', 'default'],
  truncated: ['llm_truncated', 'rate', 'default'],
  incomplete: ['llm_incomplete', 'rate', 'default'],
  good: ['llm_good', 'rate', 'default'],
  goodput: ['llm_goodput', 'counter', 'default'],
  goodOutputTokens: ['llm_good_output_tokens', 'counter', 'default'],
  // of the input: served from the provider's prompt cache, written to it; of the output: reasoning
  cachedInputTokens: ['llm_cached_input_tokens', 'counter', 'default'],
  cacheWriteTokens: ['llm_cache_write_tokens', 'counter', 'default'],
  reasoningTokens: ['llm_reasoning_tokens', 'counter', 'default'],
  // conversations (lib/workload/conversation.ts): sessions, their turns and their length
  sessions: ['llm_sessions', 'counter', 'default'],
  sessionTurns: ['llm_session_turns', 'trend', 'default'],
  sessionDuration: ['llm_session_duration', 'trend', 'time'],
  // per request: the prompt's and the answer's tokens, and the output length asked for
  requestInputTokens: ['llm_request_input_tokens', 'trend', 'default'],
  requestOutputTokens: ['llm_request_output_tokens', 'trend', 'default'],
  requestedOutputTokens: ['llm_requested_output_tokens', 'trend', 'default'],
  costUsd: ['llm_cost_usd', 'counter', 'default'],
  costCny: ['llm_cost_cny', 'counter', 'default'],
  unpriced: ['llm_unpriced', 'counter', 'default'],
  remainingRequests: ['llm_ratelimit_remaining_requests', 'gauge', 'default'],
  remainingTokens: ['llm_ratelimit_remaining_tokens', 'gauge', 'default'],
  activeStreams: ['llm_active_streams', 'gauge', 'default'],
  // seconds the target took to recover after a spike (engine/summary/recovery.ts); once, at the end
  recoverySeconds: ['llm_recovery_seconds', 'gauge', 'default'],
  // --usage-check N: of 1 in N calls with usage, the server's output tokens and the client's own
  // count of the same answer (lib/llm/outcome.ts); the summary's byModel[].usage_check
  // embed() (lib/llm/embed.ts): calls, failures, latency, items and input tokens
  embedRequests: ['llm_embed_requests', 'counter', 'default'],
  embedErrors: ['llm_embed_errors', 'rate', 'default'],
  embedDuration: ['llm_embed_duration', 'trend', 'time'],
  embedItems: ['llm_embed_items', 'counter', 'default'],
  embedInputTokens: ['llm_embed_input_tokens', 'counter', 'default'],
  usageCheckServer: ['llm_usage_check_server_tokens', 'counter', 'default'],
  usageCheckClient: ['llm_usage_check_client_tokens', 'counter', 'default'],
} as const satisfies Record<string, Def>;

type Key = keyof typeof TABLE;
/** built-in metric names by role: MN.ttft === 'llm_ttft' */
export const MN = Object.fromEntries(Object.entries(TABLE).map(([k, d]) => [k, d[0]])) as { readonly [K in Key]: (typeof TABLE)[K][0] };
/** a built-in metric's definition by role */
export function builtin(k: Key): { name: string; type: BuiltinType; contains: 'default' | 'time' | 'data' } {
  const [name, type, contains] = TABLE[k];
  return { name, type, contains };
}
