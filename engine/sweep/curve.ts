// What a sweep's points say together: each series' knee and, with several series, the steps
// where the first two separate (their TTFT p50 intervals exclude each other's). Pure.
import { knee } from './loads.ts';
import { separated, type SweepPoint } from './points.ts';
import type { SweepResult } from './result.ts';

export function curveFacts(points: SweepPoint[], loads: number[]): Pick<SweepResult, 'knees' | 'separations'> {
  const series = [...new Set(points.map((p) => p.provider))];
  const knees: Record<string, number | null> = {};
  for (const p of series) knees[p] = knee(points.filter((x) => x.provider === p).map((x) => ({ load: x.load, throughput: x.rps })));
  const separations: SweepResult['separations'] = [];
  if (series.length > 1) {
    const [a, b] = series as [string, string];
    for (const load of loads) {
      const pa = points.find((x) => x.provider === a && x.load === load), pb = points.find((x) => x.provider === b && x.load === load);
      const d = pa && pb ? separated(pa, pb, Math.round(load * 31)) : null;
      if (d) separations.push({ load, a, b, ...d });
    }
  }
  return { knees, separations };
}
