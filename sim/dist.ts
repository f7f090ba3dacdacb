// Random distributions for the simulator, all from one seeded PRNG so runs repeat.
export type Rand = () => number;

export { prng } from '../lib/random.ts';

export function normal(r: Rand): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** A distribution of non-negative numbers (ms or token counts). */
export type Dist =
  | { kind: 'constant'; value: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; median: number; sigma: number }
  | { kind: 'uniform'; min: number; max: number }
  /** piecewise log-linear quantile function through (p, value) points, e.g. a table's p50/p95/p99 */
  | { kind: 'quantiles'; points: Array<[number, number]> };

export function sample(d: Dist, r: Rand): number {
  switch (d.kind) {
    case 'constant': return d.value;
    case 'normal': return Math.max(0, d.mean + d.sd * normal(r));
    case 'lognormal': return d.median * Math.exp(d.sigma * normal(r));
    case 'uniform': return d.min + (d.max - d.min) * r();
    case 'quantiles': {
      const u = r();
      const pts = d.points;
      for (let i = 1; i < pts.length; i++) {
        const [p1, v1] = pts[i]!;
        if (u <= p1) {
          const [p0, v0] = pts[i - 1]!;
          const f = (u - p0) / (p1 - p0);
          return Math.exp(Math.log(Math.max(v0, 1e-6)) + f * (Math.log(v1) - Math.log(Math.max(v0, 1e-6))));
        }
      }
      return pts[pts.length - 1]![1];
    }
  }
}

/** "100", "normal:10:2", "lognormal:150:0.5", "uniform:50:300" */
export function parseDist(s: string): Dist {
  const parts = s.split(':');
  const nums = parts.slice(1).map(Number);
  if (parts.length === 1 && Number.isFinite(Number(s))) return { kind: 'constant', value: Number(s) };
  if (nums.some((n) => !Number.isFinite(n))) throw new Error(`invalid distribution "${s}"`);
  switch (parts[0]) {
    case 'constant': return { kind: 'constant', value: nums[0]! };
    case 'normal': return { kind: 'normal', mean: nums[0]!, sd: nums[1] ?? 0 };
    case 'lognormal': return { kind: 'lognormal', median: nums[0]!, sigma: nums[1] ?? 0.5 };
    case 'uniform': return { kind: 'uniform', min: nums[0]!, max: nums[1] ?? nums[0]! };
  }
  throw new Error(`invalid distribution "${s}": use N, normal:MEAN:SD, lognormal:MEDIAN:SIGMA or uniform:MIN:MAX`);
}
