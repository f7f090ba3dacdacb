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

/** Resolves at clock time `at` (ms), or early when `signal` aborts. Sub-ms accurate. */
export function waitUntil(at: number, signal?: AbortSignal): Promise<void> {
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
      if (left <= 0) return finish();
      // Node timers are ms-granular and fire late; sleep to ~1 ms short, then spin on
      // setImmediate (which still lets I/O run) to the exact time.
      if (left > 1.2) timer = setTimeout(tick, Math.floor(left - 1));
      else imm = setImmediate(tick);
    };
    tick();
  });
}
