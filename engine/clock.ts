// One monotonic clock for every thread of the process: ms since the test's origin, from
// process.hrtime (CLOCK_MONOTONIC, shared by worker threads), never Date.now().
import { waitUntil as wait, COARSE_MS, type WaitMode } from '../lib/wait.ts';
export { COARSE_MS };

// Read through performance.now() (a double: no BigInt garbage in spin loops) plus a fixed
// offset to the origin; both come from the same monotonic source (uv_hrtime).
let origin = process.hrtime.bigint();
let offset = calibrate(origin);
function calibrate(o: bigint): number { return Number(process.hrtime.bigint() - o) / 1e6 - performance.now(); }
export function setOrigin(o: bigint): void { origin = o; offset = calibrate(o); }
export function getOrigin(): bigint { return origin; }
export function now(): number { return performance.now() + offset; }

/** Resolves at clock time `at` (ms), or early when `signal` aborts (lib/wait.ts). */
export function waitUntil(at: number, signal?: AbortSignal, mode: WaitMode = 'precise'): Promise<void> {
  return wait(at, now, signal, mode);
}
