// setup() and teardown(): once, in the main thread, each with its own timeout (k6). In k6 mode
// they run blocking in a VU thread of their own, hosted here; natively in a pseudo-VU whose
// sleeps and LLM calls a signal ends at once.
import { EngineRuntime } from '../vu-runtime.ts';
import { BlockingVu } from '../k6/blocking-vu.ts';
import { declareHttpMetrics, type HostContext } from '../k6/http-exec.ts';
import { getOrigin, now, waitUntil } from '../clock.ts';
import { CliError, EXIT } from '../exitcodes.ts';
import type { ResolvedOptions } from '../config/options.ts';
import type { SharedSpend } from '../../lib/llm/spend.ts';
import type { RunControl } from './control.ts';

export interface PhaseContext {
  mod: Record<string, unknown>;
  k6: boolean;
  bundlePath: string;
  rt: EngineRuntime;
  options: ResolvedOptions;
  env: Record<string, string>;
  testid: string;
  segment: string;
  tags: Record<string, string>;
  host: HostContext;
  scriptDir: string;
  spend: SharedSpend | null;
  cursors: SharedArrayBuffer;
  control: RunControl;
  log: (s: string) => void;
}

export class ScriptPhases {
  private pseudoVu: BlockingVu | null = null;
  constructor(private readonly c: PhaseContext) {}

  /** setup()'s data (JSON round-tripped, as k6 passes it), or undefined */
  async setup(): Promise<unknown> {
    const { mod, k6, rt, options, control } = this.c;
    if (typeof mod.setup !== 'function') return undefined;
    const interrupted = Symbol('interrupted');
    // a signal before setup() began (during bundling or init) skips it: no iteration will run
    const sig = control.nextSignal();
    const run = k6 ? this.inVuThread('setup') : Promise.resolve(runInPseudoVU(rt, '::setup', () => (mod.setup as () => unknown)(), sig));
    const got = control.signalled ? interrupted : await Promise.race([withTimeout(run, options.setupTimeoutMs, 'setup', EXIT.SETUP_TIMEOUT), sig.then(() => interrupted)]);
    if (got === interrupted) { this.c.log('WARN setup() interrupted by a signal (or skipped after one): no iteration will start'); return undefined; }
    return got === undefined ? undefined : JSON.parse(JSON.stringify(got));
  }

  /** teardown(setupData); its failure is logged, never thrown (the summary is still written) */
  async teardown(setupData: unknown): Promise<void> {
    const { mod, k6, rt, options, control } = this.c;
    if (typeof mod.teardown !== 'function') return;
    try {
      const sig = control.nextSignal();
      const run = k6 ? this.inVuThread('teardown', setupData ?? null) : Promise.resolve(runInPseudoVU(rt, '::teardown', () => (mod.teardown as (d: unknown) => unknown)(setupData), sig));
      await Promise.race([
        withTimeout(run, options.teardownTimeoutMs, 'teardown', EXIT.TEARDOWN_TIMEOUT),
        sig.then((name) => this.c.log(`WARN teardown() interrupted by ${name}: writing the summary`)),
      ]);
    } catch (e) { this.c.log(`ERROR teardown: ${(e as Error).message}`); }
  }

  async close(): Promise<void> { if (this.pseudoVu) await this.pseudoVu.terminate(); }

  private inVuThread(fn: 'setup' | 'teardown', given?: unknown): Promise<unknown> {
    const c = this.c;
    if (!this.pseudoVu) {
      declareHttpMetrics();
      this.pseudoVu = new BlockingVu({
        bundlePath: c.bundlePath, originHr: getOrigin().toString(), env: c.env, setupData: undefined, testInfo: { testid: c.testid, segment: c.segment, instance: 0 },
        tags: c.tags, rawOptions: c.options.raw, rt: c.rt, ctx: c.host, scriptDir: c.scriptDir, spend: c.spend, cursors: c.cursors,
        log: (level, msg) => c.log(`${level === 'error' ? 'ERROR' : level === 'warn' ? 'WARN' : 'INFO'} ${msg}`), abortTest: (reason) => c.control.scriptAborted(reason) });
    }
    const ctl = new AbortController();
    const st = { idInInstance: 0, idInTest: 0, iterationInInstance: 0, iterationInScenario: 0, scenario: '', executor: '', scenarioStart: 0, group: `::${fn}`, tags: {}, vuTags: {}, signal: ctl.signal, deadline: Infinity };
    return this.pseudoVu.run(fn, st, given === undefined ? 'none' : 'given', given).then((r) => { if (r.error !== undefined) throw new Error(r.error.split('\n')[0]); return r.result; });
  }
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
