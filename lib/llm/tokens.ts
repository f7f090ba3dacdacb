// Token estimates when the server reports no usage (marked source: 'estimate').
// gpt-tokenizer: o200k_base for GPT-4o/4.1/5 and o-series, cl100k_base otherwise (an
// approximation for non-OpenAI models; docs/METRICS.md says so). Loaded on first use.
type Counter = (text: string) => number;
const loaded: Partial<Record<'o200k' | 'cl100k', Counter>> = {};

export function encodingFor(model: string): 'o200k' | 'cl100k' {
  return /^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt-4o|gpt-oss)/i.test(model.replace(/^.*\//, '')) ? 'o200k' : 'cl100k';
}

export async function tokenCounter(model: string): Promise<Counter> {
  const enc = encodingFor(model);
  let c = loaded[enc];
  if (!c) {
    const m = enc === 'o200k' ? await import('gpt-tokenizer/encoding/o200k_base') : await import('gpt-tokenizer/encoding/cl100k_base');
    c = (t: string) => m.countTokens(t);
    loaded[enc] = c;
  }
  return c;
}

export async function countTokens(model: string, text: string): Promise<number> {
  return (await tokenCounter(model))(text);
}

import { createRequire } from 'node:module';
const requireSync = createRequire(import.meta.url);
const syncLoaded: Partial<Record<'o200k' | 'cl100k', Counter>> = {};
/** countTokens without a promise (workload generators count while building a request) */
export function countTokensSync(model: string, text: string): number {
  const enc = encodingFor(model);
  let c = syncLoaded[enc] ?? loaded[enc];
  if (!c) {
    const m = requireSync(enc === 'o200k' ? 'gpt-tokenizer/cjs/encoding/o200k_base' : 'gpt-tokenizer/cjs/encoding/cl100k_base');
    c = (t: string) => m.countTokens(t);
    syncLoaded[enc] = c;
  }
  return c(text);
}
