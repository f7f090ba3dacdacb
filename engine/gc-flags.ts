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
import { setFlagsFromString } from 'node:v8';

export const NO_MEMORY_REDUCER = '--no-memory-reducer';

/** Node flags for the simulator's own process (make bench's child, the tests' and benches'):
 * a larger young generation (fewer scavenges, so token writes keep their schedule) and no
 * memory reducer. One list, so the tests measure the simulator that make bench runs. */
export const SIM_NODE_ARGS = ['--max-semi-space-size=32', NO_MEMORY_REDUCER];

/** call before creating the VU worker threads (setting a V8 flag twice is harmless) */
export function quietGcForWorkers(): void {
  setFlagsFromString(NO_MEMORY_REDUCER);
}
