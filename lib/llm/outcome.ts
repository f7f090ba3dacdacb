// What one finished LLM call adds to the metrics, and the facts a caller gets back: tokens (from
// usage, else estimated and marked), derived timings, the error if any, cost, rate-limit
// headers. Shared by chat() and by k6/http or k6/x/sse requests to LLM endpoints (engine/k6),
// so a request is measured the same way whichever API the script used (docs/METRICS.md).
import type { Tags } from '../runtime.ts';
import type { Attempt } from './attempt.ts';
import { isIncomplete, type Dialect, type LlmError, type Usage, type RequestRecord } from './types.ts';
import { runtime } from '../runtime.ts';
import { withStatus } from './shared-tags.ts';
import { monoMs } from '../clock.ts';
import { parseGoodput, isGood, type GoodputBounds } from './goodput.ts';
import { addSpend } from './spend.ts';
import { WARMUP_TAG } from './warmup.ts';

// --usage-check N (options.llm.usageCheck): 1 in N calls with usage also counted here
let usageChecked = 0;
function usageCheckEvery(): number {
  const v = ((runtime().options.llm ?? {}) as { usageCheck?: unknown }).usageCheck;
  return typeof v === 'number' && v >= 1 ? Math.floor(v) : v === true ? 10 : 0;
}

// the run's goodput bounds (options.llm.goodput, which --goodput sets), parsed once per thread
let goodputCache: { raw: unknown; bounds: GoodputBounds | null } | null = null;
function goodputBounds(): GoodputBounds | null {
  const raw = ((runtime().options.llm ?? {}) as { goodput?: unknown }).goodput;
  if (!goodputCache || goodputCache.raw !== raw) goodputCache = { raw, bounds: parseGoodput(raw as string | null | undefined) };
  return goodputCache.bounds;
}
import { derive, type Timings } from './timing.ts';
import { tokenCounter } from './tokens.ts';
import { parseRateLimit, type RateLimitInfo } from './ratelimit.ts';
import { M } from './metrics.ts';
import { priceFor, costUsd, toCny } from '../pricing/index.ts';

export interface OutcomeContext {
  providerName: string;
  cnyPerUsd?: number;
  envCnyPerUsd?: number;
  /** model name for tags and pricing (the seed's name) and the id sent on the wire */
  seedModel: string;
  wireModel: string;
  stream: boolean;
  dialect: Dialect;
  /** the request body as sent (for the prompt's token estimate) */
  prepared: Record<string, unknown>;
  baseTags: Tags;
  retries: number;
  retryWaitMs?: number;
  minOutputTokens?: number;
}

export interface Outcome {
  ok: boolean;
  error?: LlmError;
  usage: Usage;
  timings: Timings;
  truncated: boolean;
  /** ended cleanly without a finish_reason / stop_reason (types.ts isIncomplete) */
  incomplete: boolean;
  finishReason: string | null;
  costUsd: number;
  rateLimit: RateLimitInfo;
  tags: Tags;
}

export async function recordOutcome(a: Attempt, c: OutcomeContext): Promise<Outcome> {
  const read = a.read;
  const error: LlmError | undefined = a.error ? { kind: a.error.kind, message: a.error.message, ...(a.error.status ? { status: a.error.status } : {}) } : read?.error ? { ...read.error, status: a.status } : undefined;
  // tokens: from usage when the server sent it, else estimated (and marked)
  let usage: Usage;
  if (read?.usage) {
    const u = read.usage;
    usage = { inputTokens: u.input_tokens, outputTokens: u.output_tokens, source: 'usage', cachedTokens: u.cached_tokens ?? 0, cacheWriteTokens: u.cache_write_tokens ?? 0, reasoningTokens: u.reasoning_tokens ?? 0 };
  }
  else {
    const count = await tokenCounter(c.wireModel || c.seedModel);
    const out = read ? count(read.content + read.reasoning + read.toolCalls.map((x) => x.name + x.arguments).join('')) : 0;
    usage = { inputTokens: read || !error ? count(c.dialect.promptText(c.prepared)) : 0, outputTokens: out, source: 'estimate' };
  }
  // --usage-check N: the client's own count of 1 in N answers that came with usage, beside the
  // server's (never replacing it): where they disagree the summary says so per model. Sampled,
  // because counting costs CPU in the thread that takes timestamps (gpt-tokenizer: o200k_base
  // or cl100k_base, an approximation for other vendors' tokenizers; docs/METRICS.md)
  const check = usageCheckEvery();
  if (check && read?.usage && !error && (usageChecked++ % check) === 0) {
    const count = await tokenCounter(c.wireModel || c.seedModel);
    const mine = count(read.content + read.reasoning + read.toolCalls.map((x) => x.name + x.arguments).join(''));
    const t = { provider: c.providerName, model: c.seedModel, ...(c.baseTags[WARMUP_TAG] !== undefined ? { [WARMUP_TAG]: '1' } : {}) };
    M.usageCheckServer.addShared(usage.outputTokens, t);
    M.usageCheckClient.addShared(mine, t);
  }
  const timings = derive(a.raw, read ? usage.outputTokens : null);
  const ok = !error;
  const tags: Tags = withStatus(c.baseTags, a.status);
  const finishReason = read?.finishReason ?? null;
  const incomplete = ok && read !== null && isIncomplete(read);
  const truncated = ok && (finishReason === 'length' || finishReason === 'max_tokens' || finishReason === 'max_output_tokens' || (c.minOutputTokens !== undefined && usage.outputTokens < c.minOutputTokens));

  // a request we ended ourselves (the iteration was interrupted: Ctrl+C, gracefulStop over,
  // ramp-down) says nothing about the target: it is counted in llm_aborted, not as a request
  // or an error (docs/METRICS.md)
  // (the tokens it already streamed are still counted and priced: the provider bills them)
  if (error?.kind === 'aborted') M.aborted.addShared(1, tags);
  else {
    M.requests.addShared(1, error ? { ...tags, error_kind: error.kind } : tags);
    M.errors.addShared(error ? 1 : 0, error ? { ...tags, error_kind: error.kind } : tags);
  }
  if (c.retries) M.retries.addShared(c.retries, tags);
  let cost = 0;
  if (read) {
    // only successful responses carry timing metrics: a 429's latency is not the model's
    if (ok) {
      // TTFT, ITL, TPOT and decode speed exist only for streams: a JSON response arrives whole
      if (c.stream && read.outputEvents > 0) {
        if (timings.ttftMs !== null) M.ttft.addShared(timings.ttftMs, tags);
        if (timings.ttfoMs !== null) M.ttfo.addShared(timings.ttfoMs, tags);
        // indexed: for-of allocated an iterator result per gap (~3 MB per 10 s at 100 streams,
        // sampling heap profile) wherever this function was not optimized
        const itl = timings.itlMs;
        for (let i = 0; i < itl.length; i++) M.itl.addShared(itl[i]!, tags);
        if (timings.tpotMs !== null) M.tpot.addShared(timings.tpotMs, tags);
        if (timings.decodeMs && timings.decodeMs > 0 && usage.outputTokens > 1) M.tps.addShared((usage.outputTokens - 1) / (timings.decodeMs / 1000), tags);
      }
      if (timings.e2eMs !== null) M.e2e.addShared(timings.e2eMs, tags);
      // lengths per request, as distributions (p50/p95 per model in the summary): what was sent,
      // what came back, and what was asked for (a provider that stops early shows)
      M.reqInputTokens.addShared(usage.inputTokens, tags);
      M.reqOutputTokens.addShared(usage.outputTokens, tags);
      const asked = c.prepared.max_tokens ?? c.prepared.max_completion_tokens;
      if (typeof asked === 'number') M.requestedOutput.addShared(asked, tags);
      M.truncated.addShared(truncated, tags);
      M.incomplete.addShared(incomplete, tags);
    }
    const tokTags = usage.source === 'estimate' ? { ...tags, tokens: 'estimate' } : tags;
    M.inputTokens.addShared(usage.inputTokens, tokTags);
    M.outputTokens.addShared(usage.outputTokens, tokTags);
    if (usage.cachedTokens) M.cachedInput.addShared(usage.cachedTokens, tags);
    if (usage.cacheWriteTokens) M.cacheWrite.addShared(usage.cacheWriteTokens, tags);
    if (usage.reasoningTokens) M.reasoning.addShared(usage.reasoningTokens, tags);
    const price = priceFor(c.providerName, c.seedModel);
    // a call the price table cannot cost: counted, so a spend cap can refuse to go on blind
    const warm = c.baseTags[WARMUP_TAG] !== undefined;
    if (!price && !warm) M.unpriced.addShared(1, { provider: c.providerName, model: c.seedModel });
    if (price) {
      cost = costUsd(price, usage.inputTokens, usage.outputTokens, usage.cachedTokens ?? 0, usage.cacheWriteTokens ?? 0);
      addSpend(cost);
      M.costUsd.addShared(cost, tags);
      M.costCny.addShared(toCny(cost, c.cnyPerUsd, c.envCnyPerUsd), tags);
    }
  }
  const rateLimit = parseRateLimit(a.headers, a.headers.date ? Date.parse(a.headers.date) : Date.now());
  const warmCall = c.baseTags[WARMUP_TAG] !== undefined;
  if (rateLimit.remainingRequests !== undefined && !warmCall) M.remainingRequests.addShared(rateLimit.remainingRequests, { provider: c.providerName, model: c.seedModel });
  if (rateLimit.remainingTokens !== undefined && !warmCall) M.remainingTokens.addShared(rateLimit.remainingTokens, { provider: c.providerName, model: c.seedModel });
  let good: boolean | null = null;
  const bounds = error?.kind === 'aborted' ? null : goodputBounds();
  if (bounds) {
    good = isGood(bounds, { ok, incomplete, ttftMs: c.stream ? timings.ttftMs : null, tpotMs: c.stream ? timings.tpotMs : null, e2eMs: timings.e2eMs });
    M.good.addShared(good, tags);
    if (good) { M.goodput.addShared(1, tags); M.goodTokens.addShared(usage.outputTokens, tags); }
  }
  const rt = runtime();
  if (rt.request && error?.kind !== 'aborted') {
    const st = rt.state();
    const rec = record(c, a.status, error, usage, timings, cost, incomplete, st?.scenario ?? '', good, a.headers['x-request-id'] ?? a.headers['request-id'] ?? null);
    if (st?.plannedAt !== undefined) {
      // arrival executors: when the schedule planned this request and how late the generator
      // sent it: the moment chat() handed it to its HTTP client (the last attempt's) − the plan.
      // A new connection's set-up comes after that and is http_req_connecting (the first burst
      // of a replay opens its connections: 7 ms p99 of connecting there, measured)
      const now = rt.now();
      rec.sched_t = Math.round(Date.now() - (now - st.plannedAt));
      rec.lag_ms = r3(now - (monoMs() - timings.queued) - st.plannedAt);
    }
    // the output length asked for: a provider that stops early shows as out_tok < req_out
    const asked = c.prepared.max_tokens ?? c.prepared.max_completion_tokens;
    if (typeof asked === 'number') rec.req_out = asked;
    if (c.baseTags.turn) rec.turn = Number(c.baseTags.turn); // a conversation's turn
    if (usage.cachedTokens) rec.cached_tok = usage.cachedTokens;
    if (usage.cacheWriteTokens) rec.cache_write_tok = usage.cacheWriteTokens;
    if (usage.reasoningTokens) rec.reasoning_tok = usage.reasoningTokens;
    if (warmCall) rec.warmup = true; // left out of every metric (--warmup)
    rt.request(rec);
  }
  // the caller gets its own copy: `tags` is shared with every request like this one (./shared-tags.ts)
  const own: Tags = { ...tags };
  delete own[WARMUP_TAG];
  return { ok, ...(error ? { error } : {}), usage, timings, truncated, incomplete, finishReason, costUsd: cost, rateLimit, tags: own };
}

function record(c: OutcomeContext, status: number, error: LlmError | undefined, usage: Usage, t: ReturnType<typeof derive>, cost: number, incomplete: boolean, scenario: string, good: boolean | null, reqId: string | null): RequestRecord {
  let itl: RequestRecord['itl'] = null;
  if (t.itlMs.length) {
    // a Float64Array sorts numerically in native code; Array#sort with a comparator boxed every
    // compared double (~12 KB of garbage per 100-token request, 15 % of a VU thread's
    // allocation in the closed loop: sampling heap profile, docs/PERFORMANCE.md)
    const sorted = Float64Array.from(t.itlMs).sort();
    let sum = 0;
    for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
    itl = { n: sorted.length, mean: r3(sum / sorted.length), p50: r3(sorted[Math.floor((sorted.length - 1) / 2)]!), max: r3(sorted[sorted.length - 1]!) };
  }
  return {
    t: Math.round(Date.now() - (monoMs() - t.dispatch)), scenario, provider: c.providerName, model: c.seedModel, stream: c.stream, status,
    error_kind: error ? error.kind : null, ttft_ms: t.ttftMs === null || error || !c.stream ? null : r3(t.ttftMs), e2e_ms: t.e2eMs === null || error ? null : r3(t.e2eMs), itl,
    in_tok: usage.inputTokens, out_tok: usage.outputTokens, tok_src: usage.source, retries: c.retries, retry_wait_ms: r3(c.retryWaitMs ?? 0), cost_usd: cost, incomplete, good, req_id: reqId,
    // a stream's own facts: TPOT (first to last output token, not to stream close), the output
    // events it came in (tokens per event = out_tok / events: ITL is per event), and TTFO where
    // reasoning came before the answer
    ...(c.stream && !error && t.outputEvents ? { events: t.outputEvents, ...(t.tpotMs !== null ? { tpot_ms: r3(t.tpotMs) } : {}), ...(t.ttfoMs !== null && t.ttfoMs !== t.ttftMs ? { ttfo_ms: r3(t.ttfoMs) } : {}) } : {}),
  };
}
const r3 = (x: number) => Math.round(x * 1000) / 1000;
