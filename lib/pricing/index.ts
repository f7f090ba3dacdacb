// Cost math (pure). Formulas: docs/METRICS.md, "Cost".
import { PRICES, MARKET_OUTPUT, MARKET_CNY_PER_USD, type Price } from './prices.ts';
export { PRICES, MARKET_OUTPUT, MARKET_CNY_PER_USD, type Price } from './prices.ts';

export function priceFor(provider: string, seedModel: string): Price | null {
  return PRICES[provider]?.[seedModel] ?? null;
}

/** USD for one request: input and output tokens priced separately. */
export function costUsd(price: Price, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMTok + outputTokens * price.outputPerMTok) / 1e6;
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

