import type { WaitMode } from '../../lib/wait.ts';
import type { Scenario } from '../config/options.ts';
import type { Tags } from '../metrics/types.ts';

export interface VU {
  idInInstance: number;
  idInTest: number;
  iterations: number; // in this instance, across scenarios
  iterationsInScenario: number;
  tags: Tags;
  ctl: AbortController; // aborted to interrupt this VU's current iteration
}

/** What the worker hands an executor: the clock, VUs, and how to run one iteration. */
export interface ExecEnv {
  sc: Scenario;
  /** static share of a count for this segment: floor(N·to) − floor(N·from) */
  scale(n: number): number;
  /** whether the i-th arrival of the global schedule is this segment's */
  owns(i: number): boolean;
  /** share of a VU count that only grows as N grows: the global VUs 0…N−1 this segment owns
   *  (the arrivals' striping). ramping-vus uses it: with scale(), a shard's count could dip
   *  as the global count rose (floor(5·0.8)−floor(5·0.5) = 2, then 1 at 6), stopping a VU
   *  mid-ramp-up and starting it again */
  scaleMonotonic(n: number): number;
  /** scenario start on the shared clock (ms) */
  startAt: number;
  now(): number;
  newVU(): VU;
  /** runs one iteration; resolves when it ends (never rejects) */
  /** runs one iteration; arrival executors pass its planned start and its index in the whole schedule */
  iterate(vu: VU, plannedAt?: number, arrivalIndex?: number): Promise<void>;
  /** resolves at clock time `at` or when `signal` aborts */
  waitUntil(at: number, signal?: AbortSignal, mode?: WaitMode): Promise<void>;
  /** stop starting new iterations (graceful stop requested: end of test, SIGINT, abortOnFail) */
  stop: AbortSignal;
  setActive(delta: number): void;
  dropped(n: number): void;
  log(msg: string): void;
}

export type Executor = (env: ExecEnv) => Promise<void>;
