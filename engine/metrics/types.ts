import type { SketchData } from '../../lib/stats/sketch.ts';
import type { Contains, MetricType, Tags } from '../../lib/runtime.ts';
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

export const BUILTINS: MetricDef[] = [
  { name: 'iterations', type: 'counter', contains: 'default' },
  { name: 'iteration_duration', type: 'trend', contains: 'time' },
  { name: 'dropped_iterations', type: 'counter', contains: 'default' },
  { name: 'iteration_start_lag', type: 'trend', contains: 'time' },
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'vus_max', type: 'gauge', contains: 'default' },
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'group_duration', type: 'trend', contains: 'time' },
  { name: 'data_sent', type: 'counter', contains: 'data' },
  { name: 'data_received', type: 'counter', contains: 'data' },
  { name: 'generator_event_loop_lag', type: 'trend', contains: 'time' },
  // per thread and second: max(event-loop delay p99, longest GC pause) in the threads that take timestamps
  { name: 'generator_timing_error', type: 'trend', contains: 'time' },
  { name: 'generator_cpu_percent', type: 'gauge', contains: 'default' },
  { name: 'llm_active_streams', type: 'gauge', contains: 'default' },
  // seconds the target took to recover after a spike (engine/summary/recovery.ts); once, at the end
  { name: 'llm_recovery_seconds', type: 'gauge', contains: 'default' },
];

export function tagsKey(tags: Tags): string {
  const keys = Object.keys(tags);
  if (keys.length === 0) return '';
  keys.sort();
  let s = '';
  for (const k of keys) s += k + '\x01' + tags[k] + '\x02';
  return s;
}
