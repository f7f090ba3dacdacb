// chat(): one logical LLM call — send, stream, time, classify, retry — returning a result
// and emitting metrics. Never throws for HTTP or stream failures (ok: false + error.kind).
import { warmupCall, WARMUP_TAG } from './warmup.ts';
import { runtime, type Tags } from '../runtime.ts';
import { requestTags, withStatus } from './shared-tags.ts';
import { dialect as getDialect } from './dialects/index.ts';
import type { RateLimitInfo } from './ratelimit.ts';
import { retryWait, DEFAULT_RETRY, type RetryPolicy } from './backoff.ts';
import { phases, type Timings } from './timing.ts';
import { undiciTransport, type Transport } from './transport.ts';
import { h1Transport } from './h1/transport.ts';
import { proxyForOrigin } from './proxy.ts';
import { M, recordPhases } from './metrics.ts';
import { waitUntil } from '../wait.ts';
import type { LlmError, ToolCall, Usage } from './types.ts';
import { resolveProvider, modelId, ConfigError, EXIT_INVALID_CONFIG, type ResolvedProvider } from '../providers/index.ts';
import type { DialectName } from '../providers/types.ts';
import { attemptOnce, type Attempt, type AttemptTimeouts } from './attempt.ts';
import { recordOutcome } from './outcome.ts';
import { trackPending } from '../pending.ts';
import { parseDuration } from '../duration.ts';
import { budgetExhausted } from './spend.ts';
import { monoMs } from '../clock.ts';

export interface Timeouts { connect?: string | number; headers?: string | number; idle?: string | number; total?: string | number }
/** a provider given inline: baseUrl and dialect are enough (name defaults to the host) */
export type InlineProvider = Omit<ResolvedProvider, 'name'> & { name?: string };
export interface ChatOptions {
  provider?: ResolvedProvider | InlineProvider | string;
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
  /** the wire format of this call, one the provider serves (lib/providers/registry.ts
   *  `dialects`): 'openai-responses', 'openai-completions', …; default the provider's own */
  dialect?: DialectName;
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
  /** the stream ended without a finish_reason (stop_reason): dropped work, not a success (llm_incomplete) */
  incomplete: boolean;
  costUsd: number;
}

const DEFAULT_TIMEOUTS = { connect: 10_000, headers: 60_000, idle: 30_000, total: 300_000 };

/** a timeout: a number is milliseconds, a string a k6 duration ("500ms", "30s", "1m30s") */
function toMs(v: string | number | undefined, def: number): number {
  if (v === undefined) return def;
  return typeof v === 'number' ? v : parseDuration(v.trim(), 'timeout');
}

// resolved once per provider name and thread (env does not change during a run)
const providers = new Map<string, ResolvedProvider>();
/** the provider of a call: a name (resolved once per thread), a resolved one, or inline */
export function callProvider(opt: ChatOptions['provider'], dialect?: DialectName): ResolvedProvider { return withDialect(providerFrom(opt), dialect); }
// an inline provider needs only baseUrl and dialect: it is named after its host for tags
const inline = new WeakMap<object, ResolvedProvider>();
function providerFrom(opt: ChatOptions['provider'] | InlineProvider): ResolvedProvider {
  if (opt && typeof opt === 'object') {
    if (opt.name) return opt as ResolvedProvider;
    let p = inline.get(opt);
    if (!p) {
      let host: string;
      try { host = new URL(opt.baseUrl).host; } catch { throw new Error(`invalid provider baseUrl "${opt.baseUrl}": expected e.g. http://127.0.0.1:8000/v1`); }
      inline.set(opt, (p = { ...opt, name: host } as ResolvedProvider));
    }
    return p;
  }
  const rt = runtime();
  const name = opt ?? ((rt.options.llm ?? {}) as { provider?: string }).provider ?? rt.env.PROVIDER ?? 'sim';
  let p = providers.get(name);
  if (!p) providers.set(name, (p = resolveProvider(name, rt.env)));
  return p;
}

// the call's dialect, when it asks for one the provider serves (a provider object per dialect,
// cached, so tags and pools see the same object for the same choice)
const chosen = new WeakMap<ResolvedProvider, Map<string, ResolvedProvider>>();
function withDialect(p: ResolvedProvider, want: DialectName | undefined): ResolvedProvider {
  if (!want || want === p.dialect) return p;
  const served = p.dialects ?? [p.dialect];
  if (!served.includes(want)) throw new ConfigError(`provider ${p.name} does not serve the ${want} dialect: it serves ${served.join(', ')} (or give an inline provider { baseUrl, dialect })`, EXIT_INVALID_CONFIG);
  let m = chosen.get(p);
  if (!m) chosen.set(p, (m = new Map()));
  let q = m.get(want);
  if (!q) m.set(want, (q = { ...p, dialect: want }));
  return q;
}

// one URL object per endpoint and thread, not one per request (read only: origin, pathname)
const endpoints = new Map<string, URL>();
export function endpoint(baseUrl: string, path: string): URL {
  const key = baseUrl + '\n' + path;
  let u = endpoints.get(key);
  if (!u) endpoints.set(key, (u = new URL(baseUrl.replace(/\/+$/, '') + path)));
  return u;
}

/** One LLM call (see the top of this file); the promise is tracked so that an iteration that
 *  ends before it settles (a forgotten await) is reported with its call site (lib/pending.ts). */
export function chat(body: Record<string, unknown>, opts: ChatOptions = {}): Promise<ChatResult> {
  return trackPending(chatOnce(body, opts), 'chat()');
}

async function chatOnce(body: Record<string, unknown>, opts: ChatOptions): Promise<ChatResult> {
  const rt = runtime();
  const st = rt.state();
  if (opts.dialect === 'openai-embeddings') throw new ConfigError('chat() does not call embeddings: use embed(input, { provider, model }) from llmload/llm', EXIT_INVALID_CONFIG);
  const provider = withDialect(providerFrom(opts.provider), opts.dialect);
  const d = getDialect(provider.dialect);
  const seedModel = opts.model ?? String(body.model ?? '');
  const wireModel = opts.model ? (modelId(provider, opts.model) ?? opts.model) : String(body.model ?? '');
  const stream = body.stream === true;
  const prepared = d.prepare({ ...body, model: wireModel }, { includeUsage: opts.includeUsage !== false });
  const payload = JSON.stringify(prepared);
  const url = endpoint(provider.baseUrl, d.path);
  const headers = d.headers(provider.apiKey, { ...(opts.headers ?? {}) });
  // the run's User-Agent (k6's options.userAgent, --user-agent; llmload/VERSION by default),
  // unless the call sets its own; '' sends none
  const ua = rt.options.userAgent;
  if (typeof ua === 'string' && ua && !(opts.headers && Object.keys(opts.headers).some((k) => k.toLowerCase() === 'user-agent'))) headers['user-agent'] = ua;
  const signal = st?.signal;
  // a call that starts in the run's warm-up: everything it records carries WARMUP_TAG, which
  // the engine drops (lib/llm/warmup.ts); the request log keeps it, marked
  const baseTags: Tags = requestTags(provider.name, seedModel, stream, warmupCall() ? { ...opts.tags, [WARMUP_TAG]: '1' } : opts.tags);
  const { a, retries, waited } = await sendWithRetries({ url, headers, payload, stream, dialect: provider.dialect, baseTags, signal, deadline: st?.deadline ?? Infinity, ...callSettings(opts, url) });

  const o = await recordOutcome(a, { providerName: provider.name, cnyPerUsd: provider.cnyPerUsd, envCnyPerUsd: Number(rt.env.CNY_PER_USD) || undefined, seedModel, wireModel, stream, dialect: d, prepared, baseTags, retries, retryWaitMs: waited, ...(opts.minOutputTokens !== undefined ? { minOutputTokens: opts.minOutputTokens } : {}) });
  const read = a.read;
  return {
    ok: o.ok, status: a.status, content: read?.content ?? '', reasoning: read?.reasoning ?? '', toolCalls: read?.toolCalls ?? [], finishReason: o.finishReason,
    usage: o.usage, timings: o.timings, retries, retryWaitMs: waited, ...(o.error ? { error: o.error } : {}), headers: a.headers, rateLimit: o.rateLimit, truncated: o.truncated, incomplete: o.incomplete, costUsd: o.costUsd,
  };
}

/** the call's timeouts, retry policy and HTTP client: the call's options over options.llm over
 *  the defaults (shared by chat() and embed()) */
export function callSettings(opts: { timeouts?: Timeouts; retry?: Partial<RetryPolicy> | false; transport?: Transport }, url: URL): { t: AttemptTimeouts; policy: RetryPolicy; transport: Transport } {
  const llmDefaults = (runtime().options.llm ?? {}) as { timeouts?: Timeouts; retry?: Partial<RetryPolicy>; httpClient?: string };
  const to = { ...DEFAULT_TIMEOUTS, ...llmDefaults.timeouts, ...opts.timeouts } as Timeouts;
  const t = { connect: toMs(to.connect, DEFAULT_TIMEOUTS.connect), headers: toMs(to.headers, DEFAULT_TIMEOUTS.headers), idle: toMs(to.idle, DEFAULT_TIMEOUTS.idle), total: toMs(to.total, DEFAULT_TIMEOUTS.total) };
  const policy: RetryPolicy = opts.retry === false ? { ...DEFAULT_RETRY, maxRetries: 0 } : { ...DEFAULT_RETRY, ...llmDefaults.retry, ...(opts.retry ?? {}) };
  return { t, policy, transport: opts.transport ?? runTransport(url, llmDefaults.httpClient) };
}

/** The run's HTTP client for a call to `url` (chat(), embed(), k6/http's LLM calls): the one
 *  --http-client picked (validated in engine/run/settings.ts), our reader by default; through a
 *  proxy (HTTPS_PROXY/HTTP_PROXY, lib/llm/proxy.ts) undici's ProxyAgent. */
export function runTransport(url: URL, client = ((runtime().options.llm ?? {}) as { httpClient?: string }).httpClient): Transport {
  return client === 'undici' || proxyForOrigin(url) ? undiciTransport : h1Transport;
}

/** Attempts until one succeeds, fails for good or the retry policy gives up (429, 5xx, 529 and
 *  connect errors back off; lib/llm/backoff.ts), each attempt counted as k6 counts HTTP
 *  requests (http_reqs, phases, 429s). Shared by chat() and embed(). */
export async function sendWithRetries(c: { url: URL; headers: Record<string, string>; payload: string; stream: boolean; dialect: string; baseTags: Tags; signal: AbortSignal | undefined; deadline: number; t: AttemptTimeouts; policy: RetryPolicy; transport: Transport }): Promise<{ a: Attempt; retries: number; waited: number }> {
  const rt = runtime();
  const { signal } = c;
  let retries = 0;
  let waited = 0;
  let a: Attempt;
  for (;;) {
    // --budget-usd reached (by any thread): no new attempt starts (lib/llm/spend.ts)
    if (budgetExhausted()) {
      // no spinning: a VU whose calls all return at once would keep its thread from ever seeing
      // the abort that follows; it waits (or until its iteration is stopped)
      await waitUntil(rt.now() + 100, rt.now, signal, 'timer');
      a = budgetStop();
      break;
    }
    // requests in flight in this thread; the engine samples it each interval (llm_active_streams)
    const g = globalThis as { __llmload_active?: number };
    g.__llmload_active = (g.__llmload_active ?? 0) + 1;
    a = await attemptOnce(c.transport, c.url, c.headers, c.payload, c.stream, c.dialect, c.t, signal);
    g.__llmload_active!--;
    const attemptTags = withStatus(c.baseTags, a.status);
    M.httpReqs.addShared(1, attemptTags);
    M.dataSent.addShared(c.payload.length + 200, attemptTags);
    M.dataReceived.addShared(a.bytesIn, attemptTags);
    recordPhases(phases(a.raw, a.connect), attemptTags);
    const failed = a.error !== null || (a.read?.error ?? null) !== null;
    M.httpFailed.addShared(failed, attemptTags);
    if (a.status === 429) M.rateLimited.addShared(1, attemptTags);
    if (a.resent) M.connResends.addShared(a.resent, attemptTags);
    if (!a.error || !a.error.retry) break;
    const wait = retryWait(retries, a.error.retryAfterMs, c.policy, rt.now(), c.deadline);
    if (wait === null || signal?.aborted) break;
    retries++;
    waited += wait;
    M.retryWait.addShared(wait, { ...c.baseTags, error_kind: a.error.kind });
    // the retry wait is not request latency: the next attempt gets its own dispatch time
    await waitUntil(rt.now() + wait, rt.now, signal, 'timer');
    if (signal?.aborted) break;
  }
  return { a, retries, waited };
}

/** the attempt that never started because the budget was spent: ends as `aborted` (we stopped
 *  it, the target did not fail) */
function budgetStop(): Attempt {
  const t = monoMs();
  return { status: 0, headers: {}, read: null, raw: { queued: t, dispatch: t, headers: null, firstByte: null, firstOutput: null, lastOutput: null, end: t, outputs: [] }, error: { kind: 'aborted', message: 'not sent: --budget-usd is spent', retry: false, retryAfterMs: null }, bytesIn: 0, connect: null, resent: 0 };
}
