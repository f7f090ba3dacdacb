// V8's memory reducer off for the isolates that measure. When an isolate's allocation rate
// drops (a light load: 20 streams), V8 runs "Mark-Compact (reduce)" collections from 8 s after
// start to shrink the heap: 5–13 ms pauses in a 15 MB heap, in the middle of the run, and every
// stream's next read waits for them (they showed up as 6–8 ms TTFT outliers in the client timing
// test; `node --trace-gc`, 20 streams, docs/PERFORMANCE.md). Memory is not what a load generator
// is short of, so the VU isolates do without.
//
// V8 reads the flag when it sets up an isolate's heap, so setting it at run time covers the
// worker threads created afterwards (the VUs), not the main isolate that is already running;
// processes we spawn ourselves (the built-in simulator) get it on their command line instead.
// It cannot go in NODE_OPTIONS ("not allowed").
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

export const NO_MEMORY_REDUCER = '--no-memory-reducer';

/** Node flags for the simulator's own process (make bench's child, the tests' and benches'):
 * a larger young generation (fewer scavenges, so token writes keep their schedule) and no
 * memory reducer. One list, so the tests measure the simulator that make bench runs. */
export const SIM_NODE_ARGS = ['--max-semi-space-size=32', NO_MEMORY_REDUCER];

// A fixed heap growing factor of 4 (V8 adapts it between 1.1 and 4) for runs whose k6 VUs share
// worker threads. After a mark-compact V8 sets the old generation's limit at live size × that
// factor, and starts the next marking as soon as the room left is under the young generation's
// capacity (32 MB with 16 MB semi-spaces). On a k6 run of 200 VUs (~33 MB live in the worker:
// the VUs' instances of the script, the tokenizer tables) it chose ~1.9, which left ~24 MB, so a
// mark-compact came every 7–14 s whatever the load promoted, each pausing the thread that takes
// timestamps 8–15 ms (`node --trace-gc --trace-incremental-marking`: "[IncrementalMarking] Start
// (task) … 40MB / 64MB"). With 4 there was none in 30 s. The cost is memory, and V8 reads the
// flag for every isolate of the process: on the 10-minute soak (20 native VUs, `SOAK_MINUTES=10
// make perf ONLY=soak`) RSS grew 21.8 % after warm-up with V8's own factor, 27.4 % with 2.5 and
// 40.7 % with 4. So other runs keep V8's own (`=0`: not fixed).
export const HEAP_GROWING = '--heap-growing-percent=300';
const HEAP_GROWING_ADAPTIVE = '--heap-growing-percent=0';

/** call before creating the VU worker threads (setting a V8 flag twice is harmless);
 *  `k6SharedVus`: the run's k6 VUs share worker threads */
export function quietGcForWorkers(k6SharedVus: boolean): void {
  setFlagsFromString(NO_MEMORY_REDUCER);
  setFlagsFromString(k6SharedVus ? HEAP_GROWING : HEAP_GROWING_ADAPTIVE);
}

/** Two young-generation collections, before the start: what a thread built in its init (each
 *  k6 VU's instance of the script, the tokenizer tables, undici) is long-lived, and left young it
 *  was copied by the run's first two scavenges — 5.3–6.7 ms pauses at 2.3–4.7 s of a 200-VU
 *  ramp (`node --trace-gc`, docs/PERFORMANCE.md, "k6 scripts at scale"), over the timing-error
 *  limit. Two scavenges promote it now, at no cost to the run (2.5 ms pauses at the ramp then).
 *  Caused by allocating garbage until the young generation has been collected twice: not by
 *  `gc()`, because exposing it means toggling a process-wide V8 flag, which raced between worker
 *  threads starting together ("gc is not defined" in 1 of 12), and not full collections: after
 *  two of those V8 set the old generation's limit so close to the live heap that a 200-VU run
 *  had an 11–18 ms mark-compact every ~1.7 s. */
export function settleHeap(): void {
  const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_used_size ?? 0;
  let last = young();
  let collected = 0;
  // kept in a ring so that the optimizing compiler cannot drop the allocation as unused
  const ring: unknown[] = new Array(16);
  // bounded: 2 × a 16 MB semi-space is ~64 K of these; the cap is ~100 MB of garbage
  for (let i = 1; i <= 200_000 && collected < 2; i++) {
    ring[i & 15] = new Array(64);
    if ((i & 255) === 0) {
      const now = young();
      if (now < last) collected++;
      last = now;
    }
  }
}
