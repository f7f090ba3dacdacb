// Token estimates when the server reports no usage (marked source: 'estimate').
// gpt-tokenizer: o200k_base for GPT-4o/4.1/5 and o-series, cl100k_base otherwise (an
// approximation for non-OpenAI models; docs/METRICS.md says so). Loaded on first use.
type Counter = (text: string) => number;
const loaded: Partial<Record<'o200k' | 'cl100k', Counter>> = {};

export function encodingFor(model: string): 'o200k' | 'cl100k' {
  return /^(gpt-4o|gpt-4\.1|gpt-5|o\d|chatgpt-4o|gpt-oss)/i.test(model.replace(/^.*\//, '')) ? 'o200k' : 'cl100k';
}

// One loader for both counters: the CommonJS build, synchronously. An ESM import for the async
// counter and a require for the sync one would load the same tokenizer tables twice (~40 MB).
import { createRequire } from 'node:module';
const requireSync = createRequire(import.meta.url);
function counterFor(model: string): Counter {
  const enc = encodingFor(model);
  let c = loaded[enc];
  if (!c) {
    const m = requireSync(enc === 'o200k' ? 'gpt-tokenizer/cjs/encoding/o200k_base' : 'gpt-tokenizer/cjs/encoding/cl100k_base');
    c = (t: string) => m.countTokens(t);
    loaded[enc] = c;
  }
  return c;
}

export async function tokenCounter(model: string): Promise<Counter> { return counterFor(model); }

export async function countTokens(model: string, text: string): Promise<number> { return counterFor(model)(text); }

/** countTokens without a promise (workload generators count while building a request) */
export function countTokensSync(model: string, text: string): number { return counterFor(model)(text); }
