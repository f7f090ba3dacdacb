// The seam between what scenarios import (lib/) and the engine that runs them. The engine
// installs one Runtime per thread on globalThis before it imports a scenario bundle; lib/
// reaches it only through here, so lib/ never imports engine/ (and another engine could
// supply the same surface).
export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
export type Contains = 'default' | 'time' | 'data';
export type Tags = Record<string, string>;

export interface ScenarioInfo { name: string; executor: string; startTime: number; progress: number; iterationInInstance: number; iterationInTest: number }

export interface VuState {
  idInInstance: number;
  idInTest: number;
  iterationInInstance: number;
  iterationInScenario: number;
  scenario: string;
  executor: string;
  scenarioStart: number; // ms on the runtime clock
  group: string; // k6 group path, "" at the root, "::a::b" nested
  tags: Tags; // scenario + options tags + vu.tags
  vuTags: Tags; // mutable exec.vu.tags
  signal: AbortSignal; // aborted when the iteration must stop (hard stop, gracefulStop over)
  deadline: number; // ms on the runtime clock after which nothing new should start (scenario end)
  env?: Record<string, string>; // __ENV for this scenario (options env + scenario env)
  /** arrival executors: the iteration's index in the whole schedule (k6's iterationInTest) and
   *  its planned start (ms on the runtime clock) */
  iterationInTest?: number;
  plannedAt?: number;
  /** sleep()/chat() calls of this iteration not yet settled (lib/pending.ts): a forgotten await */
  pending?: Set<Error>;
}

export interface Runtime {
  declare(name: string, type: MetricType, contains: Contains): void;
  add(name: string, value: number, tags?: Tags): void;
  state(): VuState | undefined;
  runGroup<T>(name: string, fn: () => T): T;
  check(name: string, ok: boolean, tags?: Tags): void;
  now(): number; // ms, monotonic, shared by all threads of the process
  env: Record<string, string>;
  options: Record<string, unknown>;
  abortTest(reason: string): void;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
  testInfo(): { testid: string; segment: string; instance: number };
  /** the engine's summary writers, for jslib's k6-summary (textSummary, jUnit) in handleSummary */
  renderSummary?(kind: 'text' | 'junit', data: unknown, opts: Record<string, unknown>): string;
  /** the script's folder: k6's open() reads files relative to it */
  scriptDir?: string;
  /** the per-request log (lib/llm/outcome.ts); absent when the engine keeps none */
  request?(rec: RequestRecord): void;
}

import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';

import type { RequestRecord } from './llm/types.ts';

const KEY = '__llmload_runtime';

const fallback: Runtime = (() => {
  const t0 = performance.now();
  return {
    declare() {},
    add() {},
    state: () => undefined,
    runGroup: (_n, fn) => fn(),
    check() {},
    now: () => performance.now() - t0,
    env: process.env as Record<string, string>,
    options: {},
    abortTest(reason: string) { throw new Error(`test aborted: ${reason}`); },
    log: (level, msg) => console[level === 'info' ? 'log' : level](msg),
    testInfo: () => ({ testid: 'standalone', segment: '0:1', instance: 0 }),
  };
})();

export function runtime(): Runtime {
  return ((globalThis as Record<string, unknown>)[KEY] as Runtime | undefined) ?? fallback;
}

export function installRuntime(rt: Runtime): void {
  (globalThis as Record<string, unknown>)[KEY] = rt;
  // k6's globals: __ENV, and per-VU __VU / __ITER (read from the async context, so many VUs
  // can share one event loop; 0 in init, setup and teardown as in k6)
  const define = (name: string, get: () => unknown) => Object.defineProperty(globalThis, name, { get, configurable: true });
  define('__ENV', () => runtime().env);
  define('__VU', () => runtime().state()?.idInTest ?? 0);
  define('__ITER', () => runtime().state()?.iterationInInstance ?? 0);
  // k6's open(): a file next to the script, as text, or as an ArrayBuffer with "b"
  (globalThis as Record<string, unknown>).open = (path: string, mode?: string): string | ArrayBuffer => {
    const full = resolvePath(runtime().scriptDir ?? process.cwd(), path);
    let buf: Buffer;
    try { buf = readFileSync(full); } catch (e) { throw new Error(`open("${path}"): ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `no such file (looked for ${full})` : (e as Error).message}`); }
    if (mode === 'b') return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    return buf.toString('utf8');
  };
}
