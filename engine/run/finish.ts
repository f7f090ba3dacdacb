// The end of a run: recovery after a spike (from the per-request log), the summary, a shard's
// mergeable state, and the files and hooks the summary goes to (--results-dir, --summary-export,
// --junit, handleSummary).
import type { WarmupSpec } from '../../lib/llm/warmup.ts';
import { gunzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { hostname } from 'node:os';
import { findSpike, measureRecovery, RECOVERY_DEFAULTS, type Recovery } from '../summary/recovery.ts';
import { parseDuration } from '../../lib/duration.ts';
import { buildSummary, type SummaryData } from '../summary/build.ts';
import { textSummary } from '../summary/text.ts';
import { junitXml } from '../summary/junit.ts';
import { renderReport } from '../report/html.ts';
import { buildTimeseries } from '../report/data.ts';
import { judgeHealth } from '../health.ts';
import { redact } from '../redact.ts';
import { segmentString, type Segment } from '../segments.ts';
import { REQUEST_LOG } from '../outputs/request-log.ts';
import { STATE_FORMAT, exportSeries, type ShardState, type StartReport } from '../distributed/state.ts';
import type { MetricStore } from '../metrics/store.ts';
import type { SeriesSnap } from '../metrics/types.ts';
import { MN } from '../../lib/metric-names.ts';
import { GENAI_PRICES_VERSION } from '../../lib/pricing/index.ts';
import type { ResolvedOptions } from '../config/options.ts';
import type { ThresholdResult } from '../thresholds/evaluate.ts';
import type { RunArgs } from './args.ts';
import type { RunSettings } from './settings.ts';

/** The joined request log, parsed once for everything the finish derives from it. */
export type LogRecord = { t: number; ttft_ms: number | null; error_kind: string | null; lag_ms?: number };
export function readRequestLog(path: string | null): LogRecord[] | null {
  return path ? gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogRecord) : null;
}

/** Recovery after the run's spike, if it has one and a request log; the gauge to record with it. */
export function recoveryOf(options: ResolvedOptions, log: LogRecord[] | null, t0Epoch: number): { recovery?: Recovery; gauge: SeriesSnap | null } {
  // options.llm.recovery: false — the scenario says it has no spike to recover from
  const raw = ((options.raw.llm ?? {}) as { recovery?: false | { window?: string; ttftTolerance?: number; errorTolerance?: number } }).recovery;
  if (raw === false) return { gauge: null };
  const spike = findSpike(options.scenarios);
  if (!spike || !log) return { gauge: null };
  const ro = raw ?? {};
  // warm-up calls are in no number (--warmup)
  const facts = log.filter((r) => !(r as { warmup?: boolean }).warmup).map((r) => ({ atMs: r.t - t0Epoch, ttftMs: r.ttft_ms, error: r.error_kind !== null }));
  const recovery = measureRecovery(facts, spike, { windowMs: ro.window ? parseDuration(ro.window, 'options.llm.recovery.window') : RECOVERY_DEFAULTS.windowMs, ttftTolerance: ro.ttftTolerance ?? RECOVERY_DEFAULTS.ttftTolerance, errorTolerance: ro.errorTolerance ?? RECOVERY_DEFAULTS.errorTolerance });
  // also a gauge: in the summary's metrics, and sent to the outputs (and Grafana) stamped a
  // second ago — after the run's last interval, and not in the future, where InfluxQL's
  // GROUP BY time() would not look
  const gauge = recovery.recovered ? { name: MN.recoverySeconds, tags: {}, agg: { t: 'gauge' as const, last: recovery.recovery_s!, min: recovery.recovery_s!, max: recovery.recovery_s! } } : null;
  return { recovery, gauge };
}

/** What was sent (the script's options.llmload.workload: a description) and, for arrival
 *  executors, how late requests went out against their plan: from the request log's lag_ms
 *  (dispatch − plan) when there is one, else the iteration start lag. */
export function workloadOf(options: ResolvedOptions, log: LogRecord[] | null, store: MetricStore): Record<string, unknown> | undefined {
  const w = (options.raw.llmload as { workload?: unknown } | undefined)?.workload;
  const out: Record<string, unknown> = {};
  if (w !== undefined) out.description = typeof w === 'string' ? w : JSON.stringify(w);
  const open = options.scenarios.some((s) => s.executor.endsWith('arrival-rate') || s.executor === 'trace-replay');
  if (open) {
    const lags: number[] = [];
    for (const r of log ?? []) if (typeof r.lag_ms === 'number') lags.push(r.lag_ms);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    if (lags.length) {
      const s = Float64Array.from(lags).sort();
      out.schedule_lag = { requests: s.length, p50_ms: r2(s[Math.floor(0.5 * (s.length - 1))]!), p99_ms: r2(s[Math.floor(0.99 * (s.length - 1))]!), max_ms: r2(s[s.length - 1]!), source: 'request log: sent − planned' };
    } else {
      const a = store.aggregate(MN.iterationStartLag);
      if (a?.sk && a.sk.count) out.schedule_lag = { requests: a.sk.count, p50_ms: r2(a.sk.quantile(0.5)), p99_ms: r2(a.sk.quantile(0.99)), max_ms: r2(a.sk.quantile(1)), source: 'iteration start lag' };
    }
  }
  return Object.keys(out).length ? out : undefined;
}

export interface RunFacts {
  args: RunArgs;
  testid: string;
  options: ResolvedOptions;
  settings: RunSettings;
  segment: Segment;
  workers: number;
  cores: number;
  bundle: { hash: string; bytes: number; compat: string; vus?: { shared: true } | { shared: false; why: string } };
  startedAt: Date;
  t0Epoch: number;
  durationMs: number;
  startReport: (StartReport & { toleranceMs: number }) | null;
  requestLogPath: string | null;
  setupData: unknown;
  recovery?: Recovery;
  outReports: Record<string, unknown>;
  hasOutputs: boolean;
  workload?: Record<string, unknown>;
  /** the warm-up left out of every metric: what was asked, how long it lasted, its LLM calls */
  warmup?: { spec: WarmupSpec; ms: number; calls: number | null };
}

export function runSummary(store: MetricStore, results: ThresholdResult[], f: RunFacts): SummaryData {
  const { args, settings, startReport } = f;
  const summary = buildSummary(store, f.options, results, f.durationMs, {
    // rates over the steady window (the run less its warm-up)
    ...(f.warmup ? { rateWindowMs: Math.max(1, f.durationMs - f.warmup.ms) } : {}),
    setup_data: f.setupData,
    generator: judgeHealth(store, f.cores, f.workers, settings.timingErrorLimit),
    timeseries: buildTimeseries(store, f.t0Epoch),
    ...(f.recovery ? { recovery: f.recovery } : {}),
    ...(f.hasOutputs ? { outputs: f.outReports } : {}),
    run: {
      testid: f.testid, script: args.script,
      // a trace's offsets are its file's, not options: the path and speed say what was replayed
      resolved_options: { scenarios: f.options.scenarios.map(({ traceOffsetsMs, ...s }) => (traceOffsetsMs ? { ...s, trace_requests: traceOffsetsMs.length } : s)), thresholds: f.options.thresholds.map((t) => ({ metric: t.key.source, thresholds: t.specs.map((x) => x.source) })) },
      bundle_sha256: f.bundle.hash, bundle_bytes: f.bundle.bytes, compat: f.bundle.compat,
      // k6 mode: VUs shared threads (the rewrite, engine/k6/async/) or had one each, and why
      ...(f.bundle.vus ? { k6_vus: f.bundle.vus.shared ? 'shared' : 'thread', ...(f.bundle.vus.shared ? {} : { k6_vus_why: f.bundle.vus.why }) } : {}),
      ...(f.requestLogPath ? { request_log: REQUEST_LOG } : {}),
      ...(settings.providers.length ? { providers: settings.providers } : {}),
      ...(settings.goodput ? { goodput: settings.goodput } : {}),
      ...(f.workload ? { workload: f.workload } : {}),
      ...(f.warmup ? { warmup: { ...(f.warmup.spec.ms ? { duration_ms: f.warmup.spec.ms } : { calls_asked: f.warmup.spec.requests }), lasted_ms: Math.round(f.warmup.ms), calls: f.warmup.calls, steady_ms: Math.round(Math.max(0, f.durationMs - f.warmup.ms)) } } : {}),
      segment: segmentString(f.segment), workers: f.workers, http_client: settings.httpClient, started: f.startedAt.toISOString(), executors_started: new Date(f.t0Epoch).toISOString(),
      ...(startReport ? { start_barrier: { target: startReport.target, skew_ms: startReport.skew_ms, tolerance_ms: startReport.toleranceMs, missed: startReport.missed } } : {}),
      ended: new Date().toISOString(), host: hostname(), node: process.version, thresholds_passed: results.every((r) => r.ok),
    },
  });
  // who priced each model, and the price data's version (also in metadata.json)
  const rows = (summary as { llm?: { byModel: Array<{ provider: string; model: string; price_source?: string | null }> } }).llm?.byModel;
  if (rows?.length) (summary.run as Record<string, unknown>).prices = { genai_prices: GENAI_PRICES_VERSION, models: Object.fromEntries(rows.map((m) => [`${m.provider}/${m.model}`, m.price_source ?? null])) };
  return summary;
}

/** A shard of a distributed run carries its mergeable state (engine/distributed/state.ts). */
export function shardStateOf(store: MetricStore, f: RunFacts, aborted: boolean, exitCode: number): ShardState | null {
  const { args, startReport } = f;
  if (!(args.segment || args.startAt || args.printState)) return null;
  return {
    format: STATE_FORMAT, testid: f.testid, script: basename(args.script), bundle_sha256: f.bundle.hash, segment: segmentString(f.segment), sequence: args.segmentSequence ?? null,
    segment_names: args.segmentNames ? args.segmentNames.split(',') : null, zone: args.tags.region ?? null, load_zone: args.tags.load_zone ?? null, instance_id: args.tags.instance_id ?? null,
    host: hostname(), start: startReport ? { target: startReport.target, skew_ms: startReport.skew_ms, tolerance_ms: startReport.toleranceMs, missed: startReport.missed } : { target: null, skew_ms: null, tolerance_ms: 0, missed: false },
    t0_epoch_ms: f.t0Epoch, duration_ms: f.durationMs, defs: [...store.defs.values()], checks: [...store.checks.values()], series: exportSeries(store), digests: store.allDigests(),
    thresholds: (f.options.raw.thresholds ?? {}) as Record<string, unknown>, summary_trend_stats: f.options.summaryTrendStats, aborted, exit_code: exitCode,
  };
}

export async function writeSummaries(summary: SummaryData, mod: Record<string, unknown>, args: RunArgs, log: (s: string) => void): Promise<void> {
  const clean = (s: string) => redact(s, args.env);
  const text = textSummary(summary, { color: args.color });
  const json = JSON.stringify(summary, null, 2);
  const writeFile = (f: string, content: string) => { mkdirSync(dirname(resolve(f)), { recursive: true }); writeFileSync(f, clean(content)); };
  if (args.resultsDir) {
    writeFile(join(args.resultsDir, 'summary.json'), json);
    writeFile(join(args.resultsDir, 'summary.txt'), textSummary(summary, { color: false }));
    try { writeFile(join(args.resultsDir, 'report.html'), renderReport(summary)); } catch (e) { log(`ERROR report: ${(e as Error).message}`); }
  }
  if (args.summaryExport) writeFile(args.summaryExport, json);
  if (args.junit) writeFile(args.junit, junitXml(summary));
  if (typeof mod.handleSummary === 'function') {
    try {
      const out = (await (mod.handleSummary as (d: unknown) => unknown)(JSON.parse(json))) as Record<string, string> | undefined;
      for (const [k, v] of Object.entries(out ?? {})) {
        const s = typeof v === 'string' ? v : JSON.stringify(v);
        if (k === 'stdout') process.stdout.write(clean(s));
        else if (k === 'stderr') process.stderr.write(clean(s));
        else writeFile(args.resultsDir && !k.startsWith('/') ? join(args.resultsDir, k) : k, s);
      }
      return;
    } catch (e) { log(`ERROR handleSummary: ${(e as Error).message}; printing the default summary`); }
  }
  if (!args.noSummary) process.stdout.write(clean(text) + '\n');
}
