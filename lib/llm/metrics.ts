// lib/llm's metrics, declared once per thread on import (names and formulas: docs/METRICS.md).
import { Counter, Gauge, Rate, Trend } from '../metrics.ts';
import type { Tags } from '../runtime.ts';
import type { Phases } from './timing.ts';
import { MN } from '../metric-names.ts';

export const M = {
  ttft: new Trend(MN.ttft, true),
  ttfo: new Trend(MN.ttfo, true),
  embedRequests: new Counter(MN.embedRequests),
  embedErrors: new Rate(MN.embedErrors),
  embedDuration: new Trend(MN.embedDuration, true),
  embedItems: new Counter(MN.embedItems),
  embedInputTokens: new Counter(MN.embedInputTokens),
  usageCheckServer: new Counter(MN.usageCheckServer),
  usageCheckClient: new Counter(MN.usageCheckClient),
  itl: new Trend(MN.itl, true),
  tpot: new Trend(MN.tpot, true),
  e2e: new Trend(MN.e2e, true),
  tps: new Trend(MN.tokensPerSecond),
  requests: new Counter(MN.requests),
  errors: new Rate(MN.errors),
  inputTokens: new Counter(MN.inputTokens),
  outputTokens: new Counter(MN.outputTokens),
  retries: new Counter(MN.retries),
  aborted: new Counter(MN.aborted),
  retryWait: new Trend(MN.retryWait, true),
  rateLimited: new Counter(MN.rateLimited),
  // requests re-sent on a new connection after the server closed a reused one unanswered
  connResends: new Counter(MN.connResends),
  truncated: new Rate(MN.truncated),
  incomplete: new Rate(MN.incomplete),
  // goodput (lib/llm/goodput.ts): recorded only when bounds are set
  good: new Rate(MN.good),
  goodput: new Counter(MN.goodput),
  goodTokens: new Counter(MN.goodOutputTokens),
  cachedInput: new Counter(MN.cachedInputTokens),
  cacheWrite: new Counter(MN.cacheWriteTokens),
  reasoning: new Counter(MN.reasoningTokens),
  reqInputTokens: new Trend(MN.requestInputTokens),
  reqOutputTokens: new Trend(MN.requestOutputTokens),
  requestedOutput: new Trend(MN.requestedOutputTokens),
  costUsd: new Counter(MN.costUsd),
  costCny: new Counter(MN.costCny),
  unpriced: new Counter(MN.unpriced),
  remainingRequests: new Gauge(MN.remainingRequests),
  remainingTokens: new Gauge(MN.remainingTokens),
  httpReqs: new Counter(MN.httpReqs),
  httpDuration: new Trend(MN.httpReqDuration, true),
  httpWaiting: new Trend(MN.httpReqWaiting, true),
  httpBlocked: new Trend(MN.httpReqBlocked, true),
  httpConnecting: new Trend(MN.httpReqConnecting, true),
  httpTls: new Trend(MN.httpReqTlsHandshaking, true),
  httpSending: new Trend(MN.httpReqSending, true),
  httpReceiving: new Trend(MN.httpReqReceiving, true),
  httpFailed: new Rate(MN.httpReqFailed),
  dataSent: new Counter(MN.dataSent, 'data'),
  dataReceived: new Counter(MN.dataReceived, 'data'),
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
