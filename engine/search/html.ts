// search.html: each SLO metric against load, one point per step (green pass, red fail, grey
// generator-limited), the SLO's limit as a dashed line and the boundary found as a band.
// Self-contained SVG: no scripts, no network.

interface Out {
  script: string; unit: string; slos: string[]; feasible_max: number | null; infeasible_min: number | null; reason: string; confirmed: boolean;
  steps: Array<{ n: number; load: number; why: string; pass: boolean; inconclusive: boolean; early_stop: boolean; achieved_rps: number; slos: Record<string, { value: number | null; ok: boolean }> }>;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function chart(o: Out, slo: string): string {
  const W = 640, H = 300, L = 64, R = 16, T = 16, B = 44;
  const pts = o.steps.filter((s) => s.slos[slo]?.value !== null && s.slos[slo]?.value !== undefined).map((s) => ({ x: s.load, y: s.slos[slo]!.value!, s }));
  const limit = Number(/[<>]=?\s*([\d.]+)/.exec(slo.slice(slo.indexOf(':') + 1))?.[1] ?? NaN);
  const xs = pts.map((p) => p.x), ys = [...pts.map((p) => p.y), ...(Number.isFinite(limit) ? [limit] : [])];
  if (!pts.length) return `<p>No values for ${esc(slo)}.</p>`;
  const x0 = 0, x1 = Math.max(...xs) * 1.05, y0 = 0, y1 = Math.max(...ys) * 1.1 || 1;
  const sx = (x: number) => L + ((x - x0) / (x1 - x0)) * (W - L - R), sy = (y: number) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  const ticks = (a: number, b: number) => Array.from({ length: 5 }, (_, i) => a + ((b - a) * i) / 4);
  const band = o.feasible_max !== null && o.infeasible_min !== null ? `<rect x="${sx(o.feasible_max)}" y="${T}" width="${Math.max(1, sx(o.infeasible_min) - sx(o.feasible_max))}" height="${H - T - B}" fill="#3b5bdb" opacity=".12"/><text x="${sx(o.feasible_max) + 4}" y="${T + 12}" font-size="11" fill="#3b5bdb">boundary</text>` : '';
  return `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(slo)} against load">
${band}
${ticks(x0, x1).map((t) => `<line x1="${sx(t)}" x2="${sx(t)}" y1="${H - B}" y2="${H - B + 4}" stroke="#888"/><text x="${sx(t)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${+t.toFixed(1)}</text>`).join('')}
${ticks(y0, y1).map((t) => `<line x1="${L - 4}" x2="${W - R}" y1="${sy(t)}" y2="${sy(t)}" stroke="#eee"/><text x="${L - 6}" y="${sy(t) + 4}" font-size="11" text-anchor="end">${+t.toPrecision(3)}</text>`).join('')}
<line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="#888"/><line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#888"/>
${Number.isFinite(limit) ? `<line x1="${L}" x2="${W - R}" y1="${sy(limit)}" y2="${sy(limit)}" stroke="#cf222e" stroke-dasharray="5 4"/><text x="${W - R}" y="${sy(limit) - 4}" font-size="11" text-anchor="end" fill="#cf222e">SLO ${limit}</text>` : ''}
${pts.map((p) => `<circle cx="${sx(p.x)}" cy="${sy(p.y)}" r="5" fill="${p.s.inconclusive ? '#999' : p.s.pass ? '#1a7f37' : '#cf222e'}"><title>step ${p.s.n} (${p.s.why}): ${p.x} → ${p.y}</title></circle>`).join('')}
<text x="${(L + W - R) / 2}" y="${H - 8}" font-size="12" text-anchor="middle">load (${esc(o.unit)})</text>
</svg>`;
}

export function searchHtml(o: Out): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>llmload search — ${esc(o.script)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#1b1f24}table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #e3e6ea;text-align:right}th:first-child,td:first-child{text-align:left}.ok{color:#1a7f37}.bad{color:#cf222e}</style></head><body>
<h1>llmload search: ${esc(o.script)}</h1>
<p><b>${o.feasible_max === null ? 'No load met every SLO.' : `Highest load meeting every SLO: ${o.feasible_max} ${esc(o.unit)}`}</b>${o.infeasible_min !== null ? ` · ${o.infeasible_min} misses` : ''} · ${esc(o.reason)}</p>
${o.slos.map((s) => `<h2>${esc(s)}</h2>${chart(o, s)}`).join('\n')}
<h2>Steps</h2><table><thead><tr><th>#</th><th>why</th><th>load</th><th>achieved req/s</th>${o.slos.map((s) => `<th>${esc(s)}</th>`).join('')}<th>result</th></tr></thead><tbody>
${o.steps.map((s) => `<tr><td>${s.n}</td><td>${s.why}</td><td>${s.load}</td><td>${s.achieved_rps}</td>${o.slos.map((k) => `<td>${s.slos[k]?.value === null || s.slos[k]?.value === undefined ? '–' : +s.slos[k]!.value!.toFixed(3)}</td>`).join('')}<td class="${s.pass ? 'ok' : 'bad'}">${s.inconclusive ? 'generator-limited' : s.pass ? 'pass' : 'fail'}${s.early_stop ? ' (stopped early)' : ''}</td></tr>`).join('\n')}
</tbody></table></body></html>
`;
}
