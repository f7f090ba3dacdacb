// constant-vus and ramping-vus (closed model: each VU loops iterations back to back).
import type { Executor, VU } from './types.ts';
import { drain, track } from './common.ts';
import { vusAt } from './schedule.ts';

export const constantVus: Executor = async (env) => {
  const { sc } = env;
  const end = env.startAt + sc.durationMs;
  const vus: VU[] = [];
  const inflight = new Set<Promise<void>>();
  let over = false;
  const loops = [];
  for (let i = 0; i < env.scale(sc.vus); i++) {
    const vu = env.newVU();
    vus.push(vu);
    env.setActive(1);
    loops.push((async () => {
      while (!over && !env.stop.aborted && env.now() < end) await track(inflight, env.iterate(vu));
      env.setActive(-1);
    })());
  }
  await env.waitUntil(end, env.stop);
  over = true;
  await drain(env, inflight, vus, sc.gracefulStopMs);
  await Promise.all(loops);
};

const TICK_MS = 10;

export const rampingVus: Executor = async (env) => {
  const { sc } = env;
  const total = sc.stages.reduce((a, s) => a + s.durationMs, 0);
  const end = env.startAt + total;
  const pool: VU[] = []; // VU objects are reused when ramping up again, as k6 does
  interface Slot { vu: VU; running: boolean; stopAsked: boolean; loop: Promise<void>; graceTimer: AbortController | null }
  const slots: Slot[] = [];
  const inflight = new Set<Promise<void>>();
  let over = false;

  const startSlot = (i: number) => {
    const vu = pool[i] ?? (pool[i] = env.newVU());
    if (vu.ctl.signal.aborted) vu.ctl = new AbortController();
    const slot: Slot = { vu, running: true, stopAsked: false, loop: Promise.resolve(), graceTimer: null };
    slots[i] = slot;
    env.setActive(1);
    slot.loop = (async () => {
      while (!slot.stopAsked && !over && !env.stop.aborted) await track(inflight, env.iterate(vu));
      slot.running = false;
      env.setActive(-1);
    })();
  };

  for (;;) {
    const t = env.now() - env.startAt;
    const target = env.scaleMonotonic(vusAt(Math.max(0, t), sc.startVUs, sc.stages));
    // ramp up: the lowest free slots start; ramp down: the highest running slots finish
    // their iteration, and are interrupted after gracefulRampDown (k6 semantics)
    for (let i = 0; i < Math.max(slots.length, target); i++) {
      const s = slots[i];
      if (i < target) {
        if (!s || (!s.running)) startSlot(i);
        // wanted again before it stopped: it keeps running, and the interrupt armed for the
        // end of its gracefulRampDown is called off (left armed, it aborted the VU's every
        // later call at once: 652 aborted calls in one shard of a seed run)
        else if (s.stopAsked) { s.stopAsked = false; s.graceTimer?.abort(); s.graceTimer = null; }
      } else if (s && s.running && !s.stopAsked) {
        s.stopAsked = true;
        const vu = s.vu;
        const ac = new AbortController();
        s.graceTimer = ac;
        void env.waitUntil(env.now() + sc.gracefulRampDownMs, ac.signal).then(() => { if (s.running && s.stopAsked && !ac.signal.aborted) vu.ctl.abort(); });
        void s.loop.then(() => ac.abort());
      }
    }
    if (t >= total || env.stop.aborted) break;
    await env.waitUntil(Math.min(end, env.now() + TICK_MS), env.stop, 'timer'); // VU-count control: ms precision is plenty
  }
  over = true;
  await drain(env, inflight, pool, sc.gracefulStopMs);
  await Promise.all(slots.filter(Boolean).map((s) => s.loop));
};
