import type { SketchData } from '../../lib/stats/sketch.ts';
import type { Contains, MetricType, Tags } from '../../lib/runtime.ts';
import { builtin } from '../../lib/metric-names.ts';
export type { Contains, MetricType, Tags };

export interface MetricDef { name: string; type: MetricType; contains: Contains }

/** One series' aggregate over one interval, as it crosses threads and hosts. */
export type AggData =
  | { t: 'counter'; sum: number; n: number }
  | { t: 'gauge'; last: number; min: number; max: number }
  | { t: 'rate'; trues: number; total: number }
  | { t: 'trend'; sk: SketchData };

export interface SeriesSnap { name: string; tags: Tags; agg: AggData }
export interface CheckSnap { path: string; name: string; passes: number; fails: number }

export interface Snapshot {
  /** interval start, ms since test start (1 s buckets) */
  at: number;
  defs: MetricDef[];
  series: SeriesSnap[];
  checks: CheckSnap[];
}

// the engine's own built-ins (lib/llm declares its metrics itself, from the same registry)
export const BUILTINS: MetricDef[] = (['iterations', 'iterationDuration', 'droppedIterations', 'iterationStartLag', 'vus', 'vusMax', 'checks', 'groupDuration', 'dataSent', 'dataReceived',
  'generatorEventLoopLag', 'generatorTimingError', 'generatorCpuPercent', 'activeStreams', 'recoverySeconds'] as const).map(builtin);

export function tagsKey(tags: Tags): string {
  const keys = Object.keys(tags);
  if (keys.length === 0) return '';
  keys.sort();
  let s = '';
  for (const k of keys) s += k + '\x01' + tags[k] + '\x02';
  return s;
}
