import type { ExecutorName } from '../config/options.ts';
import type { Executor } from './types.ts';
import { sharedIterations, perVuIterations } from './iterations.ts';
import { constantVus, rampingVus } from './vus.ts';
import { constantArrivalRate, rampingArrivalRate, traceReplay } from './arrival.ts';

export const executors: Record<ExecutorName, Executor> = {
  'shared-iterations': sharedIterations,
  'per-vu-iterations': perVuIterations,
  'constant-vus': constantVus,
  'ramping-vus': rampingVus,
  'constant-arrival-rate': constantArrivalRate,
  'ramping-arrival-rate': rampingArrivalRate,
  'trace-replay': traceReplay,
};
export type { ExecEnv, VU, Executor } from './types.ts';
