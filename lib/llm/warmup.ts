// Warm-up (`--warmup 30s` or `--warmup 50`, options.llm.warmup): the first seconds or the first
// N LLM calls of a run are excluded from every metric, so the summary, thresholds and outputs
// describe the steady state (connections open, server caches and autoscaling settled), as
// GuideLLM's and AIPerf's warm-up phases do. The calls still go out and stay in the request log,
// marked `warmup: true` (docs/METRICS.md, "Warm-up").
//
// Shared by every thread like the spend counter (./spend.ts): one SharedArrayBuffer holding
// the calls started so far (Int32, counted with Atomics) and the end of a timed warm-up
// (Float64, ms on lib/clock.ts's monotonic clock; written by the main thread before the start).
// A call is warm-up when it *starts* inside the warm-up; everything it records is dropped, also
// if it ends after. Other samples (iterations, checks, custom metrics) are dropped while the
// warm-up lasts.
import { monoMs } from '../clock.ts';

export interface WarmupSpec { ms?: number; requests?: number }
export interface SharedWarmup { buffer: SharedArrayBuffer; spec: WarmupSpec }

const KEY = '__llmload_warmup';
/** the tag a warm-up call's samples carry; the engine's runtime drops them (never emitted) */
export const WARMUP_TAG = '__warmup';

interface State { started: Int32Array; end: Float64Array; spec: WarmupSpec; over: boolean }

/** "30s", "1m30s", "500ms" (a duration) or "50" (a number of LLM calls); null when empty */
export function parseWarmup(v: unknown, parseDurationMs: (s: string) => number): WarmupSpec | null {
  if (v === undefined || v === null || v === '' || v === 0 || v === '0') return null;
  const s = String(v).trim();
  if (/^\d+$/.test(s)) return { requests: Number(s) };
  let ms: number;
  try { ms = parseDurationMs(s); } catch { ms = NaN; }
  if (!(ms > 0)) throw new Error(`invalid warm-up "${s}": give a duration (30s, 2m) or a number of LLM calls (50)`);
  return { ms };
}

export function createWarmup(spec: WarmupSpec): SharedWarmup {
  return { buffer: new SharedArrayBuffer(16), spec };
}

export function installWarmup(w: SharedWarmup | null): void {
  (globalThis as Record<string, unknown>)[KEY] = w ? { started: new Int32Array(w.buffer, 0, 1), end: new Float64Array(w.buffer, 8, 1), spec: w.spec, over: false } satisfies State : undefined;
}

/** the main thread, as the executors start: a timed warm-up ends `ms` after `startMono` */
export function startWarmup(w: SharedWarmup | null, startMono: number): void {
  if (w?.spec.ms) new Float64Array(w.buffer, 8, 1)[0] = startMono + w.spec.ms;
}

/** is a warm-up installed in this thread at all (the engine checks once, not per sample) */
export function warmupInstalled(): boolean { return state() !== undefined; }

function state(): State | undefined { return (globalThis as Record<string, unknown>)[KEY] as State | undefined; }

/** true while the warm-up lasts (samples now are dropped); false once over, or when none */
export function warming(): boolean {
  const s = state();
  if (!s || s.over) return false;
  if (s.spec.requests !== undefined) {
    if (Atomics.load(s.started, 0) < s.spec.requests) return true;
  } else {
    // not started yet (0): nothing runs in this thread before the start anyway
    const end = s.end[0]!;
    if (end === 0 || monoMs() < end) return end !== 0;
  }
  s.over = true; // it never comes back: later checks cost one property read
  return false;
}

/** at the start of an LLM call: is this call part of the warm-up? (counts it) */
export function warmupCall(): boolean {
  const s = state();
  if (!s || s.over) return false;
  if (s.spec.requests !== undefined) {
    const n = Atomics.add(s.started, 0, 1);
    // the first steady call marks the end (the steady window for rates starts here)
    if (n === s.spec.requests) s.end[0] = monoMs();
    return n < s.spec.requests;
  }
  return warming();
}

/** how long the warm-up lasted, ms from `startMono` (the executors' start): the timed one's
 *  length, or until the first steady call started; the whole run when it never ended */
export function warmupElapsedMs(w: SharedWarmup | null, startMono: number, endedMono: number): number {
  if (!w) return 0;
  const end = new Float64Array(w.buffer, 8, 1)[0]!;
  return end > 0 ? Math.max(0, Math.min(end, endedMono) - startMono) : endedMono - startMono;
}
