// The end-of-test text summary, laid out like k6's.
import type { SummaryData } from './build.ts';

export interface TextOpts { color: boolean }

export function fmtValue(v: number, contains: string, stat = ''): string {
  if (contains === 'time' && !['count', 'passes', 'fails'].includes(stat)) {
    if (v >= 60_000) return `${(v / 60_000).toFixed(2)}m`;
    if (v >= 1000) return `${(v / 1000).toFixed(2)}s`;
    if (v >= 1) return `${v.toFixed(2)}ms`;
    return `${(v * 1000).toFixed(2)}µs`;
  }
  if (contains === 'data' && stat === 'count') {
    const u = ['B', 'kB', 'MB', 'GB'];
    let i = 0;
    while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return `${v.toFixed(i ? 1 : 0)} ${u[i]}`;
  }
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(Math.abs(v) < 1 ? 4 : 2).replace(/\.?0+$/, '') || '0';
}

export function textSummary(d: SummaryData, o: TextOpts): string {
  const g = (s: string) => (o.color ? `\x1b[32m${s}\x1b[0m` : s);
  const r = (s: string) => (o.color ? `\x1b[31m${s}\x1b[0m` : s);
  const dim = (s: string) => (o.color ? `\x1b[2m${s}\x1b[0m` : s);
  const b = (s: string) => (o.color ? `\x1b[1m${s}\x1b[0m` : s);
  const lines: string[] = [''];

  const withTh = Object.entries(d.metrics).filter(([, m]) => m.thresholds);
  if (withTh.length) {
    lines.push(b('  █ THRESHOLDS'), '');
    for (const [name, m] of withTh) {
      lines.push(`    ${name}`);
      for (const [src, t] of Object.entries(m.thresholds!)) {
        const stat = /^(p\([\d.]+\)|avg|min|max|med|rate|count|value)/.exec(src)?.[1] ?? '';
        const v = m.values[stat];
        const shown = v === undefined ? '' : ` ${stat}=${stat === 'rate' && m.type === 'rate' ? (v * 100).toFixed(2) + '%' : fmtValue(v, m.contains, stat)}`;
        lines.push(`    ${t.ok ? g('✓') : r('✗')} '${src}'${shown}`);
      }
      lines.push('');
    }
  }

  lines.push(b('  █ TOTAL RESULTS'), '');
  const checks = collectChecks(d.root_group);
  if (checks.length) {
    for (const c of checks) {
      const tot = c.passes + c.fails;
      const mark = c.fails === 0 ? g('✓') : r('✗');
      lines.push(`    ${mark} ${c.path.replace(/^::/, '').split('::').join(' › ')}${c.fails ? dim(`  ↳ ${Math.round((c.passes / tot) * 100)}% — ✓ ${c.passes} / ✗ ${c.fails}`) : ''}`);
    }
    lines.push('');
  }
  const names = Object.keys(d.metrics).filter((n) => !n.includes('{')).sort();
  const width = Math.max(30, ...names.map((n) => n.length + 3));
  for (const name of names) {
    const m = d.metrics[name]!;
    const label = `    ${name}`.padEnd(width + 4, '.') + ':';
    let val: string;
    switch (m.type) {
      case 'counter': val = `${fmtValue(m.values.count!, m.contains, 'count')}  ${dim(`${fmtValue(m.values.rate!, m.contains === 'data' ? 'default' : m.contains)}/s`)}`; break;
      case 'gauge': val = `${fmtValue(m.values.value!, m.contains)}  ${dim(`min=${fmtValue(m.values.min!, m.contains)} max=${fmtValue(m.values.max!, m.contains)}`)}`; break;
      case 'rate': val = `${(m.values.rate! * 100).toFixed(2)}%  ${dim(`${m.values.passes} out of ${m.values.passes! + m.values.fails!}`)}`; break;
      default: val = Object.entries(m.values).map(([k, v]) => `${k}=${fmtValue(v, m.contains, k)}`).join(' ');
    }
    lines.push(`${label} ${val}`);
  }

  if (d.llm && d.llm.byModel.length) {
    lines.push('', b('  █ MODEL COVERAGE TESTED') + dim('  (per provider and model; ms; cost from usage × price)'), '');
    const head = ['provider', 'model', 'share', 'reqs', 'err%', 'incompl', '429s', 'retries', 'ttft p50', 'p95', 'p99', 'e2e p95', 'out tok', 'tok/s', 'cost $', 'cost ¥'];
    const rows = d.llm.byModel.map((m) => [m.provider, m.model, `${(m.share * 100).toFixed(1)}%`, String(m.requests), (m.error_rate * 100).toFixed(1), String(m.incomplete ?? 0), String(m.rate_limited), String(m.retries), n(m.ttft_p50), n(m.ttft_p95), n(m.ttft_p99), n(m.e2e_p95), String(m.output_tokens), m.tokens_per_s.toFixed(1), m.cost_usd.toFixed(4), m.cost_cny.toFixed(4)]);
    const t = d.llm.totals;
    rows.push(['total', '', '100%', String(t.requests), (t.error_rate * 100).toFixed(1), String(t.incomplete ?? 0), String(t.rate_limited), String(t.retries), n(t.ttft_p50), n(t.ttft_p95), n(t.ttft_p99), n(t.e2e_p95), String(t.output_tokens), t.tokens_per_s.toFixed(1), t.cost_usd.toFixed(4), t.cost_cny.toFixed(4)]);
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const fmtRow = (row: string[]) => '    ' + row.map((c, i) => (i < 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
    lines.push(dim(fmtRow(head)));
    for (const row of rows) lines.push(fmtRow(row));
    const kinds = Object.entries(t.errors_by_kind);
    if (kinds.length) lines.push('', `    errors by kind: ${kinds.map(([k, v]) => `${k}=${v}`).join(', ')}`);
    if (t.good_pct !== null && t.good_pct !== undefined) lines.push('', `    goodput${d.run && (d.run as { goodput?: Record<string, number> }).goodput ? ` (${Object.entries((d.run as { goodput: Record<string, number> }).goodput).map(([k, v]) => `${k} ≤ ${v} ms`).join(', ')})` : ''}: ${t.good_pct.toFixed(1)} % of requests good, ${t.goodput_rps} good req/s`);
    // tokens per request: what the workload sent and got back (and asked for)
    lines.push('', dim('    tokens per request (p50 / p95): in, out (asked)'));
    for (const m of [...d.llm.byModel]) lines.push(`      ${m.provider}/${m.model}: in ${n(m.in_tok_p50 ?? null)} / ${n(m.in_tok_p95 ?? null)}, out ${n(m.out_tok_p50 ?? null)} / ${n(m.out_tok_p95 ?? null)}${m.req_out_p50 ? ` (asked ${n(m.req_out_p50)})` : ''}${m.cached_input_tokens ? `; cached input ${m.cached_input_tokens} (${m.cache_hit_pct} %)` : ''}${m.cache_write_tokens ? `, cache writes ${m.cache_write_tokens}` : ''}${m.reasoning_tokens ? `; reasoning ${m.reasoning_tokens}` : ''} · priced by ${m.price_source ?? 'nobody (unpriced)'}`);
    const checked = d.llm.byModel.filter((m) => m.usage_check);
    if (checked.length) {
      lines.push('', dim('    usage check (--usage-check): the server\'s output tokens against the client\'s count of the same answers'));
      for (const m of checked) { const u = m.usage_check!; lines.push(`      ${m.provider}/${m.model}: ${u.calls} calls, server ${u.server_output_tokens}, client ${u.client_output_tokens} (${u.diff_pct === null ? '–' : `${u.diff_pct > 0 ? '+' : ''}${u.diff_pct} %`})`); }
    }
    const byTurn = (d.llm as { byTurn?: Array<{ turn: number; requests: number; ttft_p50: number | null; ttft_p95: number | null; in_tok_p50: number | null; cache_hit_pct: number | null }> }).byTurn;
    if (byTurn?.length) {
      lines.push('', dim('    by turn (conversations):  turn  reqs  ttft p50  p95  in tok p50  cached %'));
      for (const t of byTurn) lines.push(`      ${String(t.turn).padStart(4)}  ${String(t.requests).padStart(4)}  ${n(t.ttft_p50).padStart(8)}  ${n(t.ttft_p95).padStart(4)}  ${n(t.in_tok_p50).padStart(9)}  ${t.cache_hit_pct === null ? '–' : t.cache_hit_pct.toFixed(1)}`);
    }
    const w8 = (d.run as { workload?: { description?: string; schedule_lag?: { requests: number; p50_ms: number; p99_ms: number; max_ms: number } } } | undefined)?.workload;
    if (w8?.description) lines.push('', `    workload: ${w8.description}`);
    if (w8?.schedule_lag) lines.push(`    schedule lag (dispatch − plan) over ${w8.schedule_lag.requests} requests: p50 ${w8.schedule_lag.p50_ms} ms, p99 ${w8.schedule_lag.p99_ms} ms, max ${w8.schedule_lag.max_ms} ms`);
    if (t.incomplete) lines.push('', `    ! incomplete: ${t.incomplete} response${t.incomplete === 1 ? '' : 's'} ended without a finish_reason (dropped work, not successes; llm_incomplete)`);
  }

  if (d.generator) {
    lines.push('', b('  █ GENERATOR HEALTH'), '', `    ${d.generator.ok ? g('✓') : r('!')} ${d.generator.verdict}`);
    lines.push(dim(`      timing-error bound ${d.generator.timing_error_p99_ms ?? '-'} ms (limit ${d.generator.timing_error_limit_ms ?? '-'} ms) · cpu avg ${d.generator.cpu_percent_avg}% max ${d.generator.cpu_percent_max}% · event-loop lag p99 ${d.generator.event_loop_lag_p99_ms} ms · start lag p99 ${d.generator.start_lag_p99_ms ?? '-'} ms`));
    for (const reason of d.generator.reasons) lines.push(`      - ${reason}`);
  }
  if (d.simulator) {
    const sm = d.simulator;
    lines.push(`    ${sm.kept_up ? g('✓') : r('!')} built-in simulator ${sm.kept_up ? 'kept up' : 'fell behind: its late writes count as server latency in these results'}`);
    lines.push(dim(`      ${sm.events} events written · cpu ${((sm.cpu_ms.user + sm.cpu_ms.system) / 1000).toFixed(1)} s · write lateness p50 ${sm.lateness_ms.p50} ms p99 ${sm.lateness_ms.p99} ms max ${sm.lateness_ms.max} ms · gc ${sm.gc.count} pauses, max ${sm.gc.max_ms} ms`));
  }
  const rec = (d as { recovery?: { recovered: boolean; recovery_s: number | null; after_spike_end_s: number | null; spike: { start_s: number; end_s: number; baseline_load: number; peak_load: number }; baseline: { ttft_p95_ms: number | null; error_rate: number }; window_s: number; tolerance: { ttft: string; errors: string }; worst_window: { at_s: number; ttft_p95_ms: number | null; error_rate: number } | null } }).recovery;
  if (rec) {
    lines.push('', b('  █ RECOVERY') + dim(`  (spike ${rec.spike.baseline_load} → ${rec.spike.peak_load} at ${rec.spike.start_s}–${rec.spike.end_s} s; ${rec.window_s} s windows; TTFT ${rec.tolerance.ttft}, errors ${rec.tolerance.errors})`), '');
    lines.push(`    ${rec.recovered ? g('✓') : r('✗')} ${rec.recovered ? `recovered ${rec.recovery_s} s after the spike began (${rec.after_spike_end_s} s after it ended)` : 'did not recover before the load left the baseline'} · baseline TTFT p95 ${rec.baseline.ttft_p95_ms ?? '-'} ms, errors ${(rec.baseline.error_rate * 100).toFixed(2)} %`);
    if (rec.worst_window) lines.push(`    worst window: ${rec.worst_window.at_s} s into the spike, TTFT p95 ${rec.worst_window.ttft_p95_ms ?? '-'} ms, errors ${(rec.worst_window.error_rate * 100).toFixed(2)} %`);
  }
  const dist = (d as { distributed?: { shards: number; expected: number; partial: boolean; missing: Array<{ segment: string; name: string | null }>; zones: DistRow[]; instances: DistRow[]; quantiles: string } }).distributed;
  if (dist) {
    lines.push('', b(`  █ ZONES`) + dim(`  (${dist.shards} of ${dist.expected} shards merged; ${dist.quantiles})`), '');
    const head = ['zone', 'shards', 'share', 'iters', 'reqs', 'errors', '429s', 'ttft p50', 'p95', 'p99', 'cost $', 'start skew'];
    const rowOf = (z: DistRow) => [z.name, String(z.shards), `${(z.share * 100).toFixed(1)}%`, String(z.iterations), String(z.requests), `${z.errors}${Object.keys(z.errors_by_kind).length ? ` (${Object.entries(z.errors_by_kind).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`, String(z.rate_limited), n(z.ttft_p50), n(z.ttft_p95), n(z.ttft_p99), z.cost_usd.toFixed(4), z.start_skew_ms === null ? '-' : `${z.start_skew_ms} ms`];
    for (const [title, rows] of [['', dist.zones], ['instance', dist.instances]] as const) {
      if (title) lines.push('');
      const hh = title ? [title, ...head.slice(1)] : head;
      const rr = rows.map(rowOf);
      const w = hh.map((h, i) => Math.max(h.length, ...rr.map((row) => row[i]!.length)));
      const fmtRow = (row: string[]) => '    ' + row.map((c, i) => (i < 1 || i === 5 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
      lines.push(dim(fmtRow(hh)));
      for (const row of rr) lines.push(fmtRow(row));
    }
    if (dist.partial) lines.push('', r(`    ! PARTIAL: missing ${dist.missing.map((m) => `${m.name ?? 'shard'} (segment ${m.segment})`).join(', ')}`));
  }
  if (d.outputs) {
    for (const [name, rep] of Object.entries(d.outputs)) lines.push('', `    output ${name}: ${JSON.stringify(rep)}`);
  }
  lines.push('', `  ${d.state.aborted ? r('█ ABORTED') : b('█')} run ${(d.state.testRunDurationMs / 1000).toFixed(1)}s${d.state.abortReason ? ` — ${d.state.abortReason}` : ''}`, '');
  return lines.join('\n');
}

interface DistRow { name: string; shards: number; share: number; iterations: number; requests: number; errors: number; errors_by_kind: Record<string, number>; rate_limited: number; ttft_p50: number | null; ttft_p95: number | null; ttft_p99: number | null; cost_usd: number; start_skew_ms: number | null }

function n(x: number | null): string { return x === null ? '-' : x.toFixed(0); }

function collectChecks(gr: SummaryData['root_group']): Array<{ path: string; passes: number; fails: number }> {
  const out: Array<{ path: string; passes: number; fails: number }> = [];
  const walk = (node: SummaryData['root_group']) => {
    for (const c of node.checks) out.push({ path: c.path, passes: c.passes, fails: c.fails });
    for (const ch of node.groups) walk(ch);
  };
  walk(gr);
  return out;
}
