// Deterministic pseudo-text: the same seed and request give the same words. One word (with
// its leading space) is one streamed token and one unit of completion_tokens.
import type { Rand } from './dist.ts';

const WORDS = ('load test latency token stream model queue cache batch request response server client metric ' +
  'throughput budget window limit retry backoff jitter percentile median tail cliff burst steady ramp stage ' +
  'vendor price cost context prompt output input decode prefill schedule worker thread segment shard region ' +
  'gateway proxy endpoint health signal error timeout stall reset chunk event parser buffer socket pool').split(' ');

// multi-byte words (CJK, emoji) for quirk streams: UTF-8 split across reads is then real
const WIDE = ['负载', '测试', '延迟', '✅', '🚀', 'p99', 'Grüße', 'naïve'];

export function words(n: number, r: Rand, wide = false): string[] {
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const w = wide && i % 3 === 1 ? WIDE[Math.floor(r() * WIDE.length)]! : WORDS[Math.floor(r() * WORDS.length)]!;
    out[i] = i === 0 ? w[0]!.toUpperCase() + w.slice(1) : (i % 12 === 11 ? '. ' : ' ') + w;
  }
  return out;
}

/** FNV-1a, to derive a per-request seed from the body. */
export function hash(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h;
}
