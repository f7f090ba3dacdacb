// Cost math (pure). Formulas: docs/METRICS.md, "Cost".
import { PRICES, MARKET_OUTPUT, MARKET_CNY_PER_USD, type Price } from './prices.ts';
import { lazyRequire } from '../lazy-require.ts';
import { runtime } from '../runtime.ts';
export { PRICES, MARKET_OUTPUT, MARKET_CNY_PER_USD, type Price } from './prices.ts';

// Where a price comes from, in order: the run's own (options.llm.prices, installPrices), the
// seed article's table (./prices.ts: HolySheep, OpenRouter and the vendors it names), then
// @pydantic/genai-prices (MIT; bundled data for hundreds of models and providers) for any other
// model. genai-prices is asked once per (provider, model) and its rates kept: its calcPrice
// costs ~0.19 ms a call (measured), too much per request.
const genai = lazyRequire<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');
export const GENAI_PRICES_VERSION = '0.1.8';

/** our provider names → genai-prices' provider ids (others: the model's own vendor, guessed) */
const GENAI_PROVIDER: Record<string, string> = { openai: 'openai', anthropic: 'anthropic', deepseek: 'deepseek', groq: 'groq', gemini: 'google', mistral: 'mistral', together: 'together', openrouter: 'openrouter' };

/** the run's own prices (options.llm.prices, checked by engine/run/settings.ts with
 *  userPrices below): "provider/model" or "model" → USD per MTok */
export interface UserPrice { input: number; output: number; cachedInput?: number; cacheWrite?: number }
const USER_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite'];

/** options.llm.prices → Prices, or an error naming the key and the field (exit 104 upstream) */
export function userPrices(raw: unknown): Record<string, Price> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new Error('options.llm.prices must be an object: { "provider/model": { input, output, cachedInput?, cacheWrite? } } in USD per million tokens');
  const out: Record<string, Price> = {};
  for (const [key, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!v || typeof v !== 'object') throw new Error(`options.llm.prices["${key}"] must be { input, output, cachedInput?, cacheWrite? }`);
    for (const f of Object.keys(v)) if (!USER_FIELDS.includes(f)) throw new Error(`options.llm.prices["${key}"]: unknown field "${f}": valid fields are ${USER_FIELDS.join(', ')}`);
    const u = v as Record<string, unknown>;
    for (const f of USER_FIELDS) {
      if (u[f] === undefined && (f === 'cachedInput' || f === 'cacheWrite')) continue;
      if (typeof u[f] !== 'number' || !Number.isFinite(u[f] as number) || (u[f] as number) < 0) throw new Error(`options.llm.prices["${key}"].${f} must be a price ≥ 0 in USD per million tokens, not ${JSON.stringify(u[f])}`);
    }
    const p = u as unknown as UserPrice;
    out[key] = { inputPerMTok: p.input, outputPerMTok: p.output, ...(p.cachedInput !== undefined ? { cachedInputPerMTok: p.cachedInput } : {}), ...(p.cacheWrite !== undefined ? { cacheWritePerMTok: p.cacheWrite } : {}), source: 'options.llm.prices', date: 'the run' };
  }
  return out;
}

// the run's prices, read from its options in each thread (they do not change during a run)
let seenOptions: unknown = null;
let runPrices: Record<string, Price> = {};
function installed(): Record<string, Price> {
  const o = runtime().options as { llm?: { prices?: unknown } };
  if (o !== seenOptions) { seenOptions = o; try { runPrices = userPrices(o.llm?.prices); } catch { runPrices = {}; } }
  return runPrices;
}

const genaiCache = new Map<string, Price | null>();
function genaiPrice(provider: string, model: string): Price | null {
  const key = `${provider}\n${model}`;
  if (genaiCache.has(key)) return genaiCache.get(key)!;
  let p: Price | null = null;
  try {
    const pid = GENAI_PROVIDER[provider];
    let r = genai().calcPrice({ input_tokens: 1, output_tokens: 1 }, model, pid ? { providerId: pid } : {});
    // no provider to ask (the simulator, an inline one) and no match by name alone: the vendor
    // the model's name says (calcPrice without a provider missed text-embedding-3-small)
    const vendor = /^(text-embedding|gpt-|o\d|chatgpt)/i.test(model) ? 'openai' : /^claude/i.test(model) ? 'anthropic' : /^(gemini|text-embedding-004)/i.test(model) ? 'google' : /^(mistral|codestral)/i.test(model) ? 'mistral' : null;
    if (!r && !pid && vendor) r = genai().calcPrice({ input_tokens: 1, output_tokens: 1 }, model, { providerId: vendor });
    const mp = r?.model_price as Record<string, unknown> | undefined;
    const num = (k: string) => (typeof mp?.[k] === 'number' ? (mp[k] as number) : typeof (mp?.[k] as { base?: unknown } | undefined)?.base === 'number' ? ((mp![k] as { base: number }).base) : undefined);
    const input = num('input_mtok'), output = num('output_mtok');
    // an embedding model has an input price only: it produces no output tokens
    if (r && input !== undefined && (output !== undefined || /embed/i.test(r.model.id))) {
      const cr = num('cache_read_mtok'), cw = num('cache_write_mtok');
      p = { inputPerMTok: input, outputPerMTok: output ?? 0, ...(cr !== undefined ? { cachedInputPerMTok: cr } : {}), ...(cw !== undefined ? { cacheWritePerMTok: cw } : {}), source: `genai-prices ${GENAI_PRICES_VERSION}: ${r.provider.id}/${r.model.id}${pid ? '' : ' (the model\'s vendor)'}`, date: 'package data' };
    }
  } catch { p = null; }
  genaiCache.set(key, p);
  return p;
}

export function priceFor(provider: string, seedModel: string): Price | null {
  const mine = installed();
  return mine[`${provider}/${seedModel}`] ?? mine[seedModel] ?? PRICES[provider]?.[seedModel] ?? genaiPrice(provider, seedModel);
}

/** USD for one request. inputTokens counts every prompt token, cached ones included (usage's
 *  total); cache reads and writes are priced at their own rates where the price has them:
 *  (input − cached − written)·in + cached·cached_rate + written·write_rate + output·out, per MTok.
 *  Reasoning tokens are output tokens (every vendor bills them so). */
export function costUsd(price: Price, inputTokens: number, outputTokens: number, cachedTokens = 0, cacheWriteTokens = 0): number {
  const plain = Math.max(0, inputTokens - cachedTokens - cacheWriteTokens);
  return (plain * price.inputPerMTok + cachedTokens * (price.cachedInputPerMTok ?? price.inputPerMTok) + cacheWriteTokens * (price.cacheWritePerMTok ?? price.inputPerMTok) + outputTokens * price.outputPerMTok) / 1e6;
}

/** CNY a team actually pays for `usd` of usage at this provider. */
export function toCny(usd: number, cnyPerUsd: number | undefined, marketRate = MARKET_CNY_PER_USD): number {
  return usd * (cnyPerUsd ?? marketRate);
}

/** The seed's "Savings per 10M Tokens": (market − provider) output price × tokens. */
export function outputSavings(provider: string, seedModel: string, outputTokens: number): { usd: number; percent: number } | null {
  const pr = priceFor(provider, seedModel);
  const market = MARKET_OUTPUT[seedModel];
  if (!pr || market === undefined) return null;
  const usd = ((market - pr.outputPerMTok) * outputTokens) / 1e6;
  return { usd: Math.round(usd * 100) / 100, percent: Math.round(((market - pr.outputPerMTok) / market) * 100) };
}

