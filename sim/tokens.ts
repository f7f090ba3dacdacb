// Input-token counts for the simulator, from a worker thread (sim/token-worker.ts). With the
// tokenizers in the simulator's own heap, every full GC marked their ~40 MB of tables: 10–14 ms
// pauses in the middle of a run, each delaying every write then due (docs/PERFORMANCE.md).
// Load tests repeat a handful of prompts, so counts are cached (bounded) and a repeated
// prompt is counted synchronously; a new one costs a round trip to the thread.
import { Worker } from 'node:worker_threads';
import { encodingFor } from '../lib/llm/tokens.ts';

const CACHE_MAX = 4096;

export class TokenThread {
  private worker: Worker;
  private seq = 0;
  private pending = new Map<number, { resolve: (n: number) => void; reject: (e: Error) => void }>();
  private cache = new Map<string, number>();

  constructor() {
    // from dist/ the worker is dist/sim-tokens.js (scripts/build.mjs); from source, the .ts
    // file (run under tsx, which worker threads inherit through execArgv)
    const here = import.meta.url;
    const file = here.endsWith('.ts') ? new URL('./token-worker.ts', here) : new URL('./sim-tokens.js', here);
    this.worker = new Worker(file);
    this.worker.unref();
    this.worker.on('message', (m: { id: number; n: number | null }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.n === null) p.reject(new Error('token count failed')); else p.resolve(m.n);
    });
    this.worker.on('error', (e) => { for (const p of this.pending.values()) p.reject(e); this.pending.clear(); });
  }

  /** The count, synchronously when this prompt was counted before. */
  count(model: string, text: string): number | Promise<number> {
    const key = encodingFor(model) + '\x00' + text;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const id = ++this.seq;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve: (n) => { this.remember(key, n); resolve(n); }, reject });
      this.worker.postMessage({ id, model, text });
    });
  }

  private remember(key: string, n: number): void {
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, n);
  }

  close(): Promise<number> { return this.worker.terminate(); }
}
