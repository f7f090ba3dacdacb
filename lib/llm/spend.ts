// The run's spend, shared by every thread (one SharedArrayBuffer: nano-dollars in a
// BigInt64Array, added with Atomics), so that under --budget-usd no new LLM call starts once
// the cap is reached: the overshoot is bounded by the calls already in flight (concurrency ×
// the dearest call), not by a second of traffic, which is how often the main thread sees the
// merged metrics (issue #18; docs/METRICS.md, "Cost").
export interface SharedSpend { buffer: SharedArrayBuffer; limitUsd: number }

const KEY = '__llmload_spend';
const NANO = 1e9;

export function createSpend(limitUsd: number): SharedSpend {
  return { buffer: new SharedArrayBuffer(8), limitUsd };
}

/** installs the run's spend counter in this thread (the engine does it before the script runs) */
export function installSpend(s: SharedSpend | null): void {
  (globalThis as Record<string, unknown>)[KEY] = s ? { cells: new BigInt64Array(s.buffer), limitNano: BigInt(Math.round(s.limitUsd * NANO)) } : undefined;
}

function current(): { cells: BigInt64Array; limitNano: bigint } | undefined {
  return (globalThis as Record<string, unknown>)[KEY] as { cells: BigInt64Array; limitNano: bigint } | undefined;
}

export function addSpend(usd: number): void {
  const c = current();
  if (c && usd > 0) Atomics.add(c.cells, 0, BigInt(Math.round(usd * NANO)));
}

/** true when the cap is reached: a new call must not start */
export function budgetExhausted(): boolean {
  const c = current();
  return !!c && Atomics.load(c.cells, 0) >= c.limitNano;
}

