// `llmload compare SWEEP_DIR SWEEP_DIR…`: several sweeps (one provider each, or one
// PROVIDERS=a,b sweep) as one set of curves: a series per provider (per sweep and provider
// when a provider is in several), the knees, and the loads at which the first two series'
// TTFT p50 intervals separate — as text, Markdown, JSON or sweep.html's charts.
import { curveFacts } from './curve.ts';
import { loadSweep } from './load.ts';
import { sweepHtml } from './html.ts';
import type { SweepPoint } from './points.ts';
import type { SweepResult } from './result.ts';

export function combineSweeps(dirs: string[], labels: string[]): SweepResult {
  const sweeps = dirs.map((d, i) => ({ ...loadSweep(d), label: labels[i] }));
  const vary = sweeps[0]!.result.vary;
  const other = sweeps.find((s) => s.result.vary !== vary);
  if (other) throw new Error(`${other.name} swept ${other.result.vary}, ${sweeps[0]!.name} ${vary}: compare sweeps over the same kind of load`);
  // a provider in more than one sweep: a series per sweep, named by its label or folder
  const count = new Map<string, number>();
  for (const s of sweeps) for (const p of new Set(s.points.map((x) => x.provider))) count.set(p, (count.get(p) ?? 0) + 1);
  const points: SweepPoint[] = sweeps.flatMap((s) => s.points.map((p) => ((count.get(p.provider) ?? 0) > 1 ? { ...p, provider: `${p.provider} @ ${s.label ?? s.name}` } : p)));
  const loads = [...new Set(sweeps.flatMap((s) => s.result.loads))].sort((a, b) => a - b);
  const steps = sweeps.flatMap((s) => s.result.steps);
  const { knees, separations } = curveFacts(points, loads);
  return {
    script: [...new Set(sweeps.map((s) => s.result.script))].join(', '), vary, unit: sweeps[0]!.result.unit, loads,
    step: [...new Set(sweeps.map((s) => s.result.step))].join(' / '), warmup: [...new Set(sweeps.map((s) => s.result.warmup))].join(' / '),
    steps, points: points.map(({ samples: _s, ...p }) => p), knees, separations,
  };
}

export function renderSweepCompare(r: SweepResult, format: string): string {
  if (format === 'html') return sweepHtml(r);
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  const series = [...new Set(r.points.map((p) => p.provider))];
  const head = ['load', ...series.flatMap((s) => [`${s} req/s`, `${s} TTFT p50`]), ...(series.length > 1 ? [`${series[0]} − ${series[1]} TTFT p50 (95 %)`] : [])];
  const rows = r.loads.map((l) => {
    const cells = series.flatMap((s) => { const p = r.points.find((x) => x.provider === s && x.load === l); return p ? [String(p.rps), p.ttft_ms.p50 === null ? '–' : String(p.ttft_ms.p50)] : ['–', '–']; });
    const d = r.separations.find((x) => x.load === l);
    return [String(l), ...cells, ...(series.length > 1 ? [d ? `${d.diff.estimate >= 0 ? '+' : ''}${d.diff.estimate} [${d.diff.lo}, ${d.diff.hi}]${d.real ? ' *' : ''}` : '–'] : [])];
  });
  const knees = `Knees: ${series.map((s) => `${s} ${r.knees[s] === null || r.knees[s] === undefined ? 'none' : `${r.knees[s]} ${r.unit}`}`).join(', ')}.`;
  const real = series.length > 1 ? `The difference is real (* : its interval excludes 0) at ${r.separations.filter((x) => x.real).map((x) => `${x.load}`).join(', ') || 'no load'} ${r.unit}.` : '';
  if (format === 'md' || format === 'markdown') return [`| ${head.join(' | ')} |`, `|${head.map(() => '---:').join('|')}|`, ...rows.map((x) => `| ${x.join(' | ')} |`), '', knees, '', real, ''].join('\n');
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (xs: string[]) => xs.map((x, i) => x.padStart(w[i]!)).join('  ');
  return [line(head), ...rows.map(line), '', knees, real, ''].join('\n');
}
