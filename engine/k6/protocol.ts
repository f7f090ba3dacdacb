// Messages between a k6-mode VU thread (engine/k6/vu-thread.ts) and the thread hosting it
// (engine/k6/blocking-vu.ts: a worker, or the main thread for setup and teardown).
import type { MessagePort } from 'node:worker_threads';
import type { MetricDef, Tags } from '../metrics/types.ts';
import type { VuState } from '../../lib/runtime.ts';
import type { WireRequest, WireResponse } from '../../lib/k6/bridge.ts';
import type { RequestRecord } from '../../lib/llm/types.ts';
import type { SharedSpend } from '../../lib/llm/spend.ts';
import type { SharedWarmup } from '../../lib/llm/warmup.ts';

/** samples recorded in the VU thread since the last batch: the host adds them to its collector */
export interface SampleBatch { defs: MetricDef[]; s: Array<[string, number, Tags]>; c: Array<[string, string, boolean]>; r: RequestRecord[] }

export interface VuThreadInit {
  bundlePath: string;
  originHr: string;
  env: Record<string, string>;
  setupData: unknown;
  testInfo: { testid: string; segment: string; instance: number };
  tags: Tags;
  rawOptions: Record<string, unknown>;
  scriptDir: string;
  /** keep per-request records (they travel to the host with the samples) */
  requestLog: boolean;
  spend: SharedSpend | null;
  /** the run's warm-up (VU threads of the test; not setup/teardown) */
  warmup?: SharedWarmup | null;
  cursors: SharedArrayBuffer;
  /** [0]: counter bumped by the host after each answer or pushed message; [1]: interrupt flag */
  signals: SharedArrayBuffer;
  syncPort: MessagePort;
  asyncPort: MessagePort;
}

/** the iteration's state as it crosses threads (no AbortSignal: the interrupt flag stands for it) */
export type WireState = Omit<VuState, 'signal' | 'pending'>;

export type ToVu =
  | { type: 'iter'; fn: string; state: WireState; arg: 'setupData' | 'none' | 'given'; given?: unknown }
  | { type: 'interrupt' };

export type FromVu =
  | { type: 'ready' }
  | { type: 'fatal'; msg: string }
  | { type: 'done'; error?: string; result?: unknown; batch: SampleBatch }
  | { type: 'samples'; batch: SampleBatch }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string }
  | { type: 'abortTest'; reason: string };

/** on the sync port, VU → host (the VU blocks until the answer, except sse-close) */
export type SyncCall =
  | { op: 'http'; reqs: WireRequest[]; group: string; batch: SampleBatch }
  | { op: 'sse'; req: WireRequest; group: string; batch: SampleBatch }
  | { op: 'sse-close' };
export interface SyncAnswer { res: WireResponse[] }
export interface AsyncCall { id: number; req: WireRequest; group: string; batch: SampleBatch }
export interface AsyncAnswer { id: number; res: WireResponse }
