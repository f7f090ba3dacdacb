// The simulator's prompt cache (automatic prefix caching, as vLLM's, SGLang's and the hosted
// APIs' work): the prompt's text in blocks of BLOCK_CHARS characters, each keyed by a hash of
// every block before it, so a block hits only when the whole prefix up to it was seen. An LRU of
// `capacity` blocks. A request's cached tokens are its input tokens × the share of its text in
// blocks that hit; the prefill it skips is theirs (docs/WORKLOADS.md, "Prompt caching").
export const BLOCK_CHARS = 256;

export class PrefixCache {
  private lru = new Map<number, true>();
  hits = 0;
  lookups = 0;
  constructor(readonly capacity: number) {}

  /** cached tokens of this prompt (of `inputTokens`); then its blocks are in the cache */
  use(text: string, inputTokens: number): number {
    this.lookups++;
    const full = Math.floor(text.length / BLOCK_CHARS);
    let h = 0x811c9dc5;
    let matched = 0;
    let prefixHits = true;
    for (let b = 0; b < full; b++) {
      // FNV-1a over the block, chained from the previous block's hash
      for (let i = b * BLOCK_CHARS, e = i + BLOCK_CHARS; i < e; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
      const key = (h >>> 0) * 4096 + b; // the block's index too: equal text at another depth is another block
      if (prefixHits && this.lru.has(key)) { matched++; this.lru.delete(key); }
      else prefixHits = false;
      this.lru.set(key, true);
      if (this.lru.size > this.capacity) this.lru.delete(this.lru.keys().next().value!);
    }
    if (matched) this.hits++;
    return text.length ? Math.floor((inputTokens * matched * BLOCK_CHARS) / text.length) : 0;
  }
}
