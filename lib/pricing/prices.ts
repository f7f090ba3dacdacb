// Prices in USD per million tokens, per provider and seed model, each with its source and
// date. First source: the seed article's table (shared/seeds, "Comparative Benchmark Results"
// and "Pricing and ROI", March 2026), which gives OUTPUT prices only. Input prices are the
// model vendors' published list prices (assumed to pass through unchanged; marked so).
export interface Price {
  inputPerMTok: number; outputPerMTok: number; source: string; date: string;
  /** cache reads (OpenAI cached_tokens, Anthropic cache_read_input_tokens, DeepSeek cache hits);
   *  absent: priced as plain input */
  cachedInputPerMTok?: number;
  /** cache writes (Anthropic cache_creation_input_tokens); absent: plain input */
  cacheWritePerMTok?: number;
}

const SEED = 'seed article table (shared/seeds), output price';
const LIST = 'vendor list price (input), assumed passed through';
const p = (input: number, output: number, source = `${SEED}; ${LIST}`, date = '2026-03'): Price => ({ inputPerMTok: input, outputPerMTok: output, source, date });

// vendor list input prices per MTok: gpt-4.1 $2.00, claude-sonnet-4.5 $3.00,
// gemini-2.5-flash $0.30, deepseek-v3.2 $0.28
export const PRICES: Record<string, Record<string, Price>> = {
  holysheep: { 'gpt-4.1': p(2, 8), 'claude-sonnet-4.5': p(3, 15), 'gemini-2.5-flash': p(0.3, 2.5), 'deepseek-v3.2': p(0.28, 0.42) },
  openrouter: { 'gpt-4.1': p(2, 12.5), 'claude-sonnet-4.5': p(3, 18), 'gemini-2.5-flash': p(0.3, 3.5), 'deepseek-v3.2': p(0.28, 0.65) },
  openai: { 'gpt-4.1': p(2, 15) },
  anthropic: { 'claude-sonnet-4.5': p(3, 15, LIST + '; output: vendor list price') },
  deepseek: { 'deepseek-v3.2': p(0.28, 0.42, LIST + '; output: vendor list price') },
  gemini: { 'gemini-2.5-flash': p(0.3, 2.5, LIST + '; output: vendor list price') },
  // the simulator bills like HolySheep so offline runs show realistic cost math
  sim: { 'gpt-4.1': p(2, 8), 'claude-sonnet-4.5': p(3, 15), 'gemini-2.5-flash': p(0.3, 2.5), 'deepseek-v3.2': p(0.28, 0.42) },
};

/** The seed's "Market Average" output column (Pricing and ROI), for savings math. */
export const MARKET_OUTPUT: Record<string, number> = { 'gpt-4.1': 15, 'claude-sonnet-4.5': 18, 'gemini-2.5-flash': 3.5, 'deepseek-v3.2': 0.65 };

/** CNY per USD at market (seed: ¥7.3/USD); HolySheep bills ¥1 per $1. Override: CNY_PER_USD. */
export const MARKET_CNY_PER_USD = 7.3;
