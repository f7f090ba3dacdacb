// lib/llm's metrics, declared once per thread on import (names and formulas: docs/METRICS.md).
import { Counter, Gauge, Rate, Trend } from '../metrics.ts';

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
  retryWait: new Trend('llm_retry_wait', true),
  rateLimited: new Counter('llm_rate_limited'),
  truncated: new Rate('llm_truncated'),
  costUsd: new Counter('llm_cost_usd'),
  costCny: new Counter('llm_cost_cny'),
  remainingRequests: new Gauge('llm_ratelimit_remaining_requests'),
  remainingTokens: new Gauge('llm_ratelimit_remaining_tokens'),
  httpReqs: new Counter('http_reqs'),
  httpDuration: new Trend('http_req_duration', true),
  httpWaiting: new Trend('http_req_waiting', true),
  httpFailed: new Rate('http_req_failed'),
  dataSent: new Counter('data_sent'),
  dataReceived: new Counter('data_received'),
};
