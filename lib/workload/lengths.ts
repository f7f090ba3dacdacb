// Token-length distributions for synthetic workloads (docs/WORKLOADS.md): a fixed count, or a
// draw from normal (stddev, clamped to min/max), lognormal (median, sigma), uniform (min..max)
// or an empirical histogram ([[length, weight], …] inline or from a file); integers ≥ 1, seeded.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { runtime } from '../runtime.ts';

export type LengthSpec =
  | number
  | { dist?: 'normal'; mean: number; stddev?: number; min?: number; max?: number }
  | { dist: 'lognormal'; median: number; sigma: number; min?: number; max?: number }
  | { dist: 'uniform'; min: number; max: number }
  | { dist: 'histogram'; bins: Array<[number, number]> }
  /** an empirical distribution from a file: JSON [[length, weight], …], or one length a line */
  | { dist: 'histogram'; file: string };

export class LengthError extends Error { readonly exitCode = 104; }

/** [[length, weight], …] from a JSON file, or one length a line (each weight 1); relative paths
 *  against the script's folder, as k6's open() */
function histogramFile(file: string, what: string): Array<[number, number]> {
  const path = isAbsolute(file) ? file : resolve(runtime().scriptDir ?? process.cwd(), file);
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new LengthError(`${what}: cannot read the histogram file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const t = text.trim();
  if (t.startsWith('[')) {
    let v: unknown;
    try { v = JSON.parse(t); } catch (e) { throw new LengthError(`${what}: ${file} is not valid JSON: ${(e as Error).message}`); }
    if (!Array.isArray(v) || !v.every((b) => Array.isArray(b) && b.length === 2 && b.every((x) => typeof x === 'number'))) throw new LengthError(`${what}: ${file} must hold [[length, weight], …]`);
    return v as Array<[number, number]>;
  }
  return t.split(/\r?\n/).filter((l) => l.trim()).map((l, i) => {
    const n = Number(l.trim());
    if (!Number.isFinite(n)) throw new LengthError(`${what}: ${file}:${i + 1}: ${JSON.stringify(l.trim())} is not a length`);
    return [n, 1] as [number, number];
  });
}

/** A sampler for `spec` (checked here: what cannot be satisfied is one clear error). */
export function lengthSampler(spec: LengthSpec, rand: () => number, what: string, contextWindow = Infinity): () => number {
  const clamp = (n: number, min = 1, max = Infinity) => Math.max(min, Math.min(max, Math.round(n)));
  const check = (min: number | undefined, max: number | undefined) => {
    if (min !== undefined && max !== undefined && min > max) throw new LengthError(`${what}: min ${min} > max ${max}; give min ≤ max`);
    if ((min ?? 1) > contextWindow) throw new LengthError(`${what}: min ${min} tokens exceeds the model's context window (${contextWindow})`);
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  if (typeof spec === 'number') {
    if (!(spec >= 1) || !Number.isFinite(spec)) throw new LengthError(`${what}: ${spec} is not a token count ≥ 1`);
    if (spec > contextWindow) throw new LengthError(`${what}: ${spec} tokens exceeds the model's context window (${contextWindow})`);
    const n = Math.round(spec);
    return () => n;
  }
  const cap = (max: number | undefined) => Math.min(max ?? Infinity, contextWindow);
  switch (spec.dist ?? 'normal') {
    case 'normal': {
      const s = spec as { mean: number; stddev?: number; min?: number; max?: number };
      if (!(s.mean >= 1)) throw new LengthError(`${what}: mean ${s.mean} is not a token count ≥ 1`);
      if ((s.stddev ?? 0) < 0) throw new LengthError(`${what}: stddev ${s.stddev} is negative`);
      if (s.mean > contextWindow) throw new LengthError(`${what}: ${s.mean} tokens exceeds the model's context window (${contextWindow})`);
      check(s.min, s.max);
      return () => clamp(s.mean + (s.stddev ?? 0) * normal(), s.min ?? 1, cap(s.max));
    }
    case 'lognormal': {
      const s = spec as { median: number; sigma: number; min?: number; max?: number };
      if (!(s.median >= 1) || !(s.sigma >= 0)) throw new LengthError(`${what}: lognormal needs median ≥ 1 and sigma ≥ 0`);
      if (s.median > contextWindow) throw new LengthError(`${what}: median ${s.median} tokens exceeds the model's context window (${contextWindow})`);
      check(s.min, s.max);
      return () => clamp(s.median * Math.exp(s.sigma * normal()), s.min ?? 1, cap(s.max));
    }
    case 'uniform': {
      const s = spec as { min: number; max: number };
      check(s.min, s.max);
      if (!(s.min >= 1)) throw new LengthError(`${what}: uniform min ${s.min} is not a token count ≥ 1`);
      return () => clamp(s.min + rand() * (s.max - s.min + 1) - 0.5, s.min, cap(s.max));
    }
    case 'histogram': {
      const s = spec as { bins?: Array<[number, number]>; file?: string };
      const bins = (s.file !== undefined ? histogramFile(s.file, what) : s.bins ?? []).filter(([len, w]) => len >= 1 && w > 0);
      if (!bins.length) throw new LengthError(`${what}: the histogram has no bin with a length ≥ 1 and a weight > 0`);
      const total = bins.reduce((a, [, w]) => a + w, 0);
      return () => { let x = rand() * total; for (const [len, w] of bins) { x -= w; if (x < 0) return clamp(len, 1, contextWindow); } return clamp(bins[bins.length - 1]![0], 1, contextWindow); };
    }
    default: throw new LengthError(`${what}: unknown distribution "${(spec as { dist: string }).dist}": valid are normal, lognormal, uniform, histogram`);
  }
}
