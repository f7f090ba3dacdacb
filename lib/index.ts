// `import { check, group, sleep } from 'llmload'` — k6's core functions, async where k6 blocks.
import { runtime, type Tags } from './runtime.ts';
import { waitUntil, PRECISE_BELOW_MS } from './wait.ts';
import { bridge } from './k6/bridge.ts';
import { trackPending } from './pending.ts';
export { exec } from './execution.ts';
export { Counter, Gauge, Rate, Trend } from './metrics.ts';

type Checkers<T> = Record<string, (v: T) => unknown>;

/** k6 check(): records each named condition in the `checks` Rate; returns true if all passed. */
export function check<T>(value: T, sets: Checkers<T>, tags?: Tags): boolean {
  const rt = runtime();
  let all = true;
  for (const [name, fn] of Object.entries(sets)) {
    let ok = false;
    try { ok = !!fn(value); } catch { ok = false; }
    rt.check(name, ok, tags);
    if (!ok) all = false;
  }
  return all;
}

/** k6 group(): tags everything inside with group="::name"; awaits async bodies. */
export function group<T>(name: string, fn: () => T): T {
  if (name.includes('::')) throw new Error(`group name "${name}" must not contain "::"`);
  return runtime().runGroup(name, fn);
}

/**
 * In llmload scenarios an async sleep that must be awaited; ends early when the iteration is
 * stopped. Never early; sleeps under 50 ms are accurate to well under 1 ms, longer ones (think
 * time) wake 0–2 ms late, like k6's, without keeping a core busy (lib/wait.ts). In k6 scripts
 * (a VU thread with the blocking bridge, engine/k6) it blocks the VU as k6's does and returns
 * nothing; `await sleep()` works in both.
 */
export function sleep(seconds: number): Promise<void> {
  const ms = Math.max(0, Number(seconds) * 1000 || 0);
  const b = bridge();
  if (b?.async) return b.sleep(ms); // k6 script, VUs sharing a thread: the rewrite awaits it
  if (b) { b.sleep(ms); return undefined as unknown as Promise<void>; }
  const rt = runtime();
  return trackPending(waitUntil(rt.now() + ms, () => rt.now(), rt.state()?.signal, ms < PRECISE_BELOW_MS ? 'precise' : 'timer'), 'sleep()');
}

/** k6 fail(): throws, which ends the iteration. */
export function fail(msg = ''): never { throw new Error(msg); }

export const __ENV: Record<string, string> = new Proxy({} as Record<string, string>, { get: (_t, k: string) => runtime().env[k] , has: (_t, k: string) => k in runtime().env, ownKeys: () => Reflect.ownKeys(runtime().env), getOwnPropertyDescriptor: (_t, k: string) => ({ value: runtime().env[k], enumerable: true, configurable: true }) });
