// embed(): one embeddings call (RAG traffic: a query, or a batch of chunks to index), measured
// as chat() is — the same providers, transports, retries on 429/5xx with backoff, budget and
// warm-up — with its own metrics (docs/METRICS.md, "Embeddings"): llm_embed_requests,
// llm_embed_errors, llm_embed_duration (dispatch → end of the answer, the successful attempt),
// llm_embed_items, llm_embed_input_tokens (usage, else estimated), and its cost at the model's
// embedding price in llm_cost_usd (the run's one bill).
import { runtime, type Tags } from '../runtime.ts';
import { callProvider, callSettings, endpoint, sendWithRetries, type ChatOptions, type Timeouts } from './chat.ts';
import { dialect as getDialect } from './dialects/index.ts';
import { modelId, ConfigError, EXIT_INVALID_CONFIG } from '../providers/index.ts';
import { withStatus } from './shared-tags.ts';
import { M } from './metrics.ts';
import { warmupCall, WARMUP_TAG } from './warmup.ts';
import { derive } from './timing.ts';
import { tokenCounter } from './tokens.ts';
import { priceFor, costUsd, toCny } from '../pricing/index.ts';
import { addSpend } from './spend.ts';
import { trackPending } from '../pending.ts';
import type { RetryPolicy } from './backoff.ts';
import type { LlmError } from './types.ts';
import type { Transport } from './transport.ts';
import type { Attempt } from './attempt.ts';

export interface EmbedOptions {
  provider?: ChatOptions['provider'];
  /** the model name for tags and pricing (mapped to the provider's id like chat()'s) */
  model?: string;
  /** output vector size, where the model takes one (text-embedding-3-*) */
  dimensions?: number;
  timeouts?: Timeouts;
  retry?: Partial<RetryPolicy> | false;
  tags?: Tags;
  headers?: Record<string, string>;
  transport?: Transport;
}

export interface EmbedResult {
  ok: boolean;
  status: number;
  /** vectors the answer held (the vectors themselves are not kept: a load test measures the
   *  call, and a batch of 1,536-float vectors is ~15 KB an item to parse and hold) */
  items: number;
  /** input tokens: usage, else estimated (source says which) */
  usage: { inputTokens: number; source: 'usage' | 'estimate' };
  /** ms from dispatch to the end of the answer */
  durationMs: number | null;
  retries: number;
  costUsd: number;
  error?: LlmError;
}

export function embed(input: string | string[], opts: EmbedOptions = {}): Promise<EmbedResult> {
  return trackPending(embedOnce(input, opts), 'embed()');
}

async function embedOnce(input: string | string[], opts: EmbedOptions): Promise<EmbedResult> {
  // bad input: one line, and the run stops with exit 104 (engine/worker.ts)
  if ((opts as { stream?: unknown }).stream) throw new ConfigError('embed(): embeddings are not streamed: drop stream (the answer is one JSON body)', EXIT_INVALID_CONFIG);
  if (typeof input === 'string' ? input.length === 0 : !Array.isArray(input) || input.length === 0 || input.some((x) => typeof x !== 'string' || x.length === 0)) {
    throw new ConfigError(`embed(): empty input: give a non-empty string or a non-empty array of non-empty strings (got ${JSON.stringify(input)?.slice(0, 40)})`, EXIT_INVALID_CONFIG);
  }
  const rt = runtime();
  const st = rt.state();
  const provider = callProvider(opts.provider, 'openai-embeddings');
  const d = getDialect('openai-embeddings');
  const seedModel = opts.model ?? 'text-embedding-3-small';
  const wireModel = modelId(provider, seedModel) ?? seedModel;
  const body = { model: wireModel, input, ...(opts.dimensions ? { dimensions: opts.dimensions } : {}) };
  const payload = JSON.stringify(body);
  const url = endpoint(provider.baseUrl, d.path);
  const headers = d.headers(provider.apiKey, { ...(opts.headers ?? {}) });
  const ua = rt.options.userAgent;
  if (typeof ua === 'string' && ua && !(opts.headers && Object.keys(opts.headers).some((k) => k.toLowerCase() === 'user-agent'))) headers['user-agent'] = ua;
  const tags: Tags = { provider: provider.name, model: seedModel, ...(opts.tags ?? {}), ...(warmupCall() ? { [WARMUP_TAG]: '1' } : {}) };
  const { a, retries } = await sendWithRetries({ url, headers, payload, stream: false, dialect: 'openai-embeddings', baseTags: tags, signal: st?.signal, deadline: st?.deadline ?? Infinity, ...callSettings(opts, url) });

  return recordEmbedOutcome(a, { providerName: provider.name, seedModel, wireModel, ...(provider.cnyPerUsd !== undefined ? { cnyPerUsd: provider.cnyPerUsd } : {}), envCnyPerUsd: Number(rt.env.CNY_PER_USD) || undefined, tags, retries, promptText: d.promptText(body) });
}

/** What one finished embeddings call adds to the metrics, and what its caller gets back. Shared
 *  by embed() and by k6/http POSTs to an embeddings endpoint (engine/k6/http-exec.ts), so both
 *  are measured the same way. */
export async function recordEmbedOutcome(a: Attempt, c: { providerName: string; seedModel: string; wireModel: string; cnyPerUsd?: number; envCnyPerUsd?: number; tags: Tags; retries: number; promptText: string }): Promise<EmbedResult> {
  const { tags, retries } = c;
  const read = a.read;
  const error: LlmError | undefined = a.error ? { kind: a.error.kind, message: a.error.message, ...(a.error.status ? { status: a.error.status } : {}) } : read?.error ? { ...read.error, status: a.status } : undefined;
  const timings = derive(a.raw, null);
  let inputTokens: number, source: 'usage' | 'estimate';
  if (read?.usage) { inputTokens = read.usage.input_tokens; source = 'usage'; }
  else { const count = await tokenCounter(c.wireModel); inputTokens = error && !read ? 0 : count(c.promptText); source = 'estimate'; }
  const items = !error && read ? read.outputEvents : 0;
  const t = withStatus(tags, a.status);
  if (error?.kind === 'aborted') M.aborted.addShared(1, tags);
  else {
    M.embedRequests.addShared(1, error ? { ...t, error_kind: error.kind } : t);
    M.embedErrors.addShared(error ? 1 : 0, error ? { ...t, error_kind: error.kind } : t);
  }
  if (retries) M.retries.addShared(retries, tags);
  let cost = 0;
  if (!error && read) {
    if (timings.e2eMs !== null) M.embedDuration.addShared(timings.e2eMs, t);
    M.embedItems.addShared(items, t);
  }
  if (read) {
    M.embedInputTokens.addShared(inputTokens, source === 'estimate' ? { ...t, tokens: 'estimate' } : t);
    const price = priceFor(c.providerName, c.seedModel);
    if (!price && tags[WARMUP_TAG] === undefined) M.unpriced.addShared(1, { provider: c.providerName, model: c.seedModel });
    if (price) {
      cost = costUsd(price, inputTokens, 0);
      addSpend(cost);
      M.costUsd.addShared(cost, t);
      M.costCny.addShared(toCny(cost, c.cnyPerUsd, c.envCnyPerUsd), t);
    }
  }
  return { ok: !error, status: a.status, items, usage: { inputTokens, source }, durationMs: timings.e2eMs, retries, costUsd: cost, ...(error ? { error } : {}) };
}

