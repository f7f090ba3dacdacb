// One monotonic clock for every thread of the process: ms since the test's origin, from
// process.hrtime (CLOCK_MONOTONIC, shared by worker threads), never Date.now().
// Read through performance.now() (a double: no BigInt garbage in spin loops) plus a fixed
// offset to the origin; both come from the same monotonic source (uv_hrtime).
let origin = process.hrtime.bigint();
let offset = calibrate(origin);
function calibrate(o: bigint): number { return Number(process.hrtime.bigint() - o) / 1e6 - performance.now(); }
export function setOrigin(o: bigint): void { origin = o; offset = calibrate(o); }
export function getOrigin(): bigint { return origin; }
export function now(): number { return performance.now() + offset; }

/**
 * Resolves at clock time `at` (ms), or early when `signal` aborts. Never early. Precise mode
 * (sleep()) is sub-ms accurate: a timer to ~1 ms before, then setImmediate turns. Coarse mode
 * (arrival-rate executors) only uses the timer and calls anything within 0.5 ms "now",
 * trading ≤ ~1 ms of lateness (or 0.5 ms earliness) for not burning a core spinning between
 * arrivals (measured: a full core at 1,000 it/s with spinning; docs/PERFORMANCE.md).
 */
export const COARSE_MS = 0.5;

export function waitUntil(at: number, signal?: AbortSignal, coarse = false): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    let imm: NodeJS.Immediate | undefined;
    const finish = () => { signal?.removeEventListener('abort', onAbort); resolve(); };
    const onAbort = () => { if (timer) clearTimeout(timer); if (imm) clearImmediate(imm); finish(); };
    signal?.addEventListener('abort', onAbort, { once: true });
    const tick = () => {
      timer = undefined; imm = undefined;
      const left = at - now();
      // coarse: within half a millisecond counts as on time (no spinning at all)
      if (left <= (coarse ? COARSE_MS : 0)) return finish();
      // Node timers are ms-granular and fire late; sleep to ~1 ms short, then spin on
      // setImmediate (which still lets I/O run) to the exact time.
      if (coarse) timer = setTimeout(tick, Math.max(1, Math.round(left)));
      else if (left > 1.2) timer = setTimeout(tick, Math.floor(left - 1));
      else imm = setImmediate(tick);
    };
    tick();
  });
}
