// `import { check, group, sleep } from 'llmload'` — k6's core functions, async where k6 blocks.
import { runtime, type Tags } from './runtime.ts';
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
 * Async sleep (k6's sleep blocks; ours must be awaited). Accurate to well under 1 ms: a
 * timer to 1.5 ms before the target, then setImmediate turns to the exact time (Node
 * timers have 1 ms granularity and fire late). Ends early when the iteration is stopped.
 */
export function sleep(seconds: number): Promise<void> {
  const rt = runtime();
  const target = rt.now() + Math.max(0, seconds * 1000);
  const signal = rt.state()?.signal;
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    const done = () => { signal?.removeEventListener('abort', onAbort); resolve(); };
    const onAbort = () => { if (timer) clearTimeout(timer); done(); };
    signal?.addEventListener('abort', onAbort, { once: true });
    const spin = () => {
      if (signal?.aborted) return;
      const left = target - rt.now();
      if (left <= 0) return done();
      if (left > 1.5) timer = setTimeout(spin, left - 1.5);
      else setImmediate(spin);
    };
    spin();
  });
}

/** k6 fail(): throws, which ends the iteration. */
export function fail(msg = ''): never { throw new Error(msg); }

export const __ENV: Record<string, string> = new Proxy({} as Record<string, string>, { get: (_t, k: string) => runtime().env[k] , has: (_t, k: string) => k in runtime().env, ownKeys: () => Reflect.ownKeys(runtime().env), getOwnPropertyDescriptor: (_t, k: string) => ({ value: runtime().env[k], enumerable: true, configurable: true }) });
