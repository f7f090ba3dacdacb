// How many VU threads a run gets when --workers is not given (issue #16). Measured, not one per
// core: CPU per streamed event rises with threads at the same load (each thread has its own
// event loop waking for fewer ready sockets, its own JIT and GC), and the timing error's tail
// rises with it. docs/PERFORMANCE.md ("Whole process", "How many threads") has the figures:
// 100 streams on 2 cores, our reader: 1 thread 23.4 µs/event (TTFT error p99 4.4 ms), 2 threads
// 30.5 (11.6), 4 threads 37.5 (17.5); 1,000 streams on 16 cores (issue #16's measurement):
// 2 threads 19.1 µs, 4 → 26.5, 8 → 30.9. So: one thread per STREAMS_PER_THREAD concurrent VUs
// (a thread then spends well under half its time on ~100 events/s per stream), and never more
// than half the cores: the target, GC helper threads and the main thread need the rest.
export const STREAMS_PER_THREAD = 500;

export function defaultWorkers(cores: number, maxVUs: number): number {
  const byLoad = Math.ceil(Math.max(1, maxVUs) / STREAMS_PER_THREAD);
  const byCores = Math.max(1, Math.floor(cores / 2));
  return Math.max(1, Math.min(byLoad, byCores));
}
