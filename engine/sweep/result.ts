// What a sweep writes (sweep.json), and its CSV: one row per provider and step.
import type { SweepPoint } from './points.ts';
import type { Interval } from '../compare/stats.ts';

export interface SweepStep { n: number; load: number; dir: string; verdict: string; generator_ok: boolean; exit_code: number | null; steady_s: number }

export interface SweepResult {
  script: string;
  vary: 'concurrency' | 'rate';
  unit: string;
  loads: number[];
  step: string;
  warmup: string;
  steps: SweepStep[];
  points: Array<Omit<SweepPoint, 'samples'>>;
  /** per provider: the knee (engine/sweep/loads.ts), null when none */
  knees: Record<string, number | null>;
  /** several providers: per step, the first two providers' TTFT p50 difference and whether
   *  its interval excludes 0 */
  separations: Array<{ load: number; a: string; b: string; diff: Interval; real: boolean }>;
}

const CSV_COLUMNS = ['provider', 'load', 'requests', 'ok', 'error_pct', 'rps', 'rps_all', 'out_tok_s', 'out_tok_s_per_user',
  'ttft_p50_ms', 'ttft_p90_ms', 'ttft_p99_ms', 'tpot_p50_ms', 'tpot_p90_ms', 'tpot_p99_ms', 'itl_p50_ms', 'itl_p90_ms', 'itl_p99_ms', 'e2e_p50_ms', 'e2e_p90_ms', 'e2e_p99_ms',
  'good_pct', 'ttft_p50_lo', 'ttft_p50_hi', 'rps_lo', 'rps_hi', 'verdict'] as const;

export function sweepCsv(r: SweepResult): string {
  const v = (x: unknown) => (x === null || x === undefined ? '' : /[",\n]/.test(String(x)) ? `"${String(x).replace(/"/g, '""')}"` : String(x));
  const rows = r.points.map((p) => [p.provider, p.load, p.requests, p.ok, p.error_pct, p.rps, p.rps_all, p.out_tok_s, p.out_tok_s_per_user,
    p.ttft_ms.p50, p.ttft_ms.p90, p.ttft_ms.p99, p.tpot_ms.p50, p.tpot_ms.p90, p.tpot_ms.p99, p.itl_ms.p50, p.itl_ms.p90, p.itl_ms.p99, p.e2e_ms.p50, p.e2e_ms.p90, p.e2e_ms.p99,
    p.good_pct, p.ci.ttft_p50?.lo, p.ci.ttft_p50?.hi, p.ci.rps?.lo, p.ci.rps?.hi, r.steps.find((s) => s.load === p.load)?.verdict ?? ''].map(v).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
