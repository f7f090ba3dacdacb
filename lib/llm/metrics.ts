// lib/llm's metrics, declared once per thread on import (names and formulas: docs/METRICS.md).
import { Counter, Gauge, Rate, Trend } from '../metrics.ts';
import type { Tags } from '../runtime.ts';
import type { Phases } from './timing.ts';

export const M = {
  ttft: new Trend('llm_ttft', true),
  itl: new Trend('llm_itl', true),
  tpot: new Trend('llm_tpot', true),
  e2e: new Trend('llm_e2e', true),
  tps: new Trend('llm_tokens_per_second'),
  requests: new Counter('llm_requests'),
  errors: new Rate('llm_errors'),
  inputTokens: new Counter('llm_input_tokens'),
  outputTokens: new Counter('llm_output_tokens'),
  retries: new Counter('llm_retries'),
  aborted: new Counter('llm_aborted'),
  retryWait: new Trend('llm_retry_wait', true),
  rateLimited: new Counter('llm_rate_limited'),
  // requests re-sent on a new connection after the server closed a reused one unanswered
  connResends: new Counter('llm_conn_resends'),
  truncated: new Rate('llm_truncated'),
  incomplete: new Rate('llm_incomplete'),
  // goodput (lib/llm/goodput.ts): recorded only when bounds are set
  good: new Rate('llm_good'),
  goodput: new Counter('llm_goodput'),
  goodTokens: new Counter('llm_good_output_tokens'),
  costUsd: new Counter('llm_cost_usd'),
  costCny: new Counter('llm_cost_cny'),
  unpriced: new Counter('llm_unpriced'),
  remainingRequests: new Gauge('llm_ratelimit_remaining_requests'),
  remainingTokens: new Gauge('llm_ratelimit_remaining_tokens'),
  httpReqs: new Counter('http_reqs'),
  httpDuration: new Trend('http_req_duration', true),
  httpWaiting: new Trend('http_req_waiting', true),
  httpBlocked: new Trend('http_req_blocked', true),
  httpConnecting: new Trend('http_req_connecting', true),
  httpTls: new Trend('http_req_tls_handshaking', true),
  httpSending: new Trend('http_req_sending', true),
  httpReceiving: new Trend('http_req_receiving', true),
  httpFailed: new Rate('http_req_failed'),
  dataSent: new Counter('data_sent'),
  dataReceived: new Counter('data_received'),
};

/** k6's http_req_* phase trends for one finished (or failed) attempt */
export function recordPhases(p: Phases, tags: Tags): void {
  M.httpDuration.addShared(p.duration, tags);
  M.httpBlocked.addShared(p.blocked, tags);
  M.httpConnecting.addShared(p.connecting, tags);
  M.httpTls.addShared(p.tls_handshaking, tags);
  M.httpSending.addShared(p.sending, tags);
  M.httpWaiting.addShared(p.waiting, tags);
  M.httpReceiving.addShared(p.receiving, tags);
}
