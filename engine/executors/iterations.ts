// shared-iterations and per-vu-iterations (closed model, fixed work).
import type { Executor, VU } from './types.ts';
import { drain, track } from './common.ts';

export const sharedIterations: Executor = async (env) => {
  const { sc } = env;
  let left = env.scale(sc.iterations);
  // a segment that owns iterations needs at least one VU to run them
  const vusN = Math.min(left, Math.max(env.scale(sc.vus), left > 0 ? 1 : 0));
  const end = env.startAt + sc.maxDurationMs;
  const vus: VU[] = [];
  const inflight = new Set<Promise<void>>();
  const stopAt = new AbortController();
  const timer = env.waitUntil(end, stopAt.signal);
  let over = false;
  void timer.then(() => { over = true; });
  const loops = [];
  for (let i = 0; i < vusN; i++) {
    const vu = env.newVU();
    vus.push(vu);
    env.setActive(1);
    loops.push((async () => {
      while (left > 0 && !over && !env.stop.aborted) {
        left--;
        await track(inflight, env.iterate(vu));
      }
      env.setActive(-1);
    })());
  }
  await Promise.race([Promise.all(loops), timer, new Promise((r) => env.stop.addEventListener('abort', r, { once: true }))]);
  await drain(env, inflight, vus, sc.gracefulStopMs);
  stopAt.abort();
  await Promise.all(loops);
};

export const perVuIterations: Executor = async (env) => {
  const { sc } = env;
  const vusN = env.scale(sc.vus);
  const end = env.startAt + sc.maxDurationMs;
  const vus: VU[] = [];
  const inflight = new Set<Promise<void>>();
  const stopAt = new AbortController();
  const timer = env.waitUntil(end, stopAt.signal);
  let over = false;
  void timer.then(() => { over = true; });
  const loops = [];
  for (let i = 0; i < vusN; i++) {
    const vu = env.newVU();
    vus.push(vu);
    env.setActive(1);
    loops.push((async () => {
      for (let k = 0; k < sc.iterations && !over && !env.stop.aborted; k++) await track(inflight, env.iterate(vu));
      env.setActive(-1);
    })());
  }
  await Promise.race([Promise.all(loops), timer, new Promise((r) => env.stop.addEventListener('abort', r, { once: true }))]);
  await drain(env, inflight, vus, sc.gracefulStopMs);
  stopAt.abort();
  await Promise.all(loops);
};
