// The main thread of `llmload run`, in the order a run goes: bundle and init, setup, workers,
// live intervals, teardown, the finish. Each step's work lives in engine/run/: settings.ts
// (every option resolved once), control.ts (stopping and signals), script-phases.ts (setup and
// teardown), workers.ts (the VU threads and their messages), live.ts (outputs and live
// thresholds), finish.ts (recovery, summary, shard state, files). Everything that can fail
// early fails before any request.
import { format } from 'node:util';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installRuntime } from '../lib/runtime.ts';
import { EngineRuntime } from './vu-runtime.ts';
import { bundleScenario } from './bundle.ts';
import { typecheck } from './typecheck.ts';
import { resolveOptions, maxVUsOf, scenarioSpanMs, type ResolvedOptions } from './config/options.ts';
import { MetricStore } from './metrics/store.ts';
import { validateThresholds, evaluate } from './thresholds/evaluate.ts';
import { textSummary } from './summary/text.ts';
import { junitXml } from './summary/junit.ts';
import type { SummaryData } from './summary/build.ts';
import { now, getOrigin } from './clock.ts';
import { parseSequence, split, segmentString, scale } from './segments.ts';
import { CliError, EXIT } from './exitcodes.ts';
import { createOutputs } from './outputs/index.ts';
import type { Output } from './outputs/types.ts';
import type { WorkerInit } from './protocol.ts';
import { redact } from './redact.ts';
import { quietGcForWorkers } from './gc-flags.ts';
import { Progress } from './progress.ts';
import { usesSim } from './k6/redirect.ts';
import type { HostContext } from './k6/http-exec.ts';
import { createSpend, installSpend } from '../lib/llm/spend.ts';
import { createWarmup, startWarmup, warmupElapsedMs } from '../lib/llm/warmup.ts';
import { monoMs } from '../lib/clock.ts';
import { createCursors, installCursors } from '../lib/workload/cursors.ts';
import { RequestLogWriter, joinRequestLog } from './outputs/request-log.ts';
import { newTestId } from './run-id.ts';
import type { ShardState } from './distributed/state.ts';
import { stateLine } from './distributed/state.ts';
import { measureStart } from './distributed/barrier.ts';
import { defaultWorkers } from './worker-count.ts';
import { earlySettings, runSettings } from './run/settings.ts';
import { RunControl } from './run/control.ts';
import { ScriptPhases } from './run/script-phases.ts';
import { startWorkers } from './run/workers.ts';
import { LiveIntervals } from './run/live.ts';
import { readRequestLog, recoveryOf, runSummary, shardStateOf, workloadOf, writeSummaries, type RunFacts } from './run/finish.ts';
import type { RunArgs, RunHooks } from './run/args.ts';
import { MN } from '../lib/metric-names.ts';

export type { RunArgs, RunHooks } from './run/args.ts';

export async function runTest(args: RunArgs, hooks: RunHooks = {}): Promise<number> {
  const log = (s: string) => { if (!args.quiet) process.stderr.write(redact(s, args.env) + '\n'); };
  const control = new RunControl(log);
  try { return await runInner(args, hooks, control, log); } finally { control.dispose(); await hooks.cleanup?.(); }
}

/** The script bundled, type-checked and initialised in the main thread: its module, options
 *  and the main thread's runtime (setup, teardown, handleSummary run there). */
async function initScript(args: RunArgs, testid: string, workDir: string, control: RunControl, log: (s: string) => void) {
  const bundle = await bundleScenario(args.script, join(workDir, '.bundle'), args.compat);
  // k6 scripts share threads unless the rewrite could not prove it keeps k6's semantics: say why
  if (bundle.vus && !bundle.vus.shared) log(`INFO k6 mode: a thread per VU (~10 MB each), because ${bundle.vus.why} (docs/K6_COMPAT.md, "Many VUs per thread")`);
  if (args.typecheck !== false) {
    const te = await typecheck(args.script);
    if (te) throw new CliError(`script error: ${te.file}:${te.line}:${te.col}: ${te.message} (fix it, or run with --no-typecheck)`, EXIT.SCRIPT_ERROR);
  }
  const rt = new EngineRuntime(args.env, {
    onAbortTest: (reason) => control.scriptAborted(reason),
    log: (level, msg) => log(`${level === 'error' ? 'ERROR' : level === 'warn' ? 'WARN' : 'INFO'} ${msg}`),
  }, { testid, segment: args.segment ?? '0:1', instance: 0 }, args.tags);
  rt.scriptDir = dirname(resolve(args.script));
  // the per-request log, in the results folder (--no-request-log turns it off)
  const logDir = args.resultsDir && args.requestLog !== false ? resolve(args.resultsDir) : null;
  const mainLog = logDir ? new RequestLogWriter(logDir, 'main') : null;
  if (mainLog) rt.request = (r) => mainLog.add(r);
  rt.renderSummary = (kind, data, o) => kind === 'text' ? textSummary(data as SummaryData, { color: !!o.color }) : junitXml(data as SummaryData);
  installRuntime(rt);
  process.setSourceMapsEnabled(true);
  // the script's console in this thread (init, native setup/teardown, handleSummary) is redacted
  for (const level of ['log', 'info', 'debug', 'warn', 'error'] as const) {
    const out = level === 'log' || level === 'info' || level === 'debug' ? process.stdout : process.stderr;
    console[level] = (...a: unknown[]) => { out.write(redact(format(...a), args.env) + '\n'); };
  }
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(bundle.path).href);
  } catch (e) {
    const ce = e as { exitCode?: number; message?: string };
    if (typeof ce.exitCode === 'number') throw new CliError(ce.message ?? String(e), ce.exitCode);
    throw new CliError(`script error in init: ${(e as Error).message ?? e}`, EXIT.SCRIPT_ERROR);
  }
  const options = resolveOptions(mod.options as Record<string, unknown> | undefined, { vus: args.vus, duration: args.duration, iterations: args.iterations, stages: args.stages, noThresholds: args.noThresholds, scriptDir: dirname(resolve(args.script)) });
  return { bundle, rt, mod, options, logDir, mainLog };
}

function checkExecs(options: ResolvedOptions, mod: Record<string, unknown>, script: string): void {
  for (const sc of options.scenarios) {
    const fn = sc.exec === 'default' ? mod.default : mod[sc.exec];
    if (typeof fn !== 'function') throw new CliError(`scenario "${sc.name}" runs exec "${sc.exec}", but ${script} exports no such function${sc.exec === 'default' ? ' (add `export default async function () { … }`)' : ''}`, EXIT.SCRIPT_ERROR);
  }
}

async function runInner(args: RunArgs, hooks: RunHooks, control: RunControl, log: (s: string) => void): Promise<number> {
  const testid = args.testid ?? newTestId();
  const workDir = args.resultsDir ?? join(tmpdir(), `llmload-${process.pid}`);
  const early = earlySettings(args);
  // under --budget-usd every thread adds its calls' cost to one shared counter (lib/llm/spend.ts);
  // installed before the script's init code runs
  const spend = args.budgetUsd !== undefined ? createSpend(args.budgetUsd) : null;
  installSpend(spend);
  const cursors = createCursors();
  installCursors(cursors);
  const { bundle, rt, mod, options, logDir, mainLog } = await initScript(args, testid, workDir, control, log);
  const k6 = bundle.compat === 'k6';
  const settings = runSettings(args, options);
  const userAgent = settings.userAgent;
  // the warm-up is shared by the VU threads (not the main thread: setup and teardown count)
  const warmup = settings.warmup ? createWarmup(settings.warmup) : null;
  rt.options = options.raw;
  checkExecs(options, mod, args.script);
  const store = new MetricStore();
  store.ingest(rt.collector.take(0), 'main', false);
  validateThresholds(options.thresholds, store);

  const outputs: Output[] = createOutputs(args.outs, args.env);
  const seg = early.segment;
  const totalVUs = options.scenarios.reduce((a, s) => a + maxVUsOf(s), 0);
  const cores = availableParallelism();
  // --workers, or a count chosen from measurements (engine/worker-count.ts); never more threads than VUs
  const W = Math.max(1, Math.min(args.workers ?? defaultWorkers(cores, scale(Math.max(totalVUs, 1), seg)), Math.max(1, scale(Math.max(totalVUs, 1), seg))));
  const span = Math.max(...options.scenarios.map((s) => s.startTimeMs + scenarioSpanMs(s)));
  if (hooks.preflight) await hooks.preflight({ options, env: args.env, mod: { ...mod, __bundlePath: bundle.path }, log, needsSim: usesSim(early.redirects) });

  const startedAt = new Date();
  for (const o of outputs) {
    try { await o.start({ testid, scenarioFile: basename(args.script), startedAt: startedAt.toISOString(), tags: args.tags }); } catch (e) { throw new CliError(`output ${o.name}: ${(e as Error).message}`, EXIT.OUTPUT_ERROR); }
  }

  const scriptDir = dirname(resolve(args.script));
  const hostCtx: HostContext = { redirects: early.redirects, env: args.env, userAgent };
  const phases = new ScriptPhases({ mod, k6, bundlePath: bundle.path, rt, options, env: args.env, testid, segment: args.segment ?? '0:1', tags: args.tags, host: hostCtx, scriptDir, spend, cursors, control, log });
  const setupData = await phases.setup();
  if (typeof mod.setup === 'function') store.ingest(rt.collector.take(0), 'main', false);

  const live = new LiveIntervals(store, outputs, options.thresholds, control, hooks.watch, log, startedAt.getTime());
  const segs = split(seg, W);
  const inits: WorkerInit[] = segs.map((s, i) => ({
    bundlePath: bundle.path, scenarios: options.scenarios, segment: s, segmentString: segmentString(seg), shardSegment: seg, sequence: args.segmentSequence ? parseSequence(args.segmentSequence) : null, threads: W, instance: i, testid,
    originHr: getOrigin().toString(), env: args.env, setupData,
    vuIdBase: Math.floor((totalVUs * s.from.n) / s.from.d), tags: { ...options.tags, ...args.tags }, rawOptions: options.raw,
    compat: bundle.compat, sharedVus: bundle.vus?.shared ? bundle.vus.path : null, redirects: early.redirects, userAgent, scriptDir, requestLog: logDir, spend, warmup, cursors,
  }));
  quietGcForWorkers(!!bundle.vus?.shared);
  const pool = startWorkers(inits, args.env, store, control, log, () => live.check(pool.lastAt, pool.done, now() - live.startAt));
  await pool.ready;
  if (pool.fatal) {
    for (const w of control.workers) void w.terminate();
    throw new CliError(`script error: ${firstLine(pool.fatal)}`, EXIT.SCRIPT_ERROR);
  }

  // every thread is ready; 50 ms lets each receive "go" and arm its first timer before the
  // first arrival is due (with 20 ms a thread busy at that instant began by catching up)
  // with --start-at, at that wall-clock instant instead (every shard of a plan the same)
  const barrier = early.barrier;
  live.startAt = now() + (barrier ? Math.max(50, barrier.targetEpochMs - Date.now()) : 50);
  live.t0Epoch = performance.timeOrigin + performance.now() + (live.startAt - now());
  const originMs = Number(getOrigin()) / 1e6;
  startWarmup(warmup, originMs + live.startAt);
  for (const w of control.workers) { w.postMessage({ type: 'go', startAt: live.startAt }); if (control.stopping) w.postMessage({ type: control.stopping }); }
  let startReport: RunFacts['startReport'] = null;
  if (barrier) {
    const wait = live.startAt - now();
    if (wait > 1000) log(`INFO waiting ${(wait / 1000).toFixed(1)} s for --start-at ${new Date(barrier.targetEpochMs).toISOString()}`);
    startReport = await measureStart(barrier, live.startAt);
    if (startReport.missed) {
      const late = startReport.skew_ms! > 0;
      const off = late ? `${startReport.skew_ms} ms after` : `${-startReport.skew_ms!} ms before`;
      log(`WARN this shard started ${off} --start-at ${startReport.target} (tolerance ${startReport.toleranceMs} ms): its share of the load ${late ? 'began late' : 'began early'}`);
    }
  }
  const progress = new Progress(!args.quiet && !!process.stderr.isTTY, store, () => now() - live.startAt, span);
  progress.start();
  await pool.finished;
  progress.stop();
  const durationMs = now() - live.startAt;
  // rates (requests/s, tokens/s) over the steady window: the run less its warm-up
  const warmupMs = warmupElapsedMs(warmup, originMs + live.startAt, monoMs());

  const fatal = pool.fatal;
  if (fatal && !control.abortReason) log(`ERROR worker failed: ${firstLine(fatal)}`);
  if (typeof mod.teardown === 'function') {
    await phases.teardown(setupData);
    store.ingest(rt.collector.take(Math.floor(durationMs / 1000) * 1000), 'main');
  }
  await phases.close();
  await mainLog?.close();
  return finish();

  async function finish(): Promise<number> {
    const requestLogPath = logDir ? joinRequestLog(logDir) : null;
    // read once: recovery and the schedule lag both come from it
    const requests = readRequestLog(requestLogPath);
    const { recovery, gauge } = recoveryOf(options, requests, live.t0Epoch);
    if (gauge) store.ingest({ at: 0, defs: [{ name: MN.recoverySeconds, type: 'gauge', contains: 'default' }], series: [gauge], checks: [] }, 'recovery', false);
    live.emit(Infinity);
    if (gauge) for (const o of outputs) o.interval(Date.now() - 1000, [gauge], store.defs);
    const outReports: Record<string, unknown> = {};
    for (const o of outputs) {
      try { outReports[o.name] = await o.stop(); } catch (e) { outReports[o.name] = { error: (e as Error).message }; }
    }
    const results = evaluate(options.thresholds, store, Math.max(1, durationMs - warmupMs) / 1000);
    const workload = workloadOf(options, requests, store);
    const facts: RunFacts = { ...(workload ? { workload } : {}), args, testid, options, settings, segment: seg, workers: W, cores, bundle, startedAt, t0Epoch: live.t0Epoch, durationMs, startReport, requestLogPath, setupData, ...(warmup ? { warmup: { spec: settings.warmup!, ms: warmupMs, calls: requests ? requests.filter((r) => (r as { warmup?: boolean }).warmup).length : null } } : {}), ...(recovery ? { recovery } : {}), outReports, hasOutputs: outputs.length > 0 };
    const summary = runSummary(store, results, facts);
    const abortReason = control.abortReason;
    if (abortReason) { summary.state.aborted = true; summary.state.abortReason = abortReason.reason; }
    await hooks.decorate?.(summary);
    const thresholdsFailed = results.some((r) => !r.ok);
    const exitCode = fatal && !abortReason ? EXIT.SCRIPT_ERROR : abortReason ? abortReason.code : thresholdsFailed ? EXIT.THRESHOLDS_FAILED : EXIT.OK;
    const shardState: ShardState | null = shardStateOf(store, facts, !!abortReason, exitCode);
    if (shardState) (summary as SummaryData & { shard?: ShardState }).shard = shardState;
    await writeSummaries(summary, mod, args, log);
    if (shardState && args.printState) process.stdout.write(stateLine(shardState) + '\n');
    return exitCode;
  }
}

function firstLine(s: string): string { return s.split('\n')[0]!; }
