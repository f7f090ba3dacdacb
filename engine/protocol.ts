// Messages between the main thread and worker threads.
import type { Segment, Fraction } from './segments.ts';
import type { Scenario } from './config/options.ts';
import type { Snapshot, Tags } from './metrics/types.ts';
import type { RedirectRule } from './k6/redirect.ts';
import type { SharedSpend } from '../lib/llm/spend.ts';
import type { SharedWarmup } from '../lib/llm/warmup.ts';

export interface WorkerInit {
  bundlePath: string;
  scenarios: Scenario[];
  segment: Segment;
  segmentString: string;
  /** the shard's segment and the plan's sequence (null: none given), and this thread's place
   *  among the shard's threads: striped VU counts (engine/segments.ts stripedCounter) */
  shardSegment: Segment;
  sequence: Fraction[] | null;
  threads: number;
  instance: number;
  testid: string;
  originHr: string;
  env: Record<string, string>;
  setupData: unknown;
  vuIdBase: number;
  tags: Tags;
  rawOptions: Record<string, unknown>;
  /** 'k6': VUs run the script synchronously in threads of their own (engine/k6) */
  compat: 'k6' | 'native';
  /** k6 mode, many VUs per thread: the rewritten script (engine/k6/async/); null: a thread per VU */
  sharedVus: string | null;
  redirects: RedirectRule[];
  userAgent: string;
  /** the script's folder: open() reads files next to it */
  scriptDir: string;
  /** results folder of the per-request log (engine/outputs/request-log.ts); null: none kept */
  requestLog: string | null;
  /** the run's shared spend under --budget-usd (lib/llm/spend.ts); null: no cap */
  spend: SharedSpend | null;
  /** the run's warm-up (lib/llm/warmup.ts); null: none */
  warmup: SharedWarmup | null;
  /** the run's shared dataset cursors (lib/workload/cursors.ts) */
  cursors: SharedArrayBuffer;
}

export type ToWorker = { type: 'go'; startAt: number } | { type: 'stop' } | { type: 'abort' };
export type ToMain =
  | { type: 'ready' }
  | { type: 'snapshot'; snap: Snapshot }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string }
  | { type: 'abortTest'; reason: string }
  /** a call's configuration cannot work (lib's ConfigError: a dialect the provider does not
   *  serve, …): every call like it would fail the same way, so the run stops with its code */
  | { type: 'configError'; message: string; code: number }
  | { type: 'fatal'; msg: string }
  | { type: 'done'; aborted: boolean };
