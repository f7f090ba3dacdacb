// Synthetic prompts of an exact token length (docs/WORKLOADS.md), as AIPerf's --isl/--osl,
// GuideLLM's prompt_tokens and vLLM's random dataset make them. The text is built from words
// that are one token each, with their leading space, in the tokenizer that fits the model
// family (lib/llm/tokens.ts: o200k_base for GPT-4o/4.1/5 and o-series, cl100k_base otherwise):
// BPE pre-splits on spaces, so N such words are exactly N tokens in that tokenizer (for other
// families an estimate, and the request log says so: tok_src). Words are drawn per request from
// a seeded stream, so no two prompts share a prefix by accident (a provider's prompt cache
// must not serve our benchmark).
import { encodingFor } from '../llm/tokens.ts';
import { lengthSampler, LengthError, type LengthSpec } from './lengths.ts';
import { prng } from '../random.ts';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// common English words; the ones that are not a single token in an encoding are dropped there
const WORDS = ('the of and to in is was for on that with as by at from his it an were are which this be or had not but first one their its new after who they have her she two been other when there all during into school time may years more most only over city some world would where later up such used many can state about national out known university united then made well three year people th including part also between age team high being since team work under game american series film club called both through city region war while group party season music before best third de number however three another county due album same life government like during around four early each until several among those second against home band following name public family area back end league great song what second them own place found won village show general power north main local land day took still south several off very even left last next long old place right small large white head long big case form hand side west east black open late water book field point house health way light line order sea air force').split(/\s+/).filter(Boolean);

const pools: Partial<Record<'o200k' | 'cl100k', string[]>> = {};

/** the words that are exactly one token (with a leading space) in the model's encoding */
export function wordPool(model: string): string[] {
  const enc = encodingFor(model);
  let p = pools[enc];
  if (!p) {
    const m = enc === 'o200k' ? require('gpt-tokenizer/cjs/encoding/o200k_base') : require('gpt-tokenizer/cjs/encoding/cl100k_base');
    p = [...new Set(WORDS)].filter((w) => m.encode(' ' + w).length === 1);
    pools[enc] = p;
  }
  return p;
}

/** `n` tokens of text: n words of the pool, each with its leading space, drawn from `rand` */
export function textOfTokens(n: number, pool: string[], rand: () => number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ' ' + pool[Math.floor(rand() * pool.length)];
  return s;
}

export interface SyntheticOptions {
  model: string;
  /** input (prompt) length in tokens: a count or a distribution (lib/workload/lengths.ts) */
  input: LengthSpec;
  /** output length in tokens: max_tokens, and with exactOutput the server-side controls */
  output: LengthSpec;
  seed?: number;
  /** send min_tokens = max_tokens and ignore_eos (vLLM, SGLang, llama.cpp's server, the
   *  simulator accept them; OpenAI and Anthropic refuse unknown fields: off by default) */
  exactOutput?: boolean;
  contextWindow?: number;
  /** a pool of `count` (default 1: a shared system prompt) distinct prefixes of `tokens` tokens,
   *  sent as the system message before the unique part; the same texts in every thread */
  prefix?: { tokens: number; count?: number };
}

export interface SyntheticRequest {
  messages: Array<{ role: 'system' | 'user'; content: string }>;
  max_tokens: number;
  /** the server-side length controls to spread into the body (empty unless exactOutput) */
  controls: { min_tokens?: number; ignore_eos?: boolean };
  /** the lengths asked for (the prompt's count is exact in the model family's tokenizer) */
  inputTokens: number;
  outputTokens: number;
}

/** A generator of synthetic requests; each VU (or thread) gets its own with its own seed. */
export function synthetic(o: SyntheticOptions): { next(): SyntheticRequest } {
  const rand = prng(o.seed ?? 1);
  const pool = wordPool(o.model);
  const inLen = lengthSampler(o.input, rand, 'input length', o.contextWindow);
  const outLen = lengthSampler(o.output, rand, 'output length', o.contextWindow);
  const prefixes = o.prefix ? prefixPool(o.model, o.prefix.tokens, o.prefix.count ?? 1) : null;
  return {
    next() {
      const inputTokens = inLen();
      const outputTokens = outLen();
      const pre = prefixes ? prefixes.at(Math.floor(rand() * prefixes.count)) : null;
      return {
        // the leading space stays: ' w1 … wN' is exactly N tokens (without it the first word may split)
        messages: [...(pre ? [{ role: 'system' as const, content: pre }] : []), { role: 'user' as const, content: textOfTokens(inputTokens, pool, rand) }],
        max_tokens: outputTokens,
        controls: o.exactOutput ? { min_tokens: outputTokens, ignore_eos: true } : {},
        inputTokens: inputTokens + (o.prefix?.tokens ?? 0), outputTokens,
      };
    },
  };
}

/** A pool of `count` prefixes of `tokens` tokens: prefix i comes from its own fixed seed, so
 *  every thread and VU builds the same text i and a provider's prompt cache sees it shared.
 *  Built on first use and kept (a pool of thousands costs only the ones used). */
export function prefixPool(model: string, tokens: number, count: number): { count: number; at(i: number): string } {
  if (!(Number.isInteger(tokens) && tokens >= 1)) throw new LengthError(`prefix tokens must be an integer ≥ 1, not ${tokens}`);
  if (!(Number.isInteger(count) && count >= 1)) throw new LengthError(`prefix count must be an integer ≥ 1, not ${count}`);
  const pool = wordPool(model);
  const built = new Map<number, string>();
  return {
    count,
    at(i: number) {
      const k = ((i % count) + count) % count;
      let t = built.get(k);
      if (t === undefined) built.set(k, (t = textOfTokens(tokens, pool, prng(0x5eed + k * 7919))));
      return t;
    },
  };
}
