// shared-iterations and per-vu-iterations (closed model, fixed work).
import type { ExecEnv, Executor, VU } from './types.ts';
import { drain, track } from './common.ts';

/**
 * Runs `n` VUs, each looping while `more()` says so, until all are done, maxDuration passes,
 * or the test stops; then drains in-flight iterations (gracefulStop).
 */
async function runLoops(env: ExecEnv, n: number, more: (k: number) => boolean): Promise<void> {
  const { sc } = env;
  const vus: VU[] = [];
  const inflight = new Set<Promise<void>>();
  const stopAt = new AbortController();
  const timer = env.waitUntil(env.startAt + sc.maxDurationMs, stopAt.signal);
  let over = false;
  void timer.then(() => { over = true; });
  const loops = [];
  for (let i = 0; i < n; i++) {
    const vu = env.newVU();
    vus.push(vu);
    env.setActive(1);
    loops.push((async () => {
      for (let k = 0; more(k) && !over && !env.stop.aborted; k++) await track(inflight, env.iterate(vu));
      env.setActive(-1);
    })());
  }
  await Promise.race([Promise.all(loops), timer, new Promise((r) => env.stop.addEventListener('abort', r, { once: true }))]);
  await drain(env, inflight, vus, sc.gracefulStopMs);
  stopAt.abort();
  await Promise.all(loops);
}

export const sharedIterations: Executor = async (env) => {
  let left = env.scale(env.sc.iterations);
  // a segment that owns iterations needs at least one VU to run them
  const vus = Math.min(left, Math.max(env.scale(env.sc.vus), left > 0 ? 1 : 0));
  await runLoops(env, vus, () => left-- > 0);
};

export const perVuIterations: Executor = async (env) => {
  await runLoops(env, env.scale(env.sc.vus), (k) => k < env.sc.iterations);
};
