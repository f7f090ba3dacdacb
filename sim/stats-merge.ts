// /v1/sim/stats for a simulator on several processes (`sim --processes`): one answer for all of
// them. Counts and CPU add up, lateness quantiles come from the merged sketches (not an average
// of the processes' quantiles), the longest GC pause is the longest of any process.
import { Sketch } from '../lib/stats/sketch.ts';
import type { SimStats } from './server.ts';

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function mergeSimStats(parts: SimStats[]): SimStats {
  if (parts.length === 0) throw new Error('no stats to merge');
  const l = new Sketch();
  for (const p of parts) if (p.lateness_sketch) l.merge(p.lateness_sketch);
  const sum = (f: (p: SimStats) => number) => parts.reduce((a, p) => a + f(p), 0);
  const q = (x: number) => (l.count ? r3(l.quantile(x)) : 0);
  const since = parts.map((p) => p.overload_since_ms).filter((x): x is number => x !== null);
  const scaled = parts.map((p) => p.scaled_at_ms).filter((x): x is number => x !== null);
  return {
    active: sum((p) => p.active), queued: sum((p) => p.queued), requests: sum((p) => p.requests), events: sum((p) => p.events),
    capacity: sum((p) => p.capacity),
    overload_since_ms: since.length ? Math.min(...since) : null,
    scaled_at_ms: scaled.length ? Math.min(...scaled) : null,
    precision: parts[0]!.precision,
    cpu_ms: { user: r3(sum((p) => p.cpu_ms.user)), system: r3(sum((p) => p.cpu_ms.system)) },
    lateness_ms: { count: l.count, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: l.count ? r3(Math.max(...parts.map((p) => p.lateness_ms.max))) : 0 },
    gc: { count: sum((p) => p.gc.count), total_ms: r3(sum((p) => p.gc.total_ms)), max_ms: Math.max(...parts.map((p) => p.gc.max_ms)) },
    processes: parts.length,
  };
}
