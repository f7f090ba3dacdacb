// Memory diagnostics for investigations (LLMLOAD_MEMLOG=1): one line to stderr every 15 s of
// run time per thread, after a GC where --expose-gc allows one. Off unless the variable is set;
// kept out of the message loops so they read as what they do.
const ON = !!process.env.LLMLOAD_MEMLOG;
const EVERY_MS = 15_000;

/** A worker's heap at interval `at` (ms since the start). */
export function memlogWorker(instance: number, at: number): void {
  if (!ON || at % EVERY_MS !== 0) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const h = process.memoryUsage();
  process.stderr.write(`MEM w${instance} at ${at / 1000}s heapUsed ${(h.heapUsed / 1e6).toFixed(1)} MB heapTotal ${(h.heapTotal / 1e6).toFixed(1)}\n`);
}

/** The main thread's memory at interval `at`, with the metric store's open intervals. */
export function memlogMain(at: number, openIntervals: number): void {
  if (!ON || at % EVERY_MS !== 0) return;
  (globalThis as { gc?: () => void }).gc?.();
  const u = process.memoryUsage();
  process.stderr.write(`MEM main at ${at / 1000}s rss ${(u.rss / 1e6).toFixed(0)} heapUsed ${(u.heapUsed / 1e6).toFixed(1)} external ${(u.external / 1e6).toFixed(1)} ab ${(u.arrayBuffers / 1e6).toFixed(1)} intervals ${openIntervals}\n`);
}
