// The loads a sweep steps through, and the knee of the curve it draws (docs/METRICS.md,
// "Sweeps"). Pure.

export class SweepError extends Error {}

/** "1..": doubling from 1 with no top — until the target saturates (see `saturated`), at most
 *  MAX_STEPS steps; "1..x1.5" another factor */
export const MAX_STEPS = 40;
export function openRange(spec: string): { from: number; factor: number } | null {
  const m = /^(\d+(?:\.\d+)?)\.\.(?:x(\d+(?:\.\d+)?))?$/.exec(spec.replace(/\s+/g, ''));
  if (!m) return null;
  const from = Number(m[1]), factor = m[2] === undefined ? 2 : Number(m[2]);
  if (!(from > 0) || !(factor > 1)) throw new SweepError(`invalid load range "${spec}": LOW.. with LOW > 0 (and xFACTOR > 1), e.g. 1.. or 2..x1.5`);
  return { from, factor };
}

/** the next load of an open range after `prev` */
export function nextOpen(r: { from: number; factor: number }, prev: number | null, integer: boolean): number {
  if (prev === null) return r.from;
  const x = prev * r.factor;
  return integer ? Math.max(prev + 1, Math.round(x)) : Math.round(x * 1000) / 1000;
}

/** Saturated: the last step added less than 10 % throughput over the one before, or (rate
 *  steps) the target completed less than 90 % of what was offered. The step that shows it is
 *  kept: the curve then holds a point past the knee. */
export function saturated(points: Array<{ load: number; throughput: number }>, offered: boolean): boolean {
  const last = points[points.length - 1];
  if (!last) return false;
  if (offered && last.throughput < 0.9 * last.load) return true;
  const prev = points[points.length - 2];
  return !!prev && last.throughput < 1.1 * prev.throughput;
}

/** "1,2,4,8" (a list), "1..64" (doubling from 1 up to 64), "1..64x1.5" (another factor) */
export function parseLoads(spec: string, what: '--concurrency' | '--rate', integer: boolean): number[] {
  const s = spec.replace(/\s+/g, '');
  const range = /^(\d+(?:\.\d+)?)\.\.(\d+(?:\.\d+)?)(?:x(\d+(?:\.\d+)?))?$/.exec(s);
  let loads: number[];
  if (range) {
    const [lo, hi, f] = [Number(range[1]), Number(range[2]), range[3] === undefined ? 2 : Number(range[3])];
    if (!(lo > 0) || !(hi >= lo) || !(f > 1)) throw new SweepError(`invalid ${what} "${spec}": in LOW..HIGH[xFACTOR], 0 < LOW ≤ HIGH and FACTOR > 1, e.g. 1..64 or 1..64x1.5`);
    loads = [];
    for (let x = lo; x <= hi * (1 + 1e-9); x *= f) loads.push(integer ? Math.round(x) : Math.round(x * 1000) / 1000);
    if (loads[loads.length - 1]! < hi) loads.push(hi);
  } else {
    if (!/^\d+(?:\.\d+)?(?:,\d+(?:\.\d+)?)*$/.test(s)) throw new SweepError(`invalid ${what} "${spec}": a list (1,2,4,8), a doubling range (1..64, 1..64x1.5) or one until saturation (1..)`);
    loads = s.split(',').map(Number);
  }
  loads = [...new Set(loads)];
  if (loads.some((x) => !(x > 0))) throw new SweepError(`invalid ${what} "${spec}": every load must be above 0`);
  if (integer && loads.some((x) => !Number.isInteger(x))) throw new SweepError(`invalid ${what} "${spec}": concurrency is a whole number of VUs`);
  for (let i = 1; i < loads.length; i++) if (loads[i]! <= loads[i - 1]!) throw new SweepError(`invalid ${what} "${spec}": loads must rise (${loads[i - 1]} then ${loads[i]})`);
  if (loads.length > MAX_STEPS) throw new SweepError(`invalid ${what} "${spec}": ${loads.length} steps; at most ${MAX_STEPS}`);
  return loads;
}

/** The knee: the lowest load whose throughput reaches `share` (90 %) of the highest seen.
 *  Past it, more load buys less than 10 % more throughput and only adds queueing — latency
 *  rises while throughput stays flat. null with fewer than three points or no throughput. */
export function knee(points: Array<{ load: number; throughput: number }>, share = 0.9): number | null {
  const ok = points.filter((p) => Number.isFinite(p.throughput));
  if (ok.length < 3) return null;
  const max = Math.max(...ok.map((p) => p.throughput));
  if (!(max > 0)) return null;
  return ok.find((p) => p.throughput >= share * max)!.load;
}
