import type { MetricDef, SeriesSnap } from '../metrics/types.ts';

export interface RunMeta { testid: string; scenarioFile: string; startedAt: string; tags: Record<string, string> }

/** An output receives each merged 1-second interval, off the workers' hot path. */
export interface Output {
  readonly name: string;
  start(meta: RunMeta): Promise<void>;
  /** `at`: interval start, epoch ms */
  interval(at: number, series: SeriesSnap[], defs: Map<string, MetricDef>): void;
  /** flushes and reports what was written or lost */
  stop(): Promise<Record<string, unknown>>;
}
