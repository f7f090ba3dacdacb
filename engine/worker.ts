// A worker thread: imports the scenario bundle and runs its segment of every scenario.
// Samples aggregate in this thread and go to the main thread once per interval.
import { parentPort, workerData } from 'node:worker_threads';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { installRuntime, type VuState } from '../lib/runtime.ts';
import { EngineRuntime } from './vu-runtime.ts';
import { now, setOrigin, waitUntil } from './clock.ts';
import { memlogWorker } from './diagnostics.ts';
import { executors, type ExecEnv, type VU } from './executors/index.ts';
import { scale, ownership, stripedCounter, type Segment } from './segments.ts';
import { maxVUsOf, type Scenario } from './config/options.ts';
import { type ToMain, type ToWorker, type WorkerInit } from './protocol.ts';
import { BlockingVu } from './k6/blocking-vu.ts';
import { asyncBridge } from './k6/async/host.ts';
import { FACTORY } from './k6/async/rewrite.ts';
import { declareHttpMetrics, type HostContext } from './k6/http-exec.ts';
import { callSite } from '../lib/pending.ts';
import { tokenCounter } from '../lib/llm/tokens.ts';
import { readFileSync } from 'node:fs';
import { RequestLogWriter } from './outputs/request-log.ts';
import { installSpend } from '../lib/llm/spend.ts';
import { installWarmup } from '../lib/llm/warmup.ts';
import { installCursors } from '../lib/workload/cursors.ts';
import { closeIdle } from '../lib/llm/h1/pool.ts';
import { closeTransports, loadUndici } from '../lib/llm/transport.ts';
import { MN } from '../lib/metric-names.ts';
import { settleHeap } from './gc-flags.ts';

const init = workerData as WorkerInit;
const port = parentPort!;
setOrigin(BigInt(init.originHr));
const post = (m: ToMain) => port.postMessage(m);

const stopCtl = new AbortController();
const liveVUs = new Set<VU>();
let aborted = false;

const rt = new EngineRuntime(init.env, {
  onAbortTest: (reason) => post({ type: 'abortTest', reason }),
  log: (level, msg) => post({ type: 'log', level, msg }),
}, { testid: init.testid, segment: init.segmentString, instance: init.instance }, init.tags);
rt.options = init.rawOptions;
rt.scriptDir = init.scriptDir;
const requestLog = init.requestLog ? new RequestLogWriter(init.requestLog, `w${String(init.instance).padStart(3, '0')}`) : null;
if (requestLog) rt.request = (r) => requestLog.add(r);
installRuntime(rt);
installSpend(init.spend);
installWarmup(init.warmup);
installCursors(init.cursors);
process.setSourceMapsEnabled(true); // call sites in warnings name the script's lines
// k6 mode: VUs share this thread, each with its own instance of the rewritten script whose
// blocking calls it awaits (engine/k6/async/); or, where the rewrite could not keep k6's
// semantics, each VU is a thread of its own running the script synchronously, which this thread
// hosts and does the I/O for (engine/k6/blocking-vu.ts)
const k6Threads = init.compat === 'k6' && !init.sharedVus;
const k6Shared = init.compat === 'k6' && !!init.sharedVus;
const hostCtx: HostContext = { redirects: init.redirects, env: init.env, userAgent: init.userAgent };
const vuThreads = new Map<VU, BlockingVu>();
const warm: BlockingVu[] = []; // started before the test, handed to VUs as they first run
type VuModule = Record<string, unknown>;
const vuModules = new Map<VU, VuModule>();
const warmModules: VuModule[] = [];
let newVuModule: (() => Promise<VuModule>) | null = null;
if (init.compat === 'k6') declareHttpMetrics();
if (k6Shared) (globalThis as { __llmload_bridge?: unknown }).__llmload_bridge = asyncBridge(rt, hostCtx);

port.on('message', (m: ToWorker) => {
  if (m.type === 'stop') stopCtl.abort();
  if (m.type === 'abort') { aborted = true; stopCtl.abort(); for (const v of liveVUs) v.ctl.abort(); }
  if (m.type === 'go') void run(m.startAt);
});

let mod: Record<string, unknown> = {};
try {
  if (k6Shared) {
    newVuModule = ((await import(pathToFileURL(init.sharedVus!).href)) as Record<string, () => Promise<VuModule>>)[FACTORY]!;
    mod = await newVuModule();
    warmModules.push(mod);
  } else if (!k6Threads) mod = await import(pathToFileURL(init.bundlePath).href); // a thread per VU: the script runs there only
  // k6 initializes its VUs before the test starts; so do we, so that their init code (and, with
  // a thread per VU, the thread's start-up) does not land in the first seconds' timings
  if (init.compat === 'k6') await prewarm();
  // VUs sharing a thread: their instances of the script are what the run's first scavenges copied
  if (k6Shared) settleHeap();
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'fatal', msg: (e as Error).stack ?? String(e) });
}

let active = 0;
let vuCount = 0;
const seenErrors = new Map<string, number>();

async function run(startAt: number): Promise<void> {
  const seg: Segment = init.segment;
  const owns = ownership(seg);
  const LOOP_RES_MS = 10;
  const loop = monitorEventLoopDelay({ resolution: LOOP_RES_MS });
  // GC pauses in this thread: a pause stops every callback that would take a timestamp
  let gcMaxMs = 0;
  const gcObs = new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.duration > gcMaxMs) gcMaxMs = e.duration; });
  gcObs.observe({ entryTypes: ['gc'] });
  loop.enable();
  let lastCpu = process.cpuUsage();
  let lastT = now();
  let nextFlush = startAt + 1000;
  let lastAt = -1000;
  // `at` is the interval's start; regular flushes name it from the schedule, not the clock,
  // so every thread labels the same second the same way even when a flush runs late
  const flush = (final: boolean, scheduledAt?: number) => {
    const t = now();
    rt.collector.add(MN.vus, active, {});
    rt.collector.add(MN.vusMax, vuCount, {});
    const streams = (globalThis as { __llmload_active?: number }).__llmload_active;
    if (streams !== undefined) rt.collector.add(MN.activeStreams, streams, {});
    if (init.instance === 0) {
      // generator health: only one thread reports process-wide CPU
      const cpu = process.cpuUsage(lastCpu);
      lastCpu = process.cpuUsage();
      const dt = t - lastT;
      lastT = t;
      // a short last window (the final flush, a few ms after the last regular one) divides
      // the process's teardown CPU by almost no wall time: `make bench` once read 311 % of
      // 200 % and called the run OVERLOADED. Windows under half a second are not sampled.
      if (dt >= 500) rt.collector.add(MN.generatorCpuPercent, ((cpu.user + cpu.system) / 1000 / dt) * 100, {});
    }
    // the histogram measures timer period, resolution included: lag is what exceeds it
    const lagP99 = loop.count > 0 ? Math.max(0, loop.percentile(99) / 1e6 - LOOP_RES_MS) : 0;
    if (loop.count > 0) rt.collector.add(MN.generatorEventLoopLag, lagP99, {});
    // this thread's timing-error bound for the second: a timestamp taken in a callback is late
    // by at most how late the loop ran (p99 of the second) or the longest GC pause in it
    // (docs/METRICS.md, "Generator health")
    rt.collector.add(MN.generatorTimingError, Math.max(lagP99, gcMaxMs), {});
    gcMaxMs = 0;
    loop.reset();
    const at = scheduledAt !== undefined ? scheduledAt : Math.max(lastAt + 1000, Math.floor((t - startAt) / 1000) * 1000);
    lastAt = at;
    void final;
    memlogWorker(init.instance, at);
    post({ type: 'snapshot', snap: rt.collector.take(at) });
    requestLog?.flush();
  };
  let done = false;
  const doneCtl = new AbortController();
  const flushLoop = (async () => {
    while (!done) {
      await waitUntil(nextFlush, doneCtl.signal);
      if (done) break;
      flush(false, Math.round(nextFlush - startAt - 1000));
      nextFlush += 1000;
    }
  })();

  await Promise.all(init.scenarios.map((sc) => runScenario(sc, startAt + sc.startTimeMs, seg, owns)));
  await Promise.all([...vuThreads.values(), ...warm].map((v) => v.terminate()));
  // the run's work is over: no keep-alive socket outlives it (ours and undici's pools)
  closeIdle();
  await closeTransports();
  done = true;
  doneCtl.abort();
  await flushLoop;
  // close every interval that came due, then the partial last one
  while (nextFlush <= now()) { flush(false, Math.round(nextFlush - startAt - 1000)); nextFlush += 1000; }
  flush(true);
  loop.disable();
  await requestLog?.close();
  // the script's console output reaches the main thread over the worker's stdio port, not over
  // the message port 'done' travels on: a write's callback fires once the main thread has taken
  // the chunk, so after these nothing is lost when it terminates this thread (measured: 186 of
  // 2,000 lines lost at the end of a run without them)
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise<void>((r) => s.write('', () => r()))));
  post({ type: 'done', aborted });
}

// striped VU counts for ramping-vus (engine/segments.ts stripedCounter), one per thread
const striped = stripedCounter(init.sequence, init.shardSegment, init.instance, init.threads);

async function runScenario(sc: Scenario, scStart: number, seg: Segment, owns: (i: number) => boolean): Promise<void> {
  await waitUntil(scStart, stopCtl.signal);
  if (stopCtl.signal.aborted) return;
  const exportOf = (m: VuModule) => (sc.exec === 'default' ? m.default : m[sc.exec]) as ((data: unknown) => unknown) | undefined;
  const fn = exportOf(mod);
  if (!k6Threads && typeof fn !== 'function') { post({ type: 'fatal', msg: `scenario "${sc.name}" runs exec "${sc.exec}", but the script exports no such function` }); return; }
  const scTags = { ...init.tags, scenario: sc.name, ...sc.tags };
  const env = { ...init.env, ...sc.env };
  const deadline = scStart + scenarioEnd(sc);
  let iterInScenario = 0;
  const execEnv: ExecEnv = {
    sc,
    scale: (n) => scale(n, seg),
    owns,
    scaleMonotonic: (n) => striped(n),
    startAt: scStart,
    now,
    newVU: () => {
      vuCount++;
      const vu: VU = { idInInstance: vuCount, idInTest: init.vuIdBase + vuCount, iterations: 0, iterationsInScenario: 0, tags: {}, ctl: new AbortController() };
      liveVUs.add(vu);
      return vu;
    },
    iterate: async (vu, planned, arrivalIndex) => {
      const t0 = now();
      if (planned !== undefined) rt.collector.add(MN.iterationStartLag, Math.max(0, t0 - planned), scTags);
      const state: VuState = {
        idInInstance: vu.idInInstance, idInTest: vu.idInTest, iterationInInstance: vu.iterations, iterationInScenario: iterInScenario++,
        scenario: sc.name, executor: sc.executor, scenarioStart: scStart, group: '', tags: Object.keys(vu.tags).length ? { ...scTags, ...vu.tags } : scTags,
        vuTags: vu.tags, signal: vu.ctl.signal, deadline, env,
        ...(arrivalIndex !== undefined ? { iterationInTest: arrivalIndex } : {}), ...(planned !== undefined ? { plannedAt: planned } : {}),
      };
      vu.iterations++;
      vu.iterationsInScenario++;
      if (k6Threads) {
        let bv = vuThreads.get(vu);
        if (!bv) vuThreads.set(vu, (bv = warm.pop() ?? blockingVu()));
        const r = await bv.run(sc.exec, state, 'setupData');
        if (r.error !== undefined && !vu.ctl.signal.aborted) reportError(r.error);
      } else {
        // the forgotten-await check (lib/pending.ts) is for native scenarios: a k6 script's
        // blocking calls are awaited by the rewrite, and a Set per iteration is one more object
        // for every scavenge while the VU sleeps
        if (!k6Shared) state.pending = new Set();
        try {
          let f = fn!;
          if (k6Shared) {
            // the VU's own instance of the script (its init code ran when it was made)
            let m = vuModules.get(vu);
            if (!m) vuModules.set(vu, (m = warmModules.pop() ?? await newVuModule!()));
            f = exportOf(m)!;
          }
          await rt.als.run(state, () => f(init.setupData));
        } catch (e) {
          if (!vu.ctl.signal.aborted) reportError(e);
        }
        if (state.pending?.size && !vu.ctl.signal.aborted) warnPending(state.pending);
      }
      const took = now() - t0;
      // an iteration that never left the microtask queue (nothing awaited real I/O or a timer)
      // would, in a loop, keep this thread's event loop from ever running again: no flush, no
      // 'stop' or 'abort' message. One macrotask turn after such an iteration lets them in.
      if (took < 1) await new Promise<void>((r) => setImmediate(r));
      if (vu.ctl.signal.aborted) return; // interrupted iterations are not counted (k6)
      rt.collector.add(MN.iterations, 1, state.tags);
      rt.collector.add(MN.iterationDuration, took, state.tags);
    },
    waitUntil,
    stop: stopCtl.signal,
    setActive: (d) => { active += d; },
    dropped: (n) => rt.collector.add(MN.droppedIterations, n, scTags),
    log: (msg) => post({ type: 'log', level: 'warn', msg }),
  };
  await executors[sc.executor](execEnv);
}

async function prewarm(): Promise<void> {
  // a script that calls LLM endpoints without asking for usage gets token estimates: the
  // tokenizer tables load on first use and blocked this thread ~100 ms in the first second
  // of a run (its event-loop lag p99 read 76–122 ms there); load them now, before the start
  // (gpt-tokenizer builds its tables at the first count, not at load: one count each builds them)
  const src = readFileSync(init.bundlePath, 'utf8');
  if (src.includes('chat/completions') || src.includes('/messages')) for (const m of ['gpt-4.1', 'claude-sonnet-4.5']) (await tokenCounter(m))('warm');
  // k6/http's plain requests go through undici: loaded on first use, it held this thread ~45 ms
  // in the first second of a run (event-loop lag, 1 VU); load it now, before the start
  loadUndici();
  const n = init.scenarios.reduce((a, sc) => a + scale(sc.executor === 'constant-arrival-rate' || sc.executor === 'ramping-arrival-rate' ? sc.preAllocatedVUs : maxVUsOf(sc), init.segment), 0);
  if (k6Shared) { while (warmModules.length < n) warmModules.push(await newVuModule!()); return; }
  for (let i = 0; i < n; i++) warm.push(blockingVu());
  await Promise.all(warm.map((v) => v.ready));
}

function blockingVu(): BlockingVu {
  return new BlockingVu({
    bundlePath: init.bundlePath, originHr: init.originHr, env: init.env, setupData: init.setupData,
    testInfo: { testid: init.testid, segment: init.segmentString, instance: init.instance }, tags: init.tags, rawOptions: init.rawOptions, scriptDir: init.scriptDir, spend: init.spend, warmup: init.warmup, cursors: init.cursors,
    rt, ctx: hostCtx, log: (level, msg) => post({ type: 'log', level, msg }), abortTest: (reason) => post({ type: 'abortTest', reason }),
  });
}

// once per call site: an iteration of a native scenario ended while a sleep() or chat() it
// started was still pending (lib/pending.ts)
const warnedSites = new Set<string>();
function warnPending(pending: Set<Error>): void {
  for (const e of pending) {
    const site = callSite(e);
    if (warnedSites.has(site)) continue;
    warnedSites.add(site);
    post({ type: 'log', level: 'warn', msg: `an iteration ended while ${e.message} called at ${site} was still pending: add \`await\` (in llmload scenarios sleep() and chat() return Promises; without await, think time silently disappears)` });
  }
  pending.clear();
}

function scenarioEnd(sc: Scenario): number {
  switch (sc.executor) {
    case 'shared-iterations': case 'per-vu-iterations': return sc.maxDurationMs;
    case 'constant-vus': case 'constant-arrival-rate': return sc.durationMs;
    default: return sc.stages.reduce((a, s) => a + s.durationMs, 0);
  }
}

function reportError(e: unknown): void {
  // lib's ConfigError (a provider, key or dialect that cannot work): the run stops with its code
  // (lib's errors carry the exit code they mean: 104 bad configuration, 112 a key missing)
  const code = e instanceof Error ? (e as { exitCode?: unknown }).exitCode : undefined;
  if (code === 104 || code === 112) { post({ type: 'configError', message: (e as Error).message, code }); return; }
  const msg = e instanceof Error ? `${e.message}${e.stack ? '\n' + e.stack.split('\n').slice(1, 3).join('\n') : ''}` : String(e);
  const key = e instanceof Error ? e.message : String(e).split('\n')[0]!;
  const n = (seenErrors.get(key) ?? 0) + 1;
  seenErrors.set(key, n);
  // log the first few of each distinct error, then every 1000th, so a failing script can't flood
  if (n <= 3 || n % 1000 === 0) post({ type: 'log', level: 'error', msg: `iteration failed${n > 1 ? ` (${n}×)` : ''}: ${msg}` });
}
