// Waiting until a time on a monotonic ms clock, shared by sleep(), the engine's schedulers and
// lib/llm's retry waits. Precise mode is sub-ms accurate: a timer to ~1 ms before, then
// setImmediate turns (Node timers are ms-granular and fire late). Coarse mode only uses the
// timer and treats anything within COARSE_MS as due: no spinning (arrival-rate executors at
// 1,000 it/s burned a core spinning; docs/PERFORMANCE.md). Never early in precise mode.
export const COARSE_MS = 0.5;

export function waitUntil(at: number, now: () => number, signal?: AbortSignal, coarse = false): Promise<void> {
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
      if (left <= (coarse ? COARSE_MS : 0)) return finish();
      if (coarse) timer = setTimeout(tick, Math.max(1, Math.round(left)));
      else if (left > 1.2) timer = setTimeout(tick, Math.floor(left - 1));
      else imm = setImmediate(tick);
    };
    tick();
  });
}
