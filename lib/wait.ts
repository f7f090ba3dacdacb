// Waiting until a time on a monotonic ms clock, shared by sleep(), the engine's schedulers and
// lib/llm's retry waits. Three modes:
// - 'precise': sub-ms accurate, never early — a timer to ~1 ms before, then setImmediate turns
//   (Node timers are ms-granular and fire late). The turns keep a core busy and make garbage,
//   so only short waits use it (sleep() below PRECISE_BELOW_MS).
// - 'timer': never early, timers only — wakes 0–2 ms late. Think time and other long waits:
//   precise sleeps of 0.5–2.5 s at 200 VUs spent ~1 ms each spinning, ~12 % of a core
//   (docs/PERFORMANCE.md).
// - 'coarse': timers only and anything within COARSE_MS counts as due: arrival-rate executors
//   (at 1,000 it/s precise waits burned a core spinning).
export const COARSE_MS = 0.5;
/** sleep() shorter than this is precise; longer ones use the timer mode */
export const PRECISE_BELOW_MS = 50;

export type WaitMode = 'precise' | 'timer' | 'coarse';

export function waitUntil(at: number, now: () => number, signal?: AbortSignal, mode: WaitMode = 'precise'): Promise<void> {
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
      if (left <= (mode === 'coarse' ? COARSE_MS : 0)) return finish();
      if (mode === 'coarse') timer = setTimeout(tick, Math.max(1, Math.round(left)));
      else if (mode === 'timer') timer = setTimeout(tick, Math.max(1, Math.ceil(left)));
      else if (left > 1.2) timer = setTimeout(tick, Math.floor(left - 1));
      else imm = setImmediate(tick);
    };
    tick();
  });
}
