// chat(): one logical LLM call — send, stream, time, classify, retry — returning a result
// and emitting metrics. Never throws for HTTP or stream failures (ok: false + error.kind).
import { runtime, type Tags } from '../runtime.ts';
import { SseParser } from './sse.ts';
import { dialect as getDialect } from './dialects/index.ts';
import { classifyHttpError, RETRYABLE } from './errors.ts';
import { parseRateLimit, type RateLimitInfo } from './ratelimit.ts';
import { retryWait, DEFAULT_RETRY, type RetryPolicy } from './backoff.ts';
import { derive, type RawTimings, type Timings } from './timing.ts';
import { tokenCounter } from './tokens.ts';
import { undiciTransport, type Transport } from './transport.ts';
import { M } from './metrics.ts';
import { monoMs } from '../clock.ts';
import { waitUntil } from '../wait.ts';
import type { EventVerdict, LlmError, ReadResult, ToolCall, Usage } from './types.ts';
import { resolveProvider, modelId, type ResolvedProvider } from '../providers/index.ts';
import { priceFor, costUsd, toCny } from '../pricing/index.ts';

export interface Timeouts { connect?: string | number; headers?: string | number; idle?: string | number; total?: string | number }
export interface ChatOptions {
  provider?: ResolvedProvider | string;
  timeouts?: Timeouts;
  retry?: Partial<RetryPolicy> | false;
  tags?: Tags;
  /** the seed model name for tags and pricing when body.model is a provider id */
  model?: string;
  includeUsage?: boolean;
  /** responses shorter than this many output tokens count as truncated (llm_truncated) */
  minOutputTokens?: number;
  transport?: Transport;
  headers?: Record<string, string>;
}

export interface ChatResult {
  ok: boolean;
  status: number;
  content: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  usage: Usage;
  timings: Timings;
  retries: number;
  retryWaitMs: number;
  error?: LlmError;
  headers: Record<string, string>;
  rateLimit: RateLimitInfo;
  truncated: boolean;
  costUsd: number;
}

const DEFAULT_TIMEOUTS = { connect: 10_000, headers: 60_000, idle: 30_000, total: 300_000 };

function toMs(v: string | number | undefined, def: number): number {
  if (v === undefined) return def;
  if (typeof v === 'number') return v;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw new Error(`invalid timeout "${v}": use e.g. 500ms, 30s, 2m`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
}

// resolved once per provider name and thread (env does not change during a run)
const providers = new Map<string, ResolvedProvider>();
function providerFrom(opt: ChatOptions['provider']): ResolvedProvider {
  if (opt && typeof opt === 'object') return opt;
  const rt = runtime();
  const name = opt ?? ((rt.options.llm ?? {}) as { provider?: string }).provider ?? rt.env.PROVIDER ?? 'sim';
  let p = providers.get(name);
  if (!p) providers.set(name, (p = resolveProvider(name, rt.env)));
  return p;
}

// one URL object per endpoint and thread, not one per request (read only: origin, pathname)
const endpoints = new Map<string, URL>();
function endpoint(baseUrl: string, path: string): URL {
  const key = baseUrl + '\n' + path;
  let u = endpoints.get(key);
  if (!u) endpoints.set(key, (u = new URL(baseUrl.replace(/\/+$/, '') + path)));
  return u;
}

interface Attempt {
  status: number;
  headers: Record<string, string>;
  read: ReadResult | null;
  raw: RawTimings;
  error: (LlmError & { retry: boolean; retryAfterMs: number | null }) | null;
  bytesIn: number;
}

function attemptOnce(transport: Transport, url: URL, headers: Record<string, string>, body: string, stream: boolean, dialectName: string, t: { connect: number; headers: number; idle: number; total: number }, signal: AbortSignal | undefined): Promise<Attempt> {
  const d = getDialect(dialectName);
  return new Promise<Attempt>((resolve) => {
    const t0 = monoMs();
    const raw: RawTimings = { queued: t0, dispatch: t0, headers: null, firstByte: null, firstOutput: null, lastOutput: null, end: null, outputs: [] };
    const a: Attempt = { status: 0, headers: {}, read: null, raw, error: null, bytesIn: 0 };
    let reader = stream ? d.stream() : null;
    let errBody = '';
    let jsonBody = '';
    let isError = false;
    let isSse = false;
    let now: number = raw.dispatch;
    let fatal = false;
    let req: { abort(): void } | null = null;
    const verdict = (v: EventVerdict) => {
      if (v.output) {
        if (raw.firstOutput === null) raw.firstOutput = now;
        raw.lastOutput = now;
        raw.outputs.push(now);
      }
      if (v.fatal) { fatal = true; parser.stopped = true; raw.end = now; finishRead(); req?.abort(); }
    };
    const parser = new SseParser({
      event: (e) => { if (!fatal && reader) verdict(reader.onEvent(e.event, e.data)); },
      // no fatal/reader guard needed: a fatal verdict stops the parser, and nothing is pushed
      // once the reader is dropped (onHeaders, before any data)
      bytes: reader?.onDataBytes ? (buf, s, e, es, ee) => {
        const v = reader!.onDataBytes!(buf, s, e, es, ee);
        if (!v) return false;
        verdict(v);
        return true;
      } : undefined,
    });
    let finished = false;
    const finishRead = () => {
      if (finished) return;
      finished = true;
      if (isError) {
        const info = classifyHttpError(a.status, a.headers, errBody);
        a.error = { kind: info.kind, message: info.message, status: a.status, retry: info.retry, retryAfterMs: info.retryAfterMs };
      } else if (reader) {
        a.read = reader.finish();
      } else {
        try { a.read = d.parseJson(jsonBody); }
        catch { a.read = null; a.error = { kind: 'protocol', message: `response is not valid JSON: ${jsonBody.slice(0, 120)}`, status: a.status, retry: false, retryAfterMs: null }; }
        if (a.read && a.read.outputEvents > 0 && raw.end) { raw.firstOutput = raw.end; raw.lastOutput = raw.end; }
      }
      resolve(a);
    };
    req = transport.send({ url, method: 'POST', headers, body, connectTimeoutMs: t.connect, headersTimeoutMs: t.headers, idleTimeoutMs: t.idle, totalTimeoutMs: t.total, signal }, {
      onSent(at) { raw.dispatch = at; },
      onHeaders(status, h, at) {
        raw.headers = at;
        a.status = status;
        a.headers = h;
        isError = status >= 300;
        isSse = (h['content-type'] ?? '').includes('text/event-stream');
        if (!isError && stream && !isSse) reader = null; // server ignored stream:true; read JSON
      },
      onData(chunk, at) {
        if (raw.firstByte === null) raw.firstByte = at;
        a.bytesIn += chunk.length;
        now = at;
        if (isError) { if (errBody.length < 65536) errBody += chunk.toString('utf8'); return; }
        if (reader) parser.push(chunk);
        else jsonBody += chunk.toString('utf8');
      },
      onEnd(at) {
        if (fatal) return;
        raw.end = at;
        now = at;
        if (reader) parser.end();
        finishRead();
      },
      onError(kind, message, at, connectPhase) {
        if (finished) return;
        raw.end = at;
        finished = true;
        // a reset or stall after HTTP 200 keeps what was read so far (content is partial)
        if (reader && a.status && !isError) a.read = reader.finish();
        a.error = { kind, message, status: a.status || undefined, retry: RETRYABLE.has(kind) || connectPhase, retryAfterMs: null };
        resolve(a);
      },
    });
  });
}

export async function chat(body: Record<string, unknown>, opts: ChatOptions = {}): Promise<ChatResult> {
  const rt = runtime();
  const st = rt.state();
  const llmDefaults = (rt.options.llm ?? {}) as { timeouts?: Timeouts; retry?: Partial<RetryPolicy> };
  const provider = providerFrom(opts.provider);
  const d = getDialect(provider.dialect);
  const seedModel = opts.model ?? String(body.model ?? '');
  const wireModel = opts.model ? (modelId(provider, opts.model) ?? opts.model) : String(body.model ?? '');
  const stream = body.stream === true;
  const prepared = d.prepare({ ...body, model: wireModel }, { includeUsage: opts.includeUsage !== false });
  const payload = JSON.stringify(prepared);
  const url = endpoint(provider.baseUrl, d.path);
  const headers = d.headers(provider.apiKey, { ...(opts.headers ?? {}) });
  const to = { ...DEFAULT_TIMEOUTS, ...llmDefaults.timeouts, ...opts.timeouts } as Timeouts;
  const t = { connect: toMs(to.connect, DEFAULT_TIMEOUTS.connect), headers: toMs(to.headers, DEFAULT_TIMEOUTS.headers), idle: toMs(to.idle, DEFAULT_TIMEOUTS.idle), total: toMs(to.total, DEFAULT_TIMEOUTS.total) };
  const policy: RetryPolicy = opts.retry === false ? { ...DEFAULT_RETRY, maxRetries: 0 } : { ...DEFAULT_RETRY, ...llmDefaults.retry, ...(opts.retry ?? {}) };
  const transport = opts.transport ?? undiciTransport;
  const signal = st?.signal;
  const deadline = st?.deadline ?? Infinity;
  const baseTags: Tags = { provider: provider.name, model: seedModel, stream: String(stream), ...(opts.tags ?? {}) };

  let retries = 0;
  let waited = 0;
  let a: Attempt;
  for (;;) {
    // requests in flight in this thread; the engine samples it each interval (llm_active_streams)
    const g = globalThis as { __llmload_active?: number };
    g.__llmload_active = (g.__llmload_active ?? 0) + 1;
    a = await attemptOnce(transport, url, headers, payload, stream, provider.dialect, t, signal);
    g.__llmload_active!--;
    const attemptTags = { ...baseTags, status: String(a.status) };
    M.httpReqs.addShared(1, attemptTags);
    M.dataSent.addShared(payload.length + 200, attemptTags);
    M.dataReceived.addShared(a.bytesIn, attemptTags);
    if (a.raw.end !== null) M.httpDuration.addShared(a.raw.end - a.raw.dispatch, attemptTags);
    if (a.raw.headers !== null) M.httpWaiting.addShared(a.raw.headers - a.raw.dispatch, attemptTags);
    const failed = a.error !== null || (a.read?.error ?? null) !== null;
    M.httpFailed.addShared(failed, attemptTags);
    if (a.status === 429) M.rateLimited.addShared(1, attemptTags);
    if (!a.error || !a.error.retry) break;
    const wait = retryWait(retries, a.error.retryAfterMs, policy, rt.now(), deadline);
    if (wait === null || signal?.aborted) break;
    retries++;
    waited += wait;
    M.retryWait.addShared(wait, { ...baseTags, error_kind: a.error.kind });
    // the retry wait is not request latency: the next attempt gets its own dispatch time
    await waitUntil(rt.now() + wait, rt.now, signal, 'timer');
    if (signal?.aborted) break;
  }

  const read = a.read;
  const error: LlmError | undefined = a.error ? { kind: a.error.kind, message: a.error.message, ...(a.error.status ? { status: a.error.status } : {}) } : read?.error ? { ...read.error, status: a.status } : undefined;
  // tokens: from usage when the server sent it, else estimated (and marked)
  let usage: Usage;
  if (read?.usage) usage = { inputTokens: read.usage.input_tokens, outputTokens: read.usage.output_tokens, source: 'usage' };
  else {
    const count = await tokenCounter(wireModel || seedModel);
    const out = read ? count(read.content + read.reasoning + read.toolCalls.map((c) => c.name + c.arguments).join('')) : 0;
    usage = { inputTokens: read || !error ? count(d.promptText(prepared)) : 0, outputTokens: out, source: 'estimate' };
  }
  const timings = derive(a.raw, read ? usage.outputTokens : null);
  const ok = !error;
  const tags: Tags = { ...baseTags, status: String(a.status) };
  const finishReason = read?.finishReason ?? null;
  const truncated = ok && (finishReason === 'length' || finishReason === 'max_tokens' || (opts.minOutputTokens !== undefined && usage.outputTokens < opts.minOutputTokens));

  M.requests.addShared(1, error ? { ...tags, error_kind: error.kind } : tags);
  M.errors.addShared(error ? 1 : 0, error ? { ...tags, error_kind: error.kind } : tags);
  if (retries) M.retries.addShared(retries, tags);
  let cost = 0;
  if (read) {
    // only successful responses carry timing metrics: a 429's latency is not the model's
    if (ok) {
      // TTFT, ITL, TPOT and decode speed exist only for streams: a JSON response arrives whole
      if (stream && read.outputEvents > 0) {
        if (timings.ttftMs !== null) M.ttft.addShared(timings.ttftMs, tags);
        for (const gap of timings.itlMs) M.itl.addShared(gap, tags);
        if (timings.tpotMs !== null) M.tpot.addShared(timings.tpotMs, tags);
        if (timings.decodeMs && timings.decodeMs > 0 && usage.outputTokens > 1) M.tps.addShared((usage.outputTokens - 1) / (timings.decodeMs / 1000), tags);
      }
      if (timings.e2eMs !== null) M.e2e.addShared(timings.e2eMs, tags);
      M.truncated.addShared(truncated, tags);
    }
    const tokTags = usage.source === 'estimate' ? { ...tags, tokens: 'estimate' } : tags;
    M.inputTokens.addShared(usage.inputTokens, tokTags);
    M.outputTokens.addShared(usage.outputTokens, tokTags);
    const price = priceFor(provider.name, seedModel);
    if (price) {
      cost = costUsd(price, usage.inputTokens, usage.outputTokens);
      M.costUsd.addShared(cost, tags);
      M.costCny.addShared(toCny(cost, provider.cnyPerUsd, Number(rt.env.CNY_PER_USD) || undefined), tags);
    }
  }
  const rateLimit = parseRateLimit(a.headers, a.headers.date ? Date.parse(a.headers.date) : Date.now());
  if (rateLimit.remainingRequests !== undefined) M.remainingRequests.addShared(rateLimit.remainingRequests, { provider: provider.name, model: seedModel });
  if (rateLimit.remainingTokens !== undefined) M.remainingTokens.addShared(rateLimit.remainingTokens, { provider: provider.name, model: seedModel });

  return {
    ok, status: a.status, content: read?.content ?? '', reasoning: read?.reasoning ?? '', toolCalls: read?.toolCalls ?? [], finishReason,
    usage, timings, retries, retryWaitMs: waited, ...(error ? { error } : {}), headers: a.headers, rateLimit, truncated, costUsd: cost,
  };
}
