// The summary's `llm` section: one row per (provider, model) from lib/llm's metrics
// (formulas in docs/METRICS.md, "Per-model table").
import type { MetricStore } from '../metrics/store.ts';
import { priceFor } from '../../lib/pricing/index.ts';
import { MN } from '../../lib/metric-names.ts';

export interface ModelRow {
  provider: string; model: string; requests: number; errors: number; error_rate: number; incomplete: number; good_pct: number | null; goodput_rps: number | null; rate_limited: number; retries: number;
  ttft_p50: number | null; ttft_p95: number | null; ttft_p99: number | null; e2e_p50: number | null; e2e_p95: number | null; e2e_p99: number | null;
  /** complete answers per second over the steady window; every call per second */
  rps: number; rps_all: number;
  input_tokens: number; output_tokens: number; tokens_per_s: number; cost_usd: number; cost_cny: number; share: number;
  /** --usage-check: sampled calls, the server's and the client's output tokens for them, client − server in % */
  usage_check?: { calls: number; server_output_tokens: number; client_output_tokens: number; diff_pct: number | null };
  /** tokens per successful request: prompt and answer p50/p95, and the answer length asked for (p50) */
  in_tok_p50: number | null; in_tok_p95: number | null; out_tok_p50: number | null; out_tok_p95: number | null; req_out_p50: number | null;
  /** prompt tokens served from the cache, written to it, and their share of input (%); reasoning tokens */
  cached_input_tokens: number; cache_write_tokens: number; cache_hit_pct: number | null; reasoning_tokens: number;
  /** who priced this model (options.llm.prices, the seed table, genai-prices VERSION: provider/model), null: unpriced */
  price_source?: string | null;
}

export interface TurnRow { turn: number; requests: number; ttft_p50: number | null; ttft_p95: number | null; in_tok_p50: number | null; cached_input_tokens: number; cache_hit_pct: number | null }

export function llmSection(store: MetricStore, durationS: number): { byModel: ModelRow[]; totals: Omit<ModelRow, 'provider' | 'model'> & { errors_by_kind: Record<string, number> }; byTurn?: TurnRow[] } | null {
  if (!store.defs.has(MN.requests)) return null;
  const pairs = new Set<string>();
  for (const s of store.series.values()) if (s.name === MN.requests) pairs.add(`${s.tags.provider ?? ''}\x00${s.tags.model ?? ''}`);
  const rowFor = (filter: Record<string, string>) => {
    const sum = (m: string, extra: Record<string, string> = {}) => store.aggregate(m, { ...filter, ...extra })?.sum ?? 0;
    const q = (m: string, p: number) => { const a = store.aggregate(m, filter); return a?.sk && a.sk.count ? round(a.sk.quantile(p)) : null; };
    const requests = sum(MN.requests);
    let errors = 0;
    for (const s of store.series.values()) if (s.name === MN.requests && s.tags.error_kind && Object.entries(filter).every(([k, v]) => s.tags[k] === v)) errors += s.agg.sum;
    const out = sum(MN.outputTokens);
    const inc = store.aggregate(MN.incomplete, filter);
    const good = store.aggregate(MN.good, filter);
    return {
      good_pct: good && good.total ? round((100 * good.trues) / good.total) : null, goodput_rps: good && good.total && durationS > 0 ? round(good.trues / durationS, 3) : null,
      requests, errors, error_rate: requests ? round(errors / requests, 4) : 0,
      // throughput as the field counts it: complete answers per second (errors and incomplete
      // streams are not), over the steady window; every call per second beside it
      rps: durationS > 0 ? round((requests - errors - (inc?.trues ?? 0)) / durationS, 3) : 0, rps_all: durationS > 0 ? round(requests / durationS, 3) : 0, incomplete: inc?.trues ?? 0, rate_limited: sum(MN.rateLimited), retries: sum(MN.retries),
      ttft_p50: q(MN.ttft, 0.5), ttft_p95: q(MN.ttft, 0.95), ttft_p99: q(MN.ttft, 0.99),
      e2e_p50: q(MN.e2e, 0.5), e2e_p95: q(MN.e2e, 0.95), e2e_p99: q(MN.e2e, 0.99),
      in_tok_p50: q(MN.requestInputTokens, 0.5), in_tok_p95: q(MN.requestInputTokens, 0.95), out_tok_p50: q(MN.requestOutputTokens, 0.5), out_tok_p95: q(MN.requestOutputTokens, 0.95), req_out_p50: q(MN.requestedOutputTokens, 0.5),
      cached_input_tokens: sum(MN.cachedInputTokens), cache_write_tokens: sum(MN.cacheWriteTokens), reasoning_tokens: sum(MN.reasoningTokens),
      cache_hit_pct: sum(MN.inputTokens) ? round((100 * sum(MN.cachedInputTokens)) / sum(MN.inputTokens)) : null,
      input_tokens: sum(MN.inputTokens), output_tokens: out, tokens_per_s: durationS > 0 ? round(out / durationS, 2) : 0,
      cost_usd: round(sum(MN.costUsd), 6), cost_cny: round(sum(MN.costCny), 6),
      // --usage-check: the server's output tokens against the client's count of the same answers
      ...(() => {
        const sv = store.aggregate(MN.usageCheckServer, filter), cl = store.aggregate(MN.usageCheckClient, filter);
        if (!sv || !cl || !sv.n) return {};
        return { usage_check: { calls: sv.n, server_output_tokens: sv.sum, client_output_tokens: cl.sum, diff_pct: sv.sum ? round((100 * (cl.sum - sv.sum)) / sv.sum) : null } };
      })(),
    };
  };
  const totalReq = store.aggregate(MN.requests)?.sum ?? 0;
  const byModel: ModelRow[] = [...pairs].sort().map((k) => {
    const [provider, model] = k.split('\x00') as [string, string];
    const r = rowFor({ provider, model });
    return { provider, model, ...r, share: totalReq ? round(r.requests / totalReq, 4) : 0, price_source: priceFor(provider, model)?.source ?? null };
  }).sort((a, b) => b.requests - a.requests);
  // conversations: the same numbers per turn (calls tagged `turn`, lib/workload/conversation.ts)
  const turns = new Set<string>();
  for (const s of store.series.values()) if (s.name === MN.requests && s.tags.turn) turns.add(s.tags.turn);
  const byTurn = [...turns].sort((a, b) => Number(a) - Number(b)).map((turn) => {
    const f = { turn };
    const sum = (m: string) => store.aggregate(m, f)?.sum ?? 0;
    const q = (m: string, p: number) => { const a = store.aggregate(m, f); return a?.sk && a.sk.count ? round(a.sk.quantile(p)) : null; };
    const input = sum(MN.inputTokens);
    return { turn: Number(turn), requests: sum(MN.requests), ttft_p50: q(MN.ttft, 0.5), ttft_p95: q(MN.ttft, 0.95), in_tok_p50: q(MN.requestInputTokens, 0.5), cached_input_tokens: sum(MN.cachedInputTokens), cache_hit_pct: input ? round((100 * sum(MN.cachedInputTokens)) / input) : null };
  });
  const errors_by_kind: Record<string, number> = {};
  for (const s of store.series.values()) if (s.name === MN.requests && s.tags.error_kind) errors_by_kind[s.tags.error_kind] = (errors_by_kind[s.tags.error_kind] ?? 0) + s.agg.sum;
  return { byModel, totals: { ...rowFor({}), share: 1, errors_by_kind }, ...(byTurn.length ? { byTurn } : {}) };
}

function round(x: number, d = 2): number { const f = 10 ** d; return Math.round(x * f) / f; }
