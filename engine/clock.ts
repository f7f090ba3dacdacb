// The run's clock: lib/clock.ts's monotonic milliseconds (one source for every thread and for
// the simulator's ground truth), read from the test's origin. The main thread fixes the origin
// and hands it to each worker (`originHr`), so every thread's now() counts from the same
// instant; never Date.now().
import { monoMs } from '../lib/clock.ts';
import { waitUntil as wait, COARSE_MS, type WaitMode } from '../lib/wait.ts';
export { COARSE_MS };

let origin = process.hrtime.bigint();
let originMs = Number(origin) / 1e6;
export function setOrigin(o: bigint): void { origin = o; originMs = Number(o) / 1e6; }
export function getOrigin(): bigint { return origin; }
/** ms since the test's origin */
export function now(): number { return monoMs() - originMs; }

/** Resolves at clock time `at` (ms), or early when `signal` aborts (lib/wait.ts). */
export function waitUntil(at: number, signal?: AbortSignal, mode: WaitMode = 'precise'): Promise<void> {
  return wait(at, now, signal, mode);
}
