// The main thread of `llmload run`: bundle, init, setup, workers, merge, thresholds,
// outputs, teardown, summary. Everything that can fail early fails before any request.
import { Worker } from 'node:worker_threads';
import { format } from 'node:util';
import { availableParallelism, tmpdir, hostname } from 'node:os';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { installRuntime } from '../lib/runtime.ts';
import { EngineRuntime } from './vu-runtime.ts';
import { bundleScenario } from './bundle.ts';
import { typecheck } from './typecheck.ts';
import { resolveOptions, maxVUsOf, scenarioSpanMs, type ResolvedOptions } from './config/options.ts';
import { MetricStore } from './metrics/store.ts';
import { validateThresholds, evaluate } from './thresholds/evaluate.ts';
import { buildSummary, type SummaryData } from './summary/build.ts';
import { textSummary } from './summary/text.ts';
import { junitXml } from './summary/junit.ts';
import { judgeHealth, LIMITS } from './health.ts';
import { now, getOrigin, waitUntil } from './clock.ts';
import { parseSegment, parseSequence, split, segmentString, FULL, scale, type Segment } from './segments.ts';
import { CliError, EXIT } from './exitcodes.ts';
import { createOutputs } from './outputs/index.ts';
import type { Output } from './outputs/types.ts';
import type { ToMain, ToWorker, WorkerInit } from './protocol.ts';
import type { SeriesSnap } from './metrics/types.ts';
import { redact, redactingLines } from './redact.ts';
import { quietGcForWorkers } from './gc-flags.ts';
import { Progress } from './progress.ts';
import { buildTimeseries } from './report/data.ts';
import { renderReport } from './report/html.ts';
import { parseRedirects, usesSim, type RedirectRule } from './k6/redirect.ts';
import { BlockingVu } from './k6/blocking-vu.ts';
import { declareHttpMetrics, type HostContext } from './k6/http-exec.ts';
import { VERSION } from './version.ts';
import { parseProviders, expandProviders } from './config/providers.ts';
import { parseGoodput, type GoodputBounds } from '../lib/llm/goodput.ts';
import { createSpend, installSpend } from '../lib/llm/spend.ts';
import { resolveProvider } from '../lib/providers/index.ts';
import { RequestLogWriter, joinRequestLog, REQUEST_LOG } from './outputs/request-log.ts';
import { newTestId } from './run-id.ts';
import { STATE_FORMAT, exportSeries, stateLine, aggToData, type ShardState, type StartReport } from './distributed/state.ts';
import { parseStartAt, measureStart, pickSegment, checkSequence } from './distributed/barrier.ts';
import { distributionFromOptions, DistributionError } from './distributed/distribution.ts';
import { findSpike, measureRecovery, RECOVERY_DEFAULTS, type Recovery } from './summary/recovery.ts';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { defaultWorkers } from './worker-count.ts';
import { memlogMain } from './diagnostics.ts';
import { parseDuration } from '../lib/duration.ts';

/** chat()'s HTTP clients: our HTTP/1.1 reader (lib/llm/h1) or undici */
const HTTP_CLIENTS = ['llmload', 'undici'];

export interface RunArgs {
  script: string;
  env: Record<string, string>;
  vus?: number; duration?: string; iterations?: number; stages?: string[];
  summaryExport?: string; junit?: string; resultsDir?: string;
  outs: string[];
  noThresholds?: boolean; quiet?: boolean; color: boolean; noSummary?: boolean;
  segment?: string; segmentSequence?: string; workers?: number;
  tags: Record<string, string>; testid?: string;
  budgetUsd?: number; yes?: boolean; typecheck?: boolean;
  /** --redirect FROM=TO rules (engine/k6/redirect.ts) */
  redirects?: string[];
  /** --compat k6|native|auto (engine/k6/mode.ts) */
  compat?: string;
  /** false: no requests.ndjson.gz (--no-request-log) */
  requestLog?: boolean;
  /** --goodput ttft:500 tpot:50 e2e:2000 (lib/llm/goodput.ts) */
  goodput?: string[];
  /** --start-at: RFC 3339 or +30s; the executors start at that wall-clock instant (engine/distributed/barrier.ts) */
  startAt?: string;
  /** --start-tolerance: a start further than this from --start-at is reported as missed */
  startTolerance?: string;
  /** --shard-index: pick this entry of a comma-separated --segment list (Kubernetes Indexed Jobs) */
  shardIndex?: number;
  /** --segment-names: the sequence's segments' names (zone-index), for merge to name missing shards */
  segmentNames?: string;
  /** --print-state: the shard's mergeable state as the last stdout line */
  printState?: boolean;
  /** --timing-error-limit: the health verdict's bound on timestamp error (default 5 ms) */
  timingErrorLimit?: string;
  httpClient?: string;
}

export interface RunHooks {
  /** called after options resolve, before setup: plan checks such as the budget guard */
  preflight?: (ctx: { options: ResolvedOptions; env: Record<string, string>; mod: Record<string, unknown>; log: (s: string) => void; needsSim?: boolean }) => Promise<void> | void;
  /** called with each merged interval: live checks such as the spend cap; return a reason to abort */
  watch?: (store: MetricStore) => { reason: string; code: number } | null;
  /** adds fields to the summary (e.g. run metadata) */
  decorate?: (s: SummaryData) => void | Promise<void>;
  /** always called at the end, also after errors */
  cleanup?: () => void | Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const WORKER = existsSync(join(here, 'worker.js')) ? join(here, 'worker.js') : resolve(here, '..', 'dist', 'worker.js');

export async function runTest(args: RunArgs, hooks: RunHooks = {}): Promise<number> {
  try { return await runInner(args, hooks); } finally { await hooks.cleanup?.(); }
}

async function runInner(args: RunArgs, hooks: RunHooks): Promise<number> {
  const log = (s: string) => { if (!args.quiet) process.stderr.write(redact(s, args.env) + '\n'); };
  const testid = args.testid ?? newTestId();
  const workDir = args.resultsDir ?? join(tmpdir(), `llmload-${process.pid}`);
  let abortReason = null as { reason: string; code: number } | null;
  const workers: Worker[] = [];
  const lastAt: number[] = [];
  const done: boolean[] = [];
  let fatal: string | null = null;
  let stopping: 'stop' | 'abort' | null = null;
  function stopAll(kind: 'stop' | 'abort') {
    if (stopping === 'abort' || stopping === kind) return;
    stopping = kind;
    for (const w of workers) w.postMessage({ type: kind } satisfies ToWorker);
  }
  // signals from the start: a Ctrl+C during init or setup() stops the test before any
  // iteration (workers get 'stop' with 'go'), and the summary is still written
  let sigints = 0;
  // setup() and teardown() are the script's code and cannot be cancelled: a signal during them
  // stops the waiting instead, so the summary is still written (k6 ends there too)
  const sigWaiters: Array<(sig: string) => void> = [];
  const nextSignal = () => new Promise<string>((r) => sigWaiters.push(r));
  const onSig = (sig: string) => {
    sigints++;
    for (const w of sigWaiters.splice(0)) w(sig);
    if (sigints === 1) { log(`\n${sig}: stopping gracefully (gracefulStop); press Ctrl+C again to abort now`); abortReason ??= { reason: `stopped by ${sig}`, code: EXIT.EXTERNAL_ABORT }; stopAll('stop'); }
    else stopAll('abort');
  };
  const sigint = () => onSig('SIGINT');
  const sigterm = () => onSig('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  // the start barrier is read before anything slow, so "+30s" counts from the command's start
  let barrier: { targetEpochMs: number; toleranceMs: number } | null = null;
  try { barrier = args.startAt ? parseStartAt(args.startAt, args.startTolerance) : null; } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  let redirects: RedirectRule[];
  try { redirects = parseRedirects(args.redirects ?? []); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  const bundle = await bundleScenario(args.script, join(workDir, '.bundle'), args.compat);
  const k6 = bundle.compat === 'k6';
  const scriptDir = dirname(resolve(args.script));
  const userAgent = `llmload/${VERSION} (k6 compatible)`;
  if (args.typecheck !== false) {
    const te = await typecheck(args.script);
    if (te) throw new CliError(`script error: ${te.file}:${te.line}:${te.col}: ${te.message} (fix it, or run with --no-typecheck)`, EXIT.SCRIPT_ERROR);
  }

  // init context in the main thread: options, custom metric declarations, setup/teardown
  const mainRt = new EngineRuntime(args.env, {
    onAbortTest: (reason) => { abortReason ??= { reason: `test aborted by script: ${reason}`, code: EXIT.SCRIPT_ABORTED }; stopAll('abort'); },
    log: (level, msg) => log(`${level === 'error' ? 'ERROR' : level === 'warn' ? 'WARN' : 'INFO'} ${msg}`),
  }, { testid, segment: args.segment ?? '0:1', instance: 0 }, args.tags);
  mainRt.scriptDir = scriptDir;
  // the per-request log, in the results folder (--no-request-log turns it off)
  const logDir = args.resultsDir && args.requestLog !== false ? resolve(args.resultsDir) : null;
  const mainLog = logDir ? new RequestLogWriter(logDir, 'main') : null;
  if (mainLog) mainRt.request = (r) => mainLog.add(r);
  mainRt.renderSummary = (kind, data, o) => kind === 'text' ? textSummary(data as SummaryData, { color: !!o.color }) : junitXml(data as SummaryData);
  installRuntime(mainRt);
  // under --budget-usd every thread adds its calls' cost to one shared counter (lib/llm/spend.ts)
  const spend = args.budgetUsd !== undefined ? createSpend(args.budgetUsd) : null;
  installSpend(spend);
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
  const options = resolveOptions(mod.options as Record<string, unknown> | undefined, { vus: args.vus, duration: args.duration, iterations: args.iterations, stages: args.stages, noThresholds: args.noThresholds });
  // the timing-error limit of the health verdict: --timing-error-limit, options.llmload.timingErrorLimit, 5 ms
  let timingErrorLimit = LIMITS.timingErrorMs;
  const teRaw = args.timingErrorLimit ?? ((options.raw.llmload ?? {}) as { timingErrorLimit?: string }).timingErrorLimit;
  if (teRaw !== undefined) { try { timingErrorLimit = parseDuration(String(teRaw), '--timing-error-limit'); } catch (e) { throw new CliError(`${(e as Error).message} (the health verdict's timing-error limit, e.g. 5ms)`, EXIT.INVALID_CONFIG); } }
  // the HTTP client of chat(): --http-client, LLMLOAD_HTTP_CLIENT, options.llm.httpClient,
  // our own HTTP/1.1 reader by default (lib/llm/h1; docs/PERFORMANCE.md has the measurements)
  const httpClient = String(args.httpClient ?? process.env.LLMLOAD_HTTP_CLIENT ?? ((options.raw.llm ?? {}) as { httpClient?: unknown }).httpClient ?? 'llmload');
  if (!HTTP_CLIENTS.includes(httpClient)) throw new CliError(`unknown HTTP client "${httpClient}" (--http-client, LLMLOAD_HTTP_CLIENT or options.llm.httpClient): valid choices are ${HTTP_CLIENTS.join(', ')}`, EXIT.INVALID_CONFIG);
  options.raw.llm = { ...(options.raw.llm as object | undefined), httpClient };
  // a distribution is checked in every run (one shard of a plan or not), so a bad one fails
  // here as it would in `plan` and `run --shards`
  try { distributionFromOptions(options.raw); } catch (e) { if (e instanceof DistributionError) throw new CliError(e.message, EXIT.INVALID_CONFIG); throw e; }
  // PROVIDERS=a,b: the same load on each provider at once (engine/config/providers.ts); every
  // provider's key is checked now, before any request
  let providers: string[];
  try { providers = parseProviders(args.env.PROVIDERS); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  for (const p of providers) {
    try { resolveProvider(p, args.env); } catch (e) { const ce = e as { exitCode?: number; message: string }; throw new CliError(`PROVIDERS: ${ce.message}`, ce.exitCode ?? EXIT.INVALID_CONFIG); }
  }
  options.scenarios = expandProviders(options.scenarios, providers);
  // goodput bounds: --goodput wins over options.llm.goodput; checked here, once (lib/llm/goodput.ts)
  const llmRaw = (options.raw.llm ?? {}) as Record<string, unknown>;
  const goodSpec = args.goodput && args.goodput.length ? args.goodput.join(' ') : llmRaw.goodput;
  let goodput: GoodputBounds | null;
  try { goodput = parseGoodput(goodSpec as string | undefined); } catch (e) { throw new CliError(`${(e as Error).message}${args.goodput?.length ? '' : ' (in options.llm.goodput)'}`, EXIT.INVALID_CONFIG); }
  if (goodput) options.raw.llm = { ...llmRaw, goodput };
  mainRt.options = options.raw;
  for (const sc of options.scenarios) {
    const fn = sc.exec === 'default' ? mod.default : mod[sc.exec];
    if (typeof fn !== 'function') throw new CliError(`scenario "${sc.name}" runs exec "${sc.exec}", but ${args.script} exports no such function${sc.exec === 'default' ? ' (add `export default async function () { … }`)' : ''}`, EXIT.SCRIPT_ERROR);
  }
  const store = new MetricStore();
  store.ingest(mainRt.collector.take(0), 'main', false);
  validateThresholds(options.thresholds, store);

  const outputs: Output[] = createOutputs(args.outs, args.env);
  let seg: Segment = FULL;
  try {
    if (args.segment) seg = parseSegment(pickSegment(args.segment, args.shardIndex));
    if (args.segmentSequence) checkSequence(args.segmentSequence, seg, args.segmentNames); // ownership needs no sequence (engine/segments.ts); merge does
  } catch (e) { throw new CliError(`${(e as Error).message} (in --segment/--segment-sequence/--shard-index)`, EXIT.INVALID_CONFIG); }
  const totalVUs = options.scenarios.reduce((a, s) => a + maxVUsOf(s), 0);
  const cores = availableParallelism();
  // --workers, or a count chosen from measurements (engine/worker-count.ts); never more threads than VUs
  const W = Math.max(1, Math.min(args.workers ?? defaultWorkers(cores, scale(Math.max(totalVUs, 1), seg)), Math.max(1, scale(Math.max(totalVUs, 1), seg))));
  const span = Math.max(...options.scenarios.map((s) => s.startTimeMs + scenarioSpanMs(s)));

  if (hooks.preflight) await hooks.preflight({ options, env: args.env, mod: { ...mod, __bundlePath: bundle.path }, log, needsSim: usesSim(redirects) });

  const startedAt = new Date();
  const meta = { testid, scenarioFile: basename(args.script), startedAt: startedAt.toISOString(), tags: args.tags };
  for (const o of outputs) {
    try { await o.start(meta); } catch (e) { throw new CliError(`output ${o.name}: ${(e as Error).message}`, EXIT.OUTPUT_ERROR); }
  }

  // k6 mode: setup() and teardown() run blocking in a VU thread of their own, hosted here
  const hostCtx: HostContext = { redirects, env: args.env, userAgent };
  let pseudoVu: BlockingVu | null = null;
  const inVuThread = (fn: 'setup' | 'teardown', given?: unknown): Promise<unknown> => {
    if (!pseudoVu) {
      declareHttpMetrics();
      pseudoVu = new BlockingVu({ bundlePath: bundle.path, originHr: getOrigin().toString(), env: args.env, setupData: undefined, testInfo: { testid, segment: args.segment ?? '0:1', instance: 0 }, tags: args.tags, rawOptions: options.raw, rt: mainRt, ctx: hostCtx, scriptDir, spend,
        log: (level, msg) => log(`${level === 'error' ? 'ERROR' : level === 'warn' ? 'WARN' : 'INFO'} ${msg}`), abortTest: (reason) => { abortReason ??= { reason: `test aborted by script: ${reason}`, code: EXIT.SCRIPT_ABORTED }; stopAll('abort'); } });
    }
    const ctl = new AbortController();
    const st = { idInInstance: 0, idInTest: 0, iterationInInstance: 0, iterationInScenario: 0, scenario: '', executor: '', scenarioStart: 0, group: `::${fn}`, tags: {}, vuTags: {}, signal: ctl.signal, deadline: Infinity };
    return pseudoVu.run(fn, st, given === undefined ? 'none' : 'given', given).then((r) => { if (r.error !== undefined) throw new Error(r.error.split('\n')[0]); return r.result; });
  };

  // setup() once, in the main thread (k6), with its own timeout
  let setupData: unknown = undefined;
  if (typeof mod.setup === 'function') {
    const interrupted = Symbol('interrupted');
    // a signal before setup() began (during bundling or init) skips it: no iteration will run
    const sig = nextSignal();
    const got = sigints > 0 ? interrupted : await Promise.race([withTimeout(k6 ? inVuThread('setup') : Promise.resolve(runInPseudoVU(mainRt, '::setup', () => (mod.setup as () => unknown)(), sig)), options.setupTimeoutMs, 'setup', EXIT.SETUP_TIMEOUT), sig.then(() => interrupted)]);
    if (got === interrupted) log('WARN setup() interrupted by a signal (or skipped after one): no iteration will start');
    setupData = got === interrupted ? undefined : got;
    setupData = setupData === undefined ? undefined : JSON.parse(JSON.stringify(setupData));
    store.ingest(mainRt.collector.take(0), 'main', false);
  }

  const segs = split(seg, W);

  const readies: Promise<void>[] = [];
  const finished: Promise<void>[] = [];
  let startAt = 0;
  const emitted = new Set<number>();
  const emit = (upTo: number) => {
    const ats = [...store.intervals.keys()].filter((a) => a < upTo && !emitted.has(a)).sort((a, b) => a - b);
    for (const at of ats) {
      emitted.add(at);
      const iv = store.intervals.get(at)!;
      const series: SeriesSnap[] = [...iv.series.values()].map((s) => ({ name: s.name, tags: s.tags, agg: aggToData(s.agg) }));
      for (const o of outputs) o.interval(t0Epoch + at, series, store.defs);
      store.closeInterval(at);
    }
  };
  const thresholdStart = () => now() - startAt;
  let t0Epoch = startedAt.getTime();
  let startReport: (StartReport & { toleranceMs: number }) | null = null;
  const checkLive = () => {
    emit(Math.min(...lastAt.map((a, i) => (done[i] ? Infinity : a))));
    const elapsed = thresholdStart();
    const res = evaluate(options.thresholds, store, elapsed / 1000);
    for (const r of res) {
      if (!r.ok && r.abortOnFail) {
        const spec = options.thresholds.find((t) => t.key.source === r.key)!.specs.find((s) => s.source === r.source)!;
        if (elapsed >= spec.delayAbortEvalMs && !abortReason) { abortReason = { reason: `threshold ${r.key} '${r.source}' crossed (abortOnFail)`, code: EXIT.THRESHOLDS_FAILED }; stopAll('abort'); }
      }
    }
    const w = hooks.watch?.(store);
    if (w && !abortReason) { abortReason = w; log(`ABORT ${w.reason}`); stopAll('abort'); }
  };

  quietGcForWorkers();
  for (let i = 0; i < W; i++) {
    const init: WorkerInit = {
      bundlePath: bundle.path, scenarios: options.scenarios, segment: segs[i]!, segmentString: segmentString(seg), shardSegment: seg, sequence: args.segmentSequence ? parseSequence(args.segmentSequence) : null, threads: W, instance: i, testid,
      originHr: getOrigin().toString(), env: args.env, setupData,
      vuIdBase: Math.floor((totalVUs * segs[i]!.from.n) / segs[i]!.from.d), tags: { ...options.tags, ...args.tags }, rawOptions: options.raw,
      compat: bundle.compat, redirects, userAgent, scriptDir, requestLog: logDir, spend,
    };
    // the threads' console output (the script's console.log, also from k6-mode VU threads, whose
    // output reaches this worker's) passes through the redactor: a server may echo a key
    const w = new Worker(WORKER, { workerData: init, stdout: true, stderr: true });
    w.stdout.pipe(redactingLines(args.env)).pipe(process.stdout, { end: false });
    w.stderr.pipe(redactingLines(args.env)).pipe(process.stderr, { end: false });
    workers.push(w);
    lastAt.push(-1);
    done.push(false);
    let onReady: () => void;
    readies.push(new Promise<void>((r) => (onReady = r)));
    finished.push(new Promise<void>((res) => {
      w.on('message', (m: ToMain) => {
        switch (m.type) {
          case 'ready': onReady(); break;
          case 'snapshot': store.ingest(m.snap, `w${i}`); lastAt[i] = m.snap.at; checkLive(); if (i === 0) memlogMain(m.snap.at, store.intervals.size); break;
          case 'log': log(`${m.level === 'error' ? 'ERROR' : m.level === 'warn' ? 'WARN' : 'INFO'} ${m.msg}`); break;
          case 'abortTest': abortReason ??= { reason: `test aborted by script: ${m.reason}`, code: EXIT.SCRIPT_ABORTED }; stopAll('abort'); break;
          case 'fatal': fatal ??= m.msg; onReady(); stopAll('abort'); break;
          case 'done': done[i] = true; res(); void w.terminate(); break;
        }
      });
      w.on('error', (e) => { fatal ??= e.stack ?? String(e); done[i] = true; onReady(); res(); });
      w.on('exit', () => { done[i] = true; onReady(); res(); });
    }));
  }
  await Promise.all(readies);
  if (fatal) {
    for (const w of workers) void w.terminate();
    throw new CliError(`script error: ${firstLine(fatal)}`, EXIT.SCRIPT_ERROR);
  }


  // every thread is ready; 50 ms lets each receive "go" and arm its first timer before the
  // first arrival is due (with 20 ms a thread busy at that instant began by catching up)
  // with --start-at, at that wall-clock instant instead (every shard of a plan the same)
  startAt = now() + (barrier ? Math.max(50, barrier.targetEpochMs - Date.now()) : 50);
  t0Epoch = performance.timeOrigin + performance.now() + (startAt - now());
  for (const w of workers) { w.postMessage({ type: 'go', startAt } satisfies ToWorker); if (stopping) w.postMessage({ type: stopping } satisfies ToWorker); }
  if (barrier) {
    const wait = startAt - now();
    if (wait > 1000) log(`INFO waiting ${(wait / 1000).toFixed(1)} s for --start-at ${new Date(barrier.targetEpochMs).toISOString()}`);
    startReport = await measureStart(barrier, startAt);
    if (startReport.missed) log(`WARN this shard started ${startReport.skew_ms! > 0 ? `${startReport.skew_ms} ms after` : `${-startReport.skew_ms!} ms before`} --start-at ${startReport.target} (tolerance ${startReport.toleranceMs} ms): its share of the load ${startReport.skew_ms! > 0 ? 'began late' : 'began early'}`);
  }
  const progress = new Progress(!args.quiet && !!process.stderr.isTTY, store, () => now() - startAt, span);
  progress.start();
  await Promise.all(finished);
  progress.stop();
  const durationMs = now() - startAt;

  if (fatal && !abortReason) log(`ERROR worker failed: ${firstLine(fatal)}`);
  if (typeof mod.teardown === 'function') {
    try {
      const sig = nextSignal();
      await Promise.race([
        withTimeout(k6 ? inVuThread('teardown', setupData ?? null) : Promise.resolve(runInPseudoVU(mainRt, '::teardown', () => (mod.teardown as (d: unknown) => unknown)(setupData), sig)), options.teardownTimeoutMs, 'teardown', EXIT.TEARDOWN_TIMEOUT),
        sig.then((name) => log(`WARN teardown() interrupted by ${name}: writing the summary`)),
      ]);
    } catch (e) { log(`ERROR teardown: ${(e as Error).message}`); }
    store.ingest(mainRt.collector.take(Math.floor(durationMs / 1000) * 1000), 'main');
  }
  if (pseudoVu) await (pseudoVu as BlockingVu).terminate();
  await mainLog?.close();
  const requestLogPath = logDir ? joinRequestLog(logDir) : null;
  // recovery after a spike, from the per-request log (engine/summary/recovery.ts)
  let recovery: Recovery | undefined;
  let recoveryGauge: SeriesSnap | null = null;
  const spike = findSpike(options.scenarios);
  if (spike && requestLogPath) {
    const ro = ((options.raw.llm ?? {}) as { recovery?: { window?: string; ttftTolerance?: number; errorTolerance?: number } }).recovery ?? {};
    const facts = gunzipSync(readFileSync(requestLogPath)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { t: number; ttft_ms: number | null; error_kind: string | null })
      .map((r) => ({ atMs: r.t - t0Epoch, ttftMs: r.ttft_ms, error: r.error_kind !== null }));
    recovery = measureRecovery(facts, spike, { windowMs: ro.window ? parseDuration(ro.window, 'options.llm.recovery.window') : RECOVERY_DEFAULTS.windowMs, ttftTolerance: ro.ttftTolerance ?? RECOVERY_DEFAULTS.ttftTolerance, errorTolerance: ro.errorTolerance ?? RECOVERY_DEFAULTS.errorTolerance });
    // also a gauge: in the summary's metrics, and sent to the outputs (and Grafana) stamped a
    // second ago — after the run's last interval, and not in the future, where InfluxQL's
    // GROUP BY time() would not look
    if (recovery.recovered) {
      const g = { name: 'llm_recovery_seconds', tags: {}, agg: { t: 'gauge' as const, last: recovery.recovery_s!, min: recovery.recovery_s!, max: recovery.recovery_s! } };
      store.ingest({ at: 0, defs: [{ name: 'llm_recovery_seconds', type: 'gauge', contains: 'default' }], series: [g], checks: [] }, 'recovery', false);
      recoveryGauge = g;
    }
  }
  emit(Infinity);
  if (recoveryGauge) for (const o of outputs) o.interval(Date.now() - 1000, [recoveryGauge], store.defs);
  const outReports: Record<string, unknown> = {};
  for (const o of outputs) {
    try { outReports[o.name] = await o.stop(); } catch (e) { outReports[o.name] = { error: (e as Error).message }; }
  }

  const results = evaluate(options.thresholds, store, durationMs / 1000);
  const summary = buildSummary(store, options, results, durationMs, {
    setup_data: setupData,
    generator: judgeHealth(store, cores, W, timingErrorLimit),
    timeseries: buildTimeseries(store, t0Epoch),
    ...(recovery ? { recovery } : {}),
    ...(outputs.length ? { outputs: outReports } : {}),
    run: { testid, script: args.script, resolved_options: { scenarios: options.scenarios, thresholds: options.thresholds.map((t) => ({ metric: t.key.source, thresholds: t.specs.map((x) => x.source) })) }, bundle_sha256: bundle.hash, bundle_bytes: bundle.bytes, compat: bundle.compat, ...(requestLogPath ? { request_log: REQUEST_LOG } : {}), ...(providers.length ? { providers } : {}), ...(goodput ? { goodput } : {}), segment: segmentString(seg), workers: W, http_client: httpClient, started: startedAt.toISOString(), executors_started: new Date(t0Epoch).toISOString(), ...(startReport ? { start_barrier: { target: startReport.target, skew_ms: startReport.skew_ms, tolerance_ms: startReport.toleranceMs, missed: startReport.missed } } : {}), ended: new Date().toISOString(), host: hostname(), node: process.version, thresholds_passed: results.every((r) => r.ok) },
  });
  if (abortReason) { summary.state.aborted = true; summary.state.abortReason = abortReason.reason; }
  await hooks.decorate?.(summary);
  const thresholdsFailed = results.some((r) => !r.ok);
  const exitCode = fatal && !abortReason ? EXIT.SCRIPT_ERROR : abortReason ? abortReason.code : thresholdsFailed ? EXIT.THRESHOLDS_FAILED : EXIT.OK;
  // a shard of a distributed run carries its mergeable state (engine/distributed/state.ts)
  const isShard = !!(args.segment || args.startAt || args.printState);
  const shardState: ShardState | null = isShard ? {
    format: STATE_FORMAT, testid, script: basename(args.script), bundle_sha256: bundle.hash, segment: segmentString(seg), sequence: args.segmentSequence ?? null,
    segment_names: args.segmentNames ? args.segmentNames.split(',') : null, zone: args.tags.region ?? null, load_zone: args.tags.load_zone ?? null, instance_id: args.tags.instance_id ?? null,
    host: hostname(), start: startReport ? { target: startReport.target, skew_ms: startReport.skew_ms, tolerance_ms: startReport.toleranceMs, missed: startReport.missed } : { target: null, skew_ms: null, tolerance_ms: 0, missed: false },
    t0_epoch_ms: t0Epoch, duration_ms: durationMs, defs: [...store.defs.values()], checks: [...store.checks.values()], series: exportSeries(store), digests: store.allDigests(),
    thresholds: (options.raw.thresholds ?? {}) as Record<string, unknown>, summary_trend_stats: options.summaryTrendStats, aborted: !!abortReason, exit_code: exitCode,
  } : null;
  if (shardState) (summary as SummaryData & { shard?: ShardState }).shard = shardState;
  await writeSummaries(summary, mod, args, log);
  if (shardState && args.printState) process.stdout.write(stateLine(shardState) + '\n');
  process.off('SIGINT', sigint);
  process.off('SIGTERM', sigterm);
  return exitCode;
}

async function writeSummaries(summary: SummaryData, mod: Record<string, unknown>, args: RunArgs, log: (s: string) => void): Promise<void> {
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

/** setup()/teardown() in the main thread; `stop` (a signal arrived) ends their sleeps and LLM
 *  calls at once, so an abandoned setup() holds no timer that keeps the process alive */
function runInPseudoVU<T>(rt: EngineRuntime, group: string, fn: () => T, stop: Promise<unknown>): T {
  const ctl = new AbortController();
  void stop.then(() => ctl.abort());
  return rt.als.run({ idInInstance: 0, idInTest: 0, iterationInInstance: 0, iterationInScenario: 0, scenario: '', executor: '', scenarioStart: 0, group, tags: {}, vuTags: {}, signal: ctl.signal, deadline: Infinity }, fn);
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string, code: number): Promise<T> {
  const ctl = new AbortController();
  let timedOut = false;
  const t = waitUntil(now() + ms, ctl.signal).then(() => { timedOut = true; });
  try {
    const r = await Promise.race([p, t]);
    if (timedOut) throw new CliError(`${what}() did not finish within ${ms / 1000}s: raise options.${what}Timeout`, code);
    return r as T;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`${what}() failed: ${(e as Error).message}`, EXIT.SCRIPT_ERROR);
  } finally { ctl.abort(); }
}

function firstLine(s: string): string { return s.split('\n')[0]!; }
