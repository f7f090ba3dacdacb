// Builds the end-of-test data object in k6's handleSummary shape, plus llmload's sections.
import type { MetricStore } from '../metrics/store.ts';
import type { ResolvedOptions } from '../config/options.ts';
import type { ThresholdResult } from '../thresholds/evaluate.ts';
import { metricValues } from './values.ts';
import { llmSection } from './llm.ts';
import type { HealthVerdict } from '../health.ts';
import type { TimeSeriesData } from '../report/data.ts';
import type { SimStats } from '../../sim/server.ts';

export interface GroupNode { name: string; path: string; id: string; groups: GroupNode[]; checks: Array<{ name: string; path: string; id: string; passes: number; fails: number }> }

/** Did the built-in simulator keep up? Its /v1/sim/stats over the run, and a verdict. */
export type SimulatorReport = Pick<SimStats, 'events' | 'cpu_ms' | 'lateness_ms' | 'gc'> & { kept_up: boolean };

export interface SummaryData {
  root_group: GroupNode;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number; aborted: boolean; abortReason?: string };
  metrics: Record<string, { type: string; contains: string; values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
  setup_data?: unknown;
  llm?: ReturnType<typeof llmSection>;
  generator?: HealthVerdict;
  /** the built-in simulator's own report when the run started it (engine/llm-hooks.ts) */
  simulator?: SimulatorReport;
  outputs?: Record<string, unknown>;
  run?: Record<string, unknown>;
  timeseries?: TimeSeriesData;
}

function id(path: string): string {
  let h = 0;
  for (let i = 0; i < path.length; i++) h = (Math.imul(h, 31) + path.charCodeAt(i)) | 0;
  return (h >>> 0).toString(16);
}

function rootGroup(store: MetricStore): GroupNode {
  const root: GroupNode = { name: '', path: '', id: id(''), groups: [], checks: [] };
  const byPath = new Map<string, GroupNode>([['', root]]);
  const nodeFor = (path: string): GroupNode => {
    const n = byPath.get(path);
    if (n) return n;
    const i = path.lastIndexOf('::');
    const parent = nodeFor(path.slice(0, i));
    const node: GroupNode = { name: path.slice(i + 2), path, id: id(path), groups: [], checks: [] };
    parent.groups.push(node);
    byPath.set(path, node);
    return node;
  };
  // every group that ran, with or without checks (group_duration carries the group tag)
  const paths = new Set<string>();
  for (const s of store.series.values()) if (s.tags.group) paths.add(s.tags.group);
  for (const p of [...paths].sort()) if (p.startsWith('::')) nodeFor(p);
  for (const c of store.checks.values()) nodeFor(c.path).checks.push({ name: c.name, path: `${c.path}::${c.name}`, id: id(`${c.path}::${c.name}`), passes: c.passes, fails: c.fails });
  return root;
}

export function buildSummary(store: MetricStore, opts: ResolvedOptions, results: ThresholdResult[], durationMs: number, extra: Partial<SummaryData> & { rateWindowMs?: number }): SummaryData {
  // rates over the steady window when a warm-up was left out (engine/run/finish.ts)
  const { rateWindowMs, ...rest } = extra;
  const durationS = (rateWindowMs ?? durationMs) / 1000;
  const metrics: SummaryData['metrics'] = {};
  for (const [name, def] of store.defs) {
    const agg = store.aggregate(name);
    if (!agg || agg.empty) continue;
    metrics[name] = { type: def.type, contains: def.contains, values: metricValues(agg, opts.summaryTrendStats, durationS) };
  }
  for (const r of results) {
    const name = r.key;
    if (!metrics[name]) {
      const set = opts.thresholds.find((t) => t.key.source === r.key)!;
      const def = store.defs.get(set.key.metric);
      const agg = store.aggregate(set.key.metric, set.key.tags);
      if (def && agg) metrics[name] = { type: def.type, contains: def.contains, values: metricValues(agg, opts.summaryTrendStats, durationS) };
      else metrics[name] = { type: def?.type ?? 'trend', contains: def?.contains ?? 'default', values: {} };
    }
    (metrics[name]!.thresholds ??= {})[r.source] = { ok: r.ok };
  }
  return {
    root_group: rootGroup(store),
    options: { summaryTrendStats: opts.summaryTrendStats, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: !!process.stdout.isTTY, isStdErrTTY: !!process.stderr.isTTY, testRunDurationMs: durationMs, aborted: false },
    metrics,
    llm: llmSection(store, durationS),
    ...rest,
  };
}
