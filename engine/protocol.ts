// Messages between the main thread and worker threads.
import type { Segment } from './segments.ts';
import type { Scenario } from './config/options.ts';
import type { Snapshot, Tags } from './metrics/types.ts';

export interface WorkerInit {
  bundlePath: string;
  scenarios: Scenario[];
  segment: Segment;
  segmentString: string;
  instance: number;
  testid: string;
  originHr: string;
  env: Record<string, string>;
  setupData: unknown;
  vuIdBase: number;
  tags: Tags;
  rawOptions: Record<string, unknown>;
}

export type ToWorker = { type: 'go'; startAt: number } | { type: 'stop' } | { type: 'abort' };
export type ToMain =
  | { type: 'ready' }
  | { type: 'snapshot'; snap: Snapshot }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string }
  | { type: 'abortTest'; reason: string }
  | { type: 'fatal'; msg: string }
  | { type: 'done'; aborted: boolean };
