import type { ExecEnv, VU } from './types.ts';

/**
 * Waits for in-flight iterations after the schedule ends: up to gracefulStop (k6), then
 * interrupts them (their signal aborts: sleeps and LLM requests end at once) and gives
 * them a moment to unwind. Returns how many were interrupted.
 */
export async function drain(env: ExecEnv, inflight: Set<Promise<void>>, vus: Iterable<VU>, graceMs: number): Promise<void> {
  if (inflight.size === 0) return;
  const all = Promise.all(inflight);
  const graceEnd = env.now() + graceMs;
  const graceTimer = new AbortController();
  await Promise.race([all, env.waitUntil(graceEnd, graceTimer.signal)]);
  graceTimer.abort();
  if (inflight.size === 0) return;
  for (const vu of vus) vu.ctl.abort();
  const t = new AbortController();
  await Promise.race([all, env.waitUntil(env.now() + 2000, t.signal)]);
  t.abort();
}

export function track(inflight: Set<Promise<void>>, p: Promise<void>): Promise<void> {
  inflight.add(p);
  void p.finally(() => inflight.delete(p));
  return p;
}
