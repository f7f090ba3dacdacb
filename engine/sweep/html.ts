// sweep.html: the curves a sweep draws, one per provider — latency against throughput, per-user
// speed against total throughput, throughput against load — each point with its 95 % interval,
// the knee marked, and (several providers) the steps where their TTFT intervals separate.
// Self-contained inline SVG: no script, no network.
import type { SweepResult } from './result.ts';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

interface P { x: number; y: number; xlo?: number; xhi?: number; ylo?: number; yhi?: number; load: number; knee: boolean; separated: boolean }
interface S { key: string; color: string; points: P[] }

function nice(v: number): string { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }

function chart(id: string, title: string, xLabel: string, yLabel: string, series: S[]): string {
  const W = 760, H = 340, L = 70, R = 20, T = 28, B = 48;
  const all = series.flatMap((s) => s.points);
  if (!all.length) return `<h2>${esc(title)}</h2><p>No data.</p>`;
  const xMax = Math.max(...all.map((p) => p.xhi ?? p.x), 0) || 1, yMax = Math.max(...all.map((p) => p.yhi ?? p.y), 0) || 1;
  const x1 = xMax * 1.08, y1 = yMax * 1.1;
  const sx = (x: number) => L + (x / x1) * (W - L - R), sy = (y: number) => H - B - (y / y1) * (H - T - B);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const axes = `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`
    + ticks.map((t) => `<text class="xtick" x="${sx(x1 * t).toFixed(1)}" y="${H - B + 16}" text-anchor="middle">${nice(x1 * t)}</text><text class="ytick" x="${L - 6}" y="${(sy(y1 * t) + 4).toFixed(1)}" text-anchor="end">${nice(y1 * t)}</text><line x1="${L}" x2="${W - R}" y1="${sy(y1 * t).toFixed(1)}" y2="${sy(y1 * t).toFixed(1)}" stroke="#eee"/>`).join('')
    + `<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text><text x="16" y="${(T + H - B) / 2}" transform="rotate(-90 16 ${(T + H - B) / 2})" text-anchor="middle">${esc(yLabel)}</text>`;
  const legend = `<text x="${L}" y="16">${series.map((s) => `<tspan fill="${s.color}" dx="12">● ${esc(s.key)}</tspan>`).join('')}</text>`;
  const body = series.map((s) => {
    const path = s.points.length > 1 ? `<path class="curve" data-provider="${esc(s.key)}" fill="none" stroke="${s.color}" stroke-width="2" d="${s.points.map((p, i) => `${i ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('')}"/>` : '';
    const bars = s.points.map((p) => [
      p.ylo !== undefined && p.yhi !== undefined ? `<line class="ci" x1="${sx(p.x).toFixed(1)}" x2="${sx(p.x).toFixed(1)}" y1="${sy(p.ylo).toFixed(1)}" y2="${sy(p.yhi).toFixed(1)}" stroke="${s.color}" stroke-width="1.5"/>` : '',
      p.xlo !== undefined && p.xhi !== undefined ? `<line class="ci" x1="${sx(p.xlo).toFixed(1)}" x2="${sx(p.xhi).toFixed(1)}" y1="${sy(p.y).toFixed(1)}" y2="${sy(p.y).toFixed(1)}" stroke="${s.color}" stroke-width="1.5"/>` : '',
    ].join('')).join('');
    const dots = s.points.map((p) => `<circle class="point" data-provider="${esc(s.key)}" data-load="${p.load}" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="4.5" fill="${s.color}"><title>${esc(s.key)} at load ${p.load}: ${nice(p.x)}, ${nice(p.y)}</title></circle>`
      + (p.knee ? `<circle class="knee" data-provider="${esc(s.key)}" cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="10" fill="none" stroke="${s.color}" stroke-width="2"/><text x="${(sx(p.x) + 12).toFixed(1)}" y="${(sy(p.y) - 10).toFixed(1)}" fill="${s.color}">knee</text>` : '')
      + (p.separated ? `<rect class="separated" x="${(sx(p.x) - 7).toFixed(1)}" y="${(sy(p.y) - 7).toFixed(1)}" width="14" height="14" fill="none" stroke="#111" stroke-width="1.2"/>` : '')).join('');
    return path + bars + dots;
  }).join('');
  return `<h2>${esc(title)}</h2><svg id="${id}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">${axes}${legend}${body}</svg>`;
}

export function sweepHtml(r: SweepResult): string {
  const providers = [...new Set(r.points.map((p) => p.provider))];
  const sep = new Set(r.separations.filter((s) => s.real).map((s) => s.load));
  const series = (fx: (p: SweepResult['points'][number]) => [number, number] | null, ci: (p: SweepResult['points'][number]) => Partial<P>) => providers.map((prov, i) => ({
    key: prov, color: COLORS[i % COLORS.length]!,
    points: r.points.filter((p) => p.provider === prov).flatMap((p) => { const xy = fx(p); return xy ? [{ x: xy[0], y: xy[1], load: p.load, knee: r.knees[prov] === p.load, separated: providers.length > 1 && sep.has(p.load), ...ci(p) }] : []; }),
  }));
  const latency = chart('curve-latency', 'TTFT p50 against throughput', 'successful requests per second', 'TTFT p50 (ms)',
    series((p) => (p.ttft_ms.p50 === null ? null : [p.rps, p.ttft_ms.p50]), (p) => ({ ...(p.ci.ttft_p50 ? { ylo: p.ci.ttft_p50.lo, yhi: p.ci.ttft_p50.hi } : {}), ...(p.ci.rps ? { xlo: p.ci.rps.lo, xhi: p.ci.rps.hi } : {}) })));
  const speed = chart('curve-speed', 'Per-user speed against total throughput', 'output tokens per second, all users', 'output tokens per second per user (median 1000 ÷ TPOT)',
    series((p) => (p.out_tok_s_per_user === null ? null : [p.out_tok_s, p.out_tok_s_per_user]), (p) => (p.ci.out_tok_s ? { xlo: p.ci.out_tok_s.lo, xhi: p.ci.out_tok_s.hi } : {})));
  const thr = chart('curve-throughput', 'Throughput against load', r.unit, 'successful requests per second',
    series((p) => [p.load, p.rps], (p) => (p.ci.rps ? { ylo: p.ci.rps.lo, yhi: p.ci.rps.hi } : {})));
  const head = ['provider', 'load', 'req/s', 'out tok/s', 'per user tok/s', 'TTFT p50', 'p90', 'p99', 'TPOT p50', 'p90', 'p99', 'ITL p50', 'e2e p50', 'p99', 'errors %', 'good %', 'generator'];
  const rows = r.points.map((p) => [p.provider, String(p.load), nice(p.rps), nice(p.out_tok_s), p.out_tok_s_per_user === null ? '–' : nice(p.out_tok_s_per_user), ...[p.ttft_ms.p50, p.ttft_ms.p90, p.ttft_ms.p99, p.tpot_ms.p50, p.tpot_ms.p90, p.tpot_ms.p99, p.itl_ms.p50, p.e2e_ms.p50, p.e2e_ms.p99].map((v) => (v === null ? '–' : nice(v))), nice(p.error_pct), p.good_pct === null ? '–' : nice(p.good_pct), r.steps.find((s) => s.load === p.load)?.verdict ?? '']);
  const knees = providers.map((p) => `${esc(p)}: ${r.knees[p] === null || r.knees[p] === undefined ? 'none found' : `${r.knees[p]} ${esc(r.unit)}`}`).join(' · ');
  const seps = providers.length > 1 ? `<p>Steps where the TTFT p50 intervals of ${esc(providers.join(' and '))} separate (a square around the point): ${r.separations.filter((s) => s.real).map((s) => String(s.load)).join(', ') || 'none'}.</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>llmload sweep — ${esc(r.script)}</title><style>body{font:14px system-ui,sans-serif;margin:24px;color:#1b1f24}table{border-collapse:collapse;font-size:13px}td,th{padding:4px 8px;border-bottom:1px solid #e3e6ea;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>
<h1>llmload sweep: ${esc(r.script)}</h1>
<p>${esc(r.vary === 'concurrency' ? 'Concurrency' : 'Request rate')} ${r.loads.join(', ')} ${esc(r.unit)}; each step ${esc(r.step)} with a ${esc(r.warmup)} warm-up left out. Knee (the lowest load reaching 90 % of the highest throughput): ${knees}.</p>${seps}
${thr}${latency}${speed}
<h2>Steps</h2><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>
<p><small>Intervals: 95 %, bootstrap (TTFT p50 over requests; rates over the steady window's seconds). docs/METRICS.md, "Sweeps".</small></p></body></html>
`;
}
