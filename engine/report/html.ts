// One self-contained HTML report per run: uPlot (MIT) and its CSS inlined, the data inlined,
// no network access. Rendered from the summary data (summary.json).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SummaryData } from '../summary/build.ts';
import type { TimeSeriesData } from './data.ts';

const require = createRequire(import.meta.url);
const uplotDir = require.resolve('uplot/package.json').replace(/package\.json$/, 'dist/');

const esc = (s: unknown) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
const tok = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(Math.round(v)));
const pctf = (v: number) => `${(v * 100).toFixed(2)}%`;

export function renderReport(s: SummaryData & { timeseries?: TimeSeriesData }): string {
  const run = (s.run ?? {}) as Record<string, any>;
  const t = s.llm?.totals;
  const rec = (s as { recovery?: { recovered: boolean; recovery_s: number | null; worst_window: { ttft_p95_ms: number | null; error_rate: number } | null } }).recovery;
  const dist = (s as { distributed?: { shards: number; expected: number; partial: boolean; missing: Array<{ segment: string; name: string | null }>; zones: Array<{ name: string; shards: number; share: number; requests: number; errors: number; rate_limited: number; ttft_p50: number | null; ttft_p95: number | null; ttft_p99: number | null; cost_usd: number; start_skew_ms: number | null }>; instances: Array<{ name: string; shards: number; share: number; requests: number; errors: number; rate_limited: number; ttft_p50: number | null; ttft_p95: number | null; ttft_p99: number | null; cost_usd: number; start_skew_ms: number | null }>; quantiles: string } }).distributed;
  const thresholds = Object.entries(s.metrics).flatMap(([name, m]) => Object.entries(m.thresholds ?? {}).map(([src, r]) => {
    const stat = /^(p\([\d.]+\)|avg|min|max|med|rate|count|value)/.exec(src)?.[1] ?? '';
    const v = m.values[stat];
    const shown = v === undefined ? '–' : m.type === 'rate' || (stat === 'rate' && m.type !== 'counter') ? pctf(v) : m.contains === 'time' ? ms(v) : String(+v.toFixed(4));
    return { name, src, ok: r.ok, shown };
  }));
  const passed = thresholds.every((x) => x.ok);
  const ts = s.timeseries;
  // html: the value's markup, already escaped (the TTFT card's two figures wrap as units)
  const kpiHtml = (label: string, html: string, sub = '') => `<div class="kpi"><div class="kpi-label">${esc(label)}</div><div class="kpi-value">${html}</div>${sub ? `<div class="kpi-sub">${esc(sub)}</div>` : ''}</div>`;
  const kpi = (label: string, value: string, sub = '') => kpiHtml(label, esc(value), sub);
  const gen = s.generator;
  const css = readFileSync(uplotDir + 'uPlot.min.css', 'utf8');
  const js = readFileSync(uplotDir + 'uPlot.iife.min.js', 'utf8');
  const data = JSON.stringify({ ts: ts ?? null }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>llmload report — ${esc(run.script)} — ${esc(run.testid)}</title>
<style>${css}
:root{--bg:#f6f7f9;--card:#fff;--ink:#1b1f24;--muted:#5d6670;--line:#e3e6ea;--ok:#1a7f37;--bad:#cf222e;--accent:#3b5bdb}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header{background:#111827;color:#fff;padding:22px 32px}header h1{margin:0;font-size:20px;font-weight:600}header .meta{color:#cbd5e1;font-size:13px;margin-top:6px}
.badge{display:inline-block;padding:3px 10px;border-radius:12px;font-weight:600;font-size:12px;margin-left:10px;vertical-align:2px}.pass{background:#dafbe1;color:var(--ok)}.fail{background:#ffebe9;color:var(--bad)}
main{max-width:1280px;margin:0 auto;padding:20px 32px 40px}section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:16px 0}
h2{font-size:15px;margin:0 0 12px;font-weight:600}.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;min-width:0}.kpi-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}.kpi-value{font-size:20px;font-weight:600;margin-top:2px;overflow-wrap:anywhere}.kpi-value .part{white-space:nowrap}.kpi-sub{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}th{color:var(--muted);font-weight:500;font-size:12px}th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}
.ok{color:var(--ok);font-weight:600}.bad{color:var(--bad);font-weight:600}.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}.chart{min-height:300px}
.health{border-left:4px solid var(--ok)}.health.warn{border-left-color:var(--bad)}.muted{color:var(--muted)}footer{color:var(--muted);font-size:12px;text-align:center;margin:24px 0}
@media (max-width:900px){.grid{grid-template-columns:1fr}}
</style></head><body>
<header><h1>llmload report<span class="badge ${passed ? 'pass' : 'fail'}">${passed ? 'THRESHOLDS PASSED' : 'THRESHOLDS FAILED'}</span>${s.state.aborted ? '<span class="badge fail">ABORTED</span>' : ''}</h1>
<div class="meta">${esc(run.script)} · provider <b>${esc(run.provider ?? '–')}</b> · test id ${esc(run.testid)} · ${esc(run.started)} → ${esc(run.ended)} (${(s.state.testRunDurationMs / 1000).toFixed(1)} s) · host ${esc(run.host)} · bundle ${esc(String(run.bundle_sha256 ?? '').slice(0, 12))}${s.state.abortReason ? ` · <b>${esc(s.state.abortReason)}</b>` : ''}</div></header>
<main>
<div class="kpis">
${kpi('Requests', String(t?.requests ?? s.metrics.http_reqs?.values.count ?? 0), `${(s.metrics.http_reqs?.values.rate ?? 0).toFixed(2)}/s`)}
${kpi('Error rate', t ? pctf(t.error_rate) : '–', t ? `${t.errors} failed · ${t.rate_limited} × 429` : '')}
${kpiHtml('TTFT p50 / p95', t ? `<span class="part">${esc(ms(t.ttft_p50))} /</span> <span class="part">${esc(ms(t.ttft_p95))}</span>` : '–', t ? `p99 ${ms(t.ttft_p99)}` : '')}
${kpi('End-to-end p95', ms(t?.e2e_p95), t ? `p99 ${ms(t.e2e_p99)}` : '')}
${kpi('Output tokens', String(t?.output_tokens ?? 0), t ? `${t.tokens_per_s.toFixed(1)} tokens/s` : '')}
${kpi('Cost', t ? `$${t.cost_usd.toFixed(4)}` : '–', t ? `¥${t.cost_cny.toFixed(4)}` : '')}
${rec ? kpi('Recovery after spike', rec.recovered ? `${rec.recovery_s} s` : 'none', rec.worst_window ? `worst window: TTFT p95 ${rec.worst_window.ttft_p95_ms ?? '–'} ms, ${(rec.worst_window.error_rate * 100).toFixed(1)}% errors` : '') : ''}
</div>
<section><h2>Thresholds</h2>${thresholds.length ? `<table><thead><tr><th>Metric</th><th>Threshold</th><th>Actual</th><th>Result</th></tr></thead><tbody>${thresholds.map((x) => `<tr><td>${esc(x.name)}</td><td>${esc(x.src)}</td><td>${esc(x.shown)}</td><td class="${x.ok ? 'ok' : 'bad'}">${x.ok ? '✓ pass' : '✗ fail'}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No thresholds.</p>'}</section>
${dist ? `<section><h2>Per zone</h2><p class="muted">${dist.shards} of ${dist.expected} shards merged${dist.partial ? ` — <b class="bad">PARTIAL: missing ${esc(dist.missing.map((m) => m.name ?? m.segment).join(', '))}</b>` : ''} · ${esc(dist.quantiles)}</p><table><thead><tr><th>Zone</th><th>Shards</th><th>Share</th><th>Requests</th><th>Errors</th><th>429s</th><th>TTFT p50</th><th>p95</th><th>p99</th><th>Cost USD</th><th>Start skew</th></tr></thead><tbody>${dist.zones.map((z) => `<tr><td>${esc(z.name)}</td><td>${z.shards}</td><td>${pctf(z.share)}</td><td>${z.requests}</td><td>${z.errors}</td><td>${z.rate_limited}</td><td>${ms(z.ttft_p50)}</td><td>${ms(z.ttft_p95)}</td><td>${ms(z.ttft_p99)}</td><td>$${z.cost_usd.toFixed(4)}</td><td>${z.start_skew_ms === null ? '–' : `${z.start_skew_ms} ms`}</td></tr>`).join('')}</tbody></table></section>
<section><h2>Per instance</h2><table><thead><tr><th>Instance</th><th>Shards</th><th>Share</th><th>Requests</th><th>Errors</th><th>429s</th><th>TTFT p50</th><th>p95</th><th>p99</th><th>Cost USD</th><th>Start skew</th></tr></thead><tbody>${dist.instances.map((z) => `<tr><td>${esc(z.name)}</td><td>${z.shards}</td><td>${pctf(z.share)}</td><td>${z.requests}</td><td>${z.errors}</td><td>${z.rate_limited}</td><td>${ms(z.ttft_p50)}</td><td>${ms(z.ttft_p95)}</td><td>${ms(z.ttft_p99)}</td><td>$${z.cost_usd.toFixed(4)}</td><td>${z.start_skew_ms === null ? '–' : `${z.start_skew_ms} ms`}</td></tr>`).join('')}</tbody></table></section>` : ''}
${s.llm && s.llm.byModel.length ? `<section><h2>Per model</h2><table><thead><tr><th>Provider</th><th>Model</th><th>Share</th><th>Requests</th><th>Errors</th><th>429s</th><th>Retries</th><th>TTFT p50</th><th>p95</th><th>p99</th><th>E2E p95</th><th>Tokens/s</th><th>In tok p50 / p95</th><th>Out tok p50 / p95</th><th>Cached in</th><th>Cost USD</th><th>Cost CNY</th><th>Priced by</th></tr></thead><tbody>${s.llm.byModel.map((m) => `<tr><td>${esc(m.provider)}</td><td>${esc(m.model)}</td><td>${pctf(m.share)}</td><td>${m.requests}</td><td>${m.errors} (${pctf(m.error_rate)})</td><td>${m.rate_limited}</td><td>${m.retries}</td><td>${ms(m.ttft_p50)}</td><td>${ms(m.ttft_p95)}</td><td>${ms(m.ttft_p99)}</td><td>${ms(m.e2e_p95)}</td><td>${m.tokens_per_s.toFixed(1)}</td><td>${tok(m.in_tok_p50)} / ${tok(m.in_tok_p95)}</td><td>${tok(m.out_tok_p50)} / ${tok(m.out_tok_p95)}${m.req_out_p50 ? ` <span class="muted">(asked ${tok(m.req_out_p50)})</span>` : ''}</td><td>${m.cache_hit_pct === null || m.cache_hit_pct === undefined ? '–' : `${m.cache_hit_pct.toFixed(1)} %`}</td><td>$${m.cost_usd.toFixed(4)}</td><td>¥${m.cost_cny.toFixed(4)}</td><td class="muted">${esc(m.price_source ?? 'unpriced')}</td></tr>`).join('')}</tbody></table></section>` : ''}
<section><h2>Over time</h2><div class="grid">
<div><h2 class="muted">Requests per second, VUs and streams in flight</h2><div id="c-load" class="chart"></div></div>
<div><h2 class="muted">Time to first token (ms)</h2><div id="c-ttft" class="chart"></div></div>
<div><h2 class="muted">Errors by kind and 429s per second</h2><div id="c-errors" class="chart"></div></div>
<div><h2 class="muted">TTFT distribution (requests per bin, ms)</h2><div id="c-hist" class="chart"></div></div>
</div></section>
${gen ? `<section class="health ${gen.ok ? '' : 'warn'}"><h2>Generator health</h2><p><b>${esc(gen.verdict)}</b></p><p class="muted">timing-error bound ${gen.timing_error_p99_ms ?? '–'} ms (limit ${gen.timing_error_limit_ms ?? '–'} ms) · CPU avg ${gen.cpu_percent_avg}% (max ${gen.cpu_percent_max}%) · event-loop lag p99 ${gen.event_loop_lag_p99_ms} ms · iteration start lag p99 ${gen.start_lag_p99_ms ?? '–'} ms · ${gen.dropped_iterations} dropped iterations · ${gen.cores} cores</p>${gen.reasons.length ? `<ul>${gen.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}</section>` : ''}
<footer>Generated by llmload · ${esc(new Date().toISOString())} · self-contained: no network access</footer>
</main>
<script>${js}</script>
<script type="application/json" id="llmload-data">${data}</script>
<script>
(function(){
  var D = JSON.parse(document.getElementById('llmload-data').textContent).ts;
  var charts = [], plots = [];
  // axisLabels: the tick labels uPlot drew (read by the tests, since a canvas has no text)
  window.__llmloadReport = { charts: charts, series: function(){ return plots.map(function(p){ return { id: p.id, series: p.u.series.slice(1).map(function(x){ return { label: x.label, spanGaps: !!x.spanGaps }; }) }; }); }, axisLabels: function(){ return plots.map(function(p){ return { id: p.id, axes: p.u.axes.map(function(a){ return (a._values || []).map(String); }) }; }); } };
  if (!D) return;
  var PAL = ['#3b5bdb','#e8590c','#2f9e44','#c2255c','#7048e8','#0c8599','#f08c00','#495057'];
  function width(el){ return Math.max(320, el.clientWidth || 560); }
  function make(id, opts, data){
    var el = document.getElementById(id);
    var u = new uPlot(Object.assign({ width: width(el), height: 280, legend: { live: false } }, opts), data, el);
    charts.push({ id: id, series: data.length - 1, points: data[0].length, nonNull: data.slice(1).map(function(s){ return s.filter(function(v){ return v !== null && v !== undefined; }).length; }) });
    plots.push({ id: id, u: u });
    window.addEventListener('resize', function(){ u.setSize({ width: width(el), height: 280 }); });
    return u;
  }
  var bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined;
  make('c-load', { series: [{}, { label: 'requests/s', stroke: PAL[0], width: 2, fill: 'rgba(59,91,219,.08)' }, { label: 'VUs', stroke: PAL[1], scale: 'vus' }, { label: 'streams', stroke: PAL[2], scale: 'vus', dash: [4, 3] }],
    axes: [{}, { label: 'req/s' }, { side: 1, scale: 'vus', label: 'VUs / streams', grid: { show: false } }] }, [D.t, D.rps, D.vus, D.streams]);
  // a second without a first token (no stream began) is a gap in the data, not in the line:
  // spanGaps draws across it (it broke the lines into fragments); p99 thin and dashed, drawn
  // first, so p50 and p95 stay visible on top of it
  make('c-ttft', { series: [{}, { label: 'p99', stroke: PAL[3], width: 1.5, dash: [5, 4], spanGaps: true }, { label: 'p95', stroke: PAL[6], width: 2.5, spanGaps: true }, { label: 'p50', stroke: PAL[2], width: 2.5, spanGaps: true }], axes: [{}, { label: 'ms' }] }, [D.t, D.ttft_p99, D.ttft_p95, D.ttft_p50]);
  var ek = Object.keys(D.errors);
  var es = [{}, { label: '429 responses', stroke: PAL[1], width: 2 }].concat(ek.map(function(k, i){ return { label: k, stroke: PAL[(i + 3) % PAL.length], width: 2 }; }));
  make('c-errors', { series: es, axes: [{}, { label: 'per second' }] }, [D.t, D.rate_limited].concat(ek.map(function(k){ return D.errors[k]; })));
  var h = D.ttft_histogram;
  if (h.length) make('c-hist', { scales: { x: { time: false, distr: 3 } }, series: [{ label: 'TTFT ms' }, { label: 'requests', stroke: PAL[0], fill: 'rgba(59,91,219,.35)', paths: bars, points: { show: false } }],
    // log axis: ticks at 1-2-5 steps only (uPlot's own log ticks put a label at every integer
    // multiple, which overlapped into "0 0 0 0 100 0 0 1.0s"), labelled in ms or s
    axes: [{ label: 'time to first token (log scale; bars at bin midpoints)', space: 40,
      splits: function(u){ var lo = u.scales.x.min, hi = u.scales.x.max, out = []; for (var d = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 0.001)))); d <= hi * 10; d *= 10) [1, 2, 5].forEach(function(m){ var v = d * m; if (v >= lo && v <= hi) out.push(v); }); return out; },
      values: function(u, vals){ return vals.map(function(v){ return v == null ? '' : v >= 1000 ? (v / 1000) + ' s' : v >= 1 ? v + ' ms' : v.toFixed(2) + ' ms'; }); } }, { label: 'requests' }] },
    [h.map(function(b){ return Math.sqrt(Math.max(b[0], 0.01) * b[1]); }), h.map(function(b){ return b[2]; })]);
})();
</script></body></html>
`;
}
