// The comparison as text (terminal), Markdown (a blog post or README, like the seed article),
// a self-contained HTML page (TTFT CDFs overlaid, the table; no network) and JSON.
import type { Comparison, Row, Column } from './table.ts';

const n = (x: number | null, d = 1) => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const ms = (x: number | null) => n(x, 1);
const LABEL: Record<Column, string> = { ttft_p50: 'TTFT p50', ttft_p95: 'TTFT p95', e2e_p50: 'e2e p50', e2e_p95: 'e2e p95', error_rate: 'error rate' };

interface Cell { head: string; get(r: Row): string; col?: Column }
function cells(c: Comparison): Cell[] {
  const out: Cell[] = [
    { head: c.options.by === 'model' ? 'provider / model' : 'provider', get: (r) => r.key },
    { head: 'requests', get: (r) => String(r.requests) },
    { head: 'RPS', get: (r) => n(r.rps, 2) },
    { head: 'RPS all', get: (r) => n(r.rps_all, 2) },
    { head: 'success %', get: (r) => n(r.success_pct, 2) },
    { head: 'error rate', get: (r) => `${n(100 - r.success_pct, 2)}%`, col: 'error_rate' },
    { head: '429s', get: (r) => String(r.rate_limited) },
    { head: 'retries', get: (r) => String(r.retries) },
    { head: 'TTFT p50', get: (r) => ms(r.ttft_p50), col: 'ttft_p50' },
    { head: 'TTFT p95', get: (r) => ms(r.ttft_p95), col: 'ttft_p95' },
    { head: 'TTFT p99', get: (r) => ms(r.ttft_p99) },
    { head: 'e2e p50', get: (r) => ms(r.e2e_p50), col: 'e2e_p50' },
    { head: 'e2e p95', get: (r) => ms(r.e2e_p95), col: 'e2e_p95' },
    { head: 'e2e p99', get: (r) => ms(r.e2e_p99) },
    { head: 'ITL p50', get: (r) => ms(r.itl_p50) },
    { head: 'in tok p50/p95', get: (r) => `${n(r.in_tok_p50, 0)}/${n(r.in_tok_p95, 0)}` },
    { head: 'out tok p50/p95', get: (r) => `${n(r.out_tok_p50, 0)}/${n(r.out_tok_p95, 0)}` },
    { head: 'out tok/s', get: (r) => n(r.output_tokens_per_s, 1) },
    { head: '$/M out', get: (r) => n(r.usd_per_m_output, 2) },
    { head: '¥/M out', get: (r) => n(r.cny_per_m_output, 2) },
    { head: 'run $', get: (r) => n(r.cost_usd, 4) },
  ];
  if (c.rows.some((r) => r.good_pct !== null)) out.splice(5, 0, { head: 'good %', get: (r) => n(r.good_pct, 2) });
  // only when some provider served from its prompt cache (conversations, shared prefixes)
  if (c.rows.some((r) => r.cache_hit_pct)) out.push({ head: 'cached in %', get: (r) => n(r.cache_hit_pct, 1) });
  if (c.rows.some((r) => r.monthly_usd !== null)) out.push({ head: 'monthly $', get: (r) => n(r.monthly_usd, 2) }, { head: 'monthly ¥', get: (r) => n(r.monthly_cny, 2) });
  return out;
}

function diffLines(c: Comparison, fmt: (s: string) => string = (s) => s): string[] {
  if (!c.baseline || c.differences.length === 0) return [];
  const lines = [`Differences from ${c.baseline} (95 % interval${c.differences.some((d) => d.significant) ? '; * the interval excludes 0' : ''}):`];
  for (const d of c.differences) {
    const unit = d.column === 'error_rate' ? ' pp' : ' ms';
    const k = d.column === 'error_rate' ? 100 : 1;
    lines.push(fmt(`  ${d.key} ${LABEL[d.column]}: ${d.diff.estimate * k >= 0 ? '+' : ''}${n(d.diff.estimate * k, 2)}${unit} [${n(d.diff.lo * k, 2)}, ${n(d.diff.hi * k, 2)}]${d.significant ? ' *' : ''}`));
  }
  return lines;
}

function errorsLine(c: Comparison): string[] {
  const out: string[] = [];
  for (const r of c.rows) {
    const kinds = Object.entries(r.errors_by_kind).map(([k, v]) => `${k}=${v}`).join(', ');
    if (kinds || r.incomplete) out.push(`  ${r.key}: ${kinds || 'no errors'}${r.incomplete ? `; incomplete=${r.incomplete}` : ''}`);
  }
  return out.length ? ['Errors by kind:', ...out] : [];
}

function warningLines(c: Comparison): string[] {
  return c.warnings.length ? ['Not like for like (no ★ marked):', ...c.warnings.map((w) => `  ${w}`)] : [];
}

export function renderText(c: Comparison): string {
  const cs = cells(c);
  const rows = c.rows.map((r) => cs.map((x) => x.get(r) + (x.col && r.best.includes(x.col) ? ' ★' : '')));
  const w = cs.map((x, i) => Math.max(x.head.length, ...rows.map((r) => r[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => (i === 0 ? v.padEnd(w[i]!) : v.padStart(w[i]!))).join('  ');
  return [line(cs.map((x) => x.head)), ...rows.map(line), '', '★ best, with a 95 % interval that excludes the runner-up\'s', ...warningLines(c), ...diffLines(c), ...errorsLine(c), '', `Method: ${c.method}.`, ''].join('\n');
}

export function renderMarkdown(c: Comparison): string {
  const cs = cells(c);
  const head = `| ${cs.map((x) => x.head).join(' | ')} |`;
  const sep = `|${cs.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`;
  const body = c.rows.map((r) => `| ${cs.map((x) => { const v = x.get(r); return x.col && r.best.includes(x.col) ? `**${v}**` : v; }).join(' | ')} |`);
  return [head, sep, ...body, '', '**Bold**: the best value, with a 95 % interval that excludes the runner-up\'s.', '', ...warningLines(c).map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : `**${l}**`)), '', ...diffLines(c, (s) => `- ${s.trim()}`), '', `_Method: ${c.method}._`, ''].join('\n');
}

export function renderJson(c: Comparison): string { return JSON.stringify(c, null, 2) + '\n'; }

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

interface Series { key: string; color: string; points: Array<[number, number]> }

/** a line chart as inline SVG (no script, no network); `id` names it for tests */
function lineChart(id: string, title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 720, H = 300, L = 64, B = 40, T = 24;
  const xs = series.flatMap((s) => s.points.map((p) => p[0])), ys = series.flatMap((s) => s.points.map((p) => p[1]));
  // all zeros (no errors at all): a unit axis, not five ticks reading "0.0"
  const xMax = Math.max(1, ...xs), yMax = Math.max(...ys, 0) > 0 ? Math.max(...ys) : 1;
  // as many decimals as the tick step needs: five ticks, five different labels (0.2 % of errors
  // at one decimal read 0.0 0.1 0.1 0.2 0.2)
  const step = yMax / 4;
  const dec = step >= 1 ? (Number.isInteger(step) ? 0 : 1) : Math.min(6, Math.ceil(-Math.log10(step)) + 1);
  const yFmt = (v: number) => v.toFixed(dec);
  const x = (v: number) => L + ((W - L - 20) * v) / xMax;
  const y = (v: number) => H - B - ((H - B - T) * Math.min(v, yMax)) / yMax;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<text x="${x(xMax * t).toFixed(1)}" y="${H - B + 18}" text-anchor="middle">${(xMax * t).toFixed(xMax < 4 ? 2 : 0)}</text><text class="ytick" x="${L - 8}" y="${(y(yMax * t) + 4).toFixed(1)}" text-anchor="end">${yFmt(yMax * t)}</text>`).join('');
  const legend = series.map((s) => `<tspan fill="${s.color}" dx="12">■ ${esc(s.key)}</tspan>`).join('');
  const paths = series.filter((s) => s.points.length).map((s) => `<path class="line" data-key="${esc(s.key)}" fill="none" stroke="${s.color}" stroke-width="2" d="${s.points.map(([a, b], j) => `${j ? 'L' : 'M'}${x(a).toFixed(1)},${y(b).toFixed(1)}`).join('')}"/>`).join('');
  return `<h2>${esc(title)}</h2><svg id="${id}" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12"><line x1="${L}" y1="${H - B}" x2="${W - 20}" y2="${H - B}" stroke="#333"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>${ticks}<text x="${(W + L) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text><text x="14" y="${(H - B) / 2}" transform="rotate(-90 14 ${(H - B) / 2})" text-anchor="middle">${esc(yLabel)}</text><text x="${L}" y="14">${legend}</text>${paths}</svg>`;
}

/** one self-contained page: TTFT CDFs overlaid, latency and errors over time, the table */
export function renderHtml(c: Comparison): string {
  const color = (i: number) => COLORS[i % COLORS.length]!;
  const cdf = lineChart('ttft-cdf', 'Time to first token', 'time to first token (ms, up to the p99 of the slowest)', 'share of requests (%)',
    c.rows.map((r, i) => ({ key: r.key, color: color(i), points: r.ttft_cdf.slice(0, 100).map((v, j) => [v, j] as [number, number]) })));
  const pts = (r: Row, f: (b: Row['timeline'][number]) => number | null) => r.timeline.map((b) => [b.s, f(b)] as [number, number | null]).filter((p): p is [number, number] => p[1] !== null);
  const ttftOverTime = lineChart('ttft-time', 'TTFT over time (median per second)', 'seconds since the first request', 'ms', c.rows.map((r, i) => ({ key: r.key, color: color(i), points: pts(r, (b) => b.ttft_p50) })));
  const e2eOverTime = lineChart('e2e-time', 'End-to-end latency over time (median per second)', 'seconds since the first request', 'ms', c.rows.map((r, i) => ({ key: r.key, color: color(i), points: pts(r, (b) => b.e2e_p50) })));
  const errOverTime = lineChart('errors-time', 'Errors over time (share of each second\'s requests)', 'seconds since the first request', '%', c.rows.map((r, i) => ({ key: r.key, color: color(i), points: pts(r, (b) => (b.requests ? (100 * b.errors) / b.requests : null)) })));
  const cs = cells(c);
  const table = `<table><thead><tr>${cs.map((x) => `<th>${esc(x.head)}</th>`).join('')}</tr></thead><tbody>${c.rows.map((r) => `<tr>${cs.map((x) => { const v = esc(x.get(r)); return `<td${x.col && r.best.includes(x.col) ? ' class="best"' : ''}>${v}</td>`; }).join('')}</tr>`).join('')}</tbody></table>`;
  const diffs = diffLines(c).map((l) => `<li>${esc(l.trim())}</li>`).join('');
  const warn = c.warnings.length ? `<div id="not-like-for-like" style="border:1px solid #d62728;padding:8px;margin:8px 0"><b>Not like for like</b> (no best value marked):<ul>${c.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>llmload compare</title><style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}td.best{font-weight:bold;background:#e8f5e9}</style></head><body><h1>Provider comparison</h1>${warn}<h2>Table</h2>${table}<p>Bold: the best value, with a 95 % interval that excludes the runner-up's.</p>${diffs ? `<ul>${diffs}</ul>` : ''}${cdf}${ttftOverTime}${e2eOverTime}${errOverTime}<p><small>Method: ${esc(c.method)}.</small></p></body></html>\n`;
}
