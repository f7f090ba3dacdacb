// constant-arrival-rate and ramping-arrival-rate (open model): iterations start on the
// schedule whatever the target's latency; with no free VU (and none left to add up to
// maxVUs) an arrival is dropped and counted in dropped_iterations, never delayed.
import type { Executor, VU, ExecEnv } from './types.ts';
import type { Scenario } from '../config/options.ts';
import { drain, track } from './common.ts';
import { ArrivalSchedule } from './schedule.ts';
import { COARSE_MS } from '../clock.ts';

/** what an open-model executor needs of its schedule */
interface Arrivals { next(): number | null; readonly index: number; readonly endMs: number }

/** trace-replay: the recorded offsets (lib/workload/trace.ts, ÷ speed), request i at offset i */
class TraceSchedule implements Arrivals {
  private i = 0;
  readonly endMs: number;
  constructor(private readonly offsets: number[]) { this.endMs = offsets.length ? offsets[offsets.length - 1]! + 1 : 0; }
  get index(): number { return this.i; }
  next(): number | null { return this.i < this.offsets.length ? this.offsets[this.i++]! : null; }
}

function scheduleOf(sc: Scenario): Arrivals {
  if (sc.executor === 'trace-replay') return new TraceSchedule(sc.traceOffsetsMs ?? []);
  if (sc.executor === 'constant-arrival-rate') return ArrivalSchedule.constant(sc.rate, sc.durationMs, sc.timeUnitMs, sc.burstiness ?? sc.poisson, sc.seed);
  return new ArrivalSchedule(sc.startRate, sc.stages, sc.timeUnitMs, sc.burstiness ?? sc.poisson, sc.seed);
}

async function runArrivals(env: ExecEnv): Promise<void> {
  const { sc } = env;
  const sched = scheduleOf(sc);
  const end = env.startAt + sched.endMs;
  const pre = env.scale(sc.preAllocatedVUs) || (sc.preAllocatedVUs > 0 ? 1 : 0);
  const max = Math.max(pre, env.scale(sc.maxVUs));
  const all: VU[] = [];
  const free: VU[] = [];
  for (let i = 0; i < pre; i++) { const v = env.newVU(); all.push(v); free.push(v); }
  const inflight = new Set<Promise<void>>();
  // arrivals that found every VU busy: before they count as dropped, the thread gets one turn
  // to take back the VUs whose iterations ended while it was stalled (their sleep timers and
  // completions are queued behind this loop's own wake-up). Measured: a 150 ms stall of one
  // thread at 200 it/s with 20 VUs dropped 15 without this turn (test/scenarios/stall.ts);
  // arrivals started late this way keep their planned time, so iteration_start_lag shows it
  let waiting: Array<[number, number]> = [];

  // i: the arrival's index in the whole schedule (every segment's), the iteration's
  // exec.scenario.iterationInTest: a trace replay sends record i
  const start = (vu: VU, planned: number, i: number) => {
    env.setActive(1);
    void track(inflight, env.iterate(vu, planned, i).then(() => {
      env.setActive(-1);
      if (vu.ctl.signal.aborted) vu.ctl = new AbortController();
      free.push(vu);
    }));
  };

  let next = sched.next();
  while (next !== null && !env.stop.aborted) {
    const now = env.now();
    // start everything that is due (catches up after a late wake-up without skipping); the
    // coarse wait calls anything within 0.5 ms due (engine/clock.ts), so must this loop
    while (next !== null && env.startAt + next <= now + COARSE_MS) {
      const i = sched.index - 1;
      if (env.owns(i)) {
        const vu = free.pop() ?? (all.length < max ? (all.push(env.newVU()), all[all.length - 1]!) : undefined);
        if (vu) start(vu, env.startAt + next, i);
        else waiting.push([env.startAt + next, i]);
      }
      next = sched.next();
    }
    if (waiting.length) {
      // a timer, not setImmediate: the VUs' expired sleep timers run in the next timers phase,
      // before this one (they expired earlier); setImmediate would come back before them
      await new Promise<void>((r) => setTimeout(r, 0));
      const still: Array<[number, number]> = [];
      for (const [planned, i] of waiting) {
        const vu = free.pop() ?? (all.length < max ? (all.push(env.newVU()), all[all.length - 1]!) : undefined);
        if (vu) start(vu, planned, i);
        else still.push([planned, i]);
      }
      waiting = [];
      if (still.length) env.dropped(still.length);
      continue;
    }
    if (next === null) break;
    await env.waitUntil(env.startAt + next, env.stop, 'coarse');
  }
  await env.waitUntil(end, env.stop);
  await drain(env, inflight, all, sc.gracefulStopMs);
}

export const constantArrivalRate: Executor = runArrivals;
export const rampingArrivalRate: Executor = runArrivals;
export const traceReplay: Executor = runArrivals;
