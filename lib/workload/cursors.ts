// Cursors shared by every thread of a run (one SharedArrayBuffer, like lib/llm/spend.ts): a
// dataset read in order hands record i to exactly one request in the whole run, whichever
// thread asks. Slots are claimed by a hash of the dataset's identity with compare-and-swap,
// so every thread that opens the same dataset finds the same counter.
const SLOTS = 32;
const KEY = '__llmload_cursors';

export function createCursors(): SharedArrayBuffer { return new SharedArrayBuffer(SLOTS * 4 + SLOTS * 8); }

/** installs the run's cursors in this thread (the engine does it before the script runs) */
export function installCursors(buf: SharedArrayBuffer | null | undefined): void {
  (globalThis as Record<string, unknown>)[KEY] = buf ?? undefined;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h | 1) >>> 0 || 1; // never 0: 0 marks a free slot
}

/** A counter for `identity`: next() returns 0, 1, 2, … across every thread of the run. Outside
 *  a run (no cursors installed) a counter of this thread's own. */
export function sharedCounter(identity: string): { next(): number } {
  const buf = (globalThis as Record<string, unknown>)[KEY] as SharedArrayBuffer | undefined;
  if (!buf) { let i = 0; return { next: () => i++ }; }
  const keys = new Int32Array(buf, 0, SLOTS);
  const counts = new BigInt64Array(buf, SLOTS * 4, SLOTS);
  const h = hash(identity) | 0;
  for (let i = 0; i < SLOTS; i++) {
    const k = Atomics.load(keys, i);
    if (k === h || (k === 0 && (Atomics.compareExchange(keys, i, 0, h) === 0 || Atomics.load(keys, i) === h))) {
      return { next: () => Number(Atomics.add(counts, i, 1n)) };
    }
  }
  throw new Error(`more than ${SLOTS} datasets read in order in one run: use fewer, or shuffle some`);
}
