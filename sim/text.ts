// Deterministic pseudo-text: the same seed and request give the same words. One word (with
// its leading space) is one streamed token and one unit of completion_tokens.
import type { Rand } from './dist.ts';

const WORDS = ('load test latency token stream model queue cache batch request response server client metric ' +
  'throughput budget window limit retry backoff jitter percentile median tail cliff burst steady ramp stage ' +
  'vendor price cost context prompt output input decode prefill schedule worker thread segment shard region ' +
  'gateway proxy endpoint health signal error timeout stall reset chunk event parser buffer socket pool').split(' ');

// multi-byte words (CJK, emoji) for quirk streams: UTF-8 split across reads is then real
const WIDE = ['负载', '测试', '延迟', '✅', '🚀', 'p99', 'Grüße', 'naïve'];

// every token the simulator can emit, interned once: a stream keeps one byte per token (an
// index into this table) instead of a string per token; 1,000 open streams of 300 tokens held
// 10 MB of word strings that the young-generation collector copied (docs/PERFORMANCE.md)
const VOCAB = [...WORDS, ...WIDE];
const FIRST = VOCAB.map((w) => w[0]!.toUpperCase() + w.slice(1));
const SPACED = VOCAB.map((w) => ' ' + w);
const DOTTED = VOCAB.map((w) => '. ' + w);
const quote = (a: string[]) => a.map((t) => JSON.stringify(t));
const FIRST_J = quote(FIRST), SPACED_J = quote(SPACED), DOTTED_J = quote(DOTTED);

/** The pseudo-text of one response: n tokens, read one at a time. */
export class Text {
  private readonly idx: Uint8Array;
  constructor(readonly n: number, r: Rand, wide = false) {
    this.idx = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      this.idx[i] = wide && i % 3 === 1 ? WORDS.length + Math.floor(r() * WIDE.length) : Math.floor(r() * WORDS.length);
    }
  }
  at(i: number): string {
    const w = this.idx[i]!;
    return i === 0 ? FIRST[w]! : i % 12 === 11 ? DOTTED[w]! : SPACED[w]!;
  }
  /** token i as a JSON string literal (the wire writes it into every chunk) */
  json(i: number): string {
    const w = this.idx[i]!;
    return i === 0 ? FIRST_J[w]! : i % 12 === 11 ? DOTTED_J[w]! : SPACED_J[w]!;
  }
  join(): string {
    let s = '';
    for (let i = 0; i < this.n; i++) s += this.at(i);
    return s;
  }
}

/** FNV-1a, to derive a per-request seed from the body. */
export function hash(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h;
}
