// Outputs for the rest of the ecosystem (issue #19): a real Prometheus (Debian's 2.42, remote
// write receiver and native histograms on) receives runs over `--out experimental-prometheus-rw`;
// PromQL answers the run's counts exactly and its TTFT quantiles within the stated bound; every
// Prometheus dashboard panel's query returns data; Prometheus stopped mid-run loses points
// that are counted; `--out csv` parses back to the summary's counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp, ROOT, type SimProcess } from './helpers.ts';
import { startPrometheus, type Prometheus } from './prometheus.ts';

let prom: Prometheus;
let sim: SimProcess;
before(async () => {
  prom = await startPrometheus();
  // 429s (retried) and broken streams so that every panel has something to show; a prompt
  // cache for the scenario's shared system prompt (the prompt-cache panel)
  sim = await startSimProcess(['--profile', 'holysheep', '--seed', '3', '--fault', '429:0.08', '--fault', 'malformed_sse:0.04', '--prefix-cache', '256']);
});
after(async () => { await sim?.stop(); await prom?.stop(); });

const rwEnv = (extra: Record<string, string> = {}) => ({ BASE_URL: sim.url, K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s', ...extra });

/** the request log's TTFTs, sorted: the exact values the quantiles are checked against */
function ttfts(dir: string): number[] {
  return gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.ttft_ms !== null).map((r) => r.ttft_ms as number).sort((a, b) => a - b);
}

test('counts exact in PromQL, every Prometheus dashboard panel and variable answers, and --out csv parses back to the summary', async () => {
  const dir = tmp('prom-stats');
  const csv = join(dir, 'metrics.csv.gz');
  // a short spike (recovery has data too), tagged as one zone of a multi-region run
  const r = await runCli(['run', 'test/scenarios/spike.ts', '-q', '--results-dir', dir, '--tag', 'region=eu', '--tag', 'instance_id=eu-0', '--out', `experimental-prometheus-rw=${prom.writeUrl}`, '--out', `csv=${csv}`], { env: rwEnv(), timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stderr);
  const s = r.summary;
  const rep = s.outputs['experimental-prometheus-rw'];
  assert.equal(rep.lost, 0, JSON.stringify(rep));
  assert.equal(rep.written, rep.produced, JSON.stringify(rep));
  const id = s.run.testid;
  const one = async (qq: string) => { const res = await prom.query(qq); assert.equal(res.length, 1, `${qq} → ${JSON.stringify(res)}`); return Number(res[0]!.value![1]); };
  // counters are cumulative: the last sample of each series is its total
  assert.equal(await one(`sum(k6_llm_requests_total{testid="${id}"})`), s.metrics.llm_requests.values.count);
  assert.equal(await one(`sum(k6_llm_output_tokens_total{testid="${id}"})`), s.metrics.llm_output_tokens.values.count);
  assert.equal(await one(`sum(k6_http_reqs_total{testid="${id}"})`), s.metrics.http_reqs.values.count);
  assert.equal(await one(`sum(k6_llm_errors_passes_total{testid="${id}"})`), s.metrics.llm_errors.values.passes);
  assert.ok(s.metrics.llm_errors.values.passes > 0 && s.metrics.llm_retries.values.count > 0, 'the faults showed: errors and retries');
  assert.ok(Math.abs(await one(`sum(k6_llm_cost_usd_total{testid="${id}"})`) - s.metrics.llm_cost_usd.values.count) < 1e-9);
  // trend stats: one gauge per stat per push interval, in seconds
  const p95 = await prom.query(`k6_llm_ttft_p95{testid="${id}"}`);
  assert.ok(p95.length > 0 && p95.every((x) => Number(x.value![1]) > 0.005 && Number(x.value![1]) < 5), JSON.stringify(p95.slice(0, 2)));

  // every panel of every Prometheus dashboard, as Grafana would ask over the run's time range
  const start = Date.parse(s.run.started) / 1000 - 5, end = Date.parse(s.run.ended) / 1000 + 5;
  const fill = (x: string) => x.replace(/\$testid/g, id).replace(/\$provider|\$model|\$region/g, '.*').replace(/\$__rate_interval/g, '10s').replace(/\$__interval/g, '1s');
  const files = readdirSync(join(ROOT, 'grafana/json/prometheus')).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 5);
  let queries = 0;
  for (const f of files) {
    const d = JSON.parse(readFileSync(join(ROOT, 'grafana/json/prometheus', f), 'utf8'));
    assert.match(d.uid, /^llmload-prom-/);
    // template variables: label_values(SELECTOR, LABEL) is Grafana's; the API's label values
    for (const v of d.templating.list) {
      const m = /^label_values\((.+), (\w+)\)$/.exec(v.query);
      assert.ok(m, `${f} variable ${v.name}: ${v.query}`);
      const res = await (await fetch(`${prom.url}/api/v1/label/${m![2]}/values?match[]=${encodeURIComponent(fill(m![1]!))}`)).json() as { data: string[] };
      assert.ok(res.data.length > 0, `${f} variable ${v.name}: no values for ${v.query}`);
      queries++;
    }
    for (const p of d.panels.filter((x: any) => x.type !== 'row')) {
      assert.equal(p.datasource.uid, 'llmload-prometheus');
      for (const t of p.targets) {
        const expr = fill(t.expr);
        const res = await (await fetch(`${prom.url}/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start}&end=${end}&step=1`)).json() as { status: string; data: { result: Array<{ values: unknown[] }> } };
        assert.equal(res.status, 'success', expr);
        const points = res.data.result.reduce((a, x) => a + x.values.length, 0);
        // no recovery figure when the target did not recover (random faults): then none may show
        if (expr.includes('llm_recovery_seconds') && s.recovery && !s.recovery.recovered) { assert.equal(points, 0, `${f} "${p.title}": a figure for a run that did not recover`); queries++; continue; }
        assert.ok(points > 0, `${f} "${p.title}" ${t.refId}: no data for ${expr}`);
        queries++;
      }
    }
  }
  assert.ok(queries >= 30, `${queries} queries`);

  // CSV: k6's columns, gzip, and the same counts as the summary
  const rows = gunzipSync(readFileSync(csv)).toString('utf8').trim().split('\n');
  const head = rows[0]!.split(',');
  assert.deepEqual(head.slice(0, 3), ['metric_name', 'timestamp', 'metric_value']);
  assert.deepEqual(head.slice(-2), ['extra_tags', 'metadata']);
  const parsed = rows.slice(1).map((l) => { const c = l.split(','); return { name: c[0]!, ts: Number(c[1]), value: Number(c[2]), meta: new URLSearchParams(c[c.length - 1]!) }; });
  assert.ok(parsed.every((x) => Number.isInteger(x.ts) && x.ts > 1.7e9 && x.ts < 4e9), 'unix seconds');
  const total = (n: string) => parsed.filter((x) => x.name === n).reduce((a, x) => a + x.value, 0);
  assert.equal(total('llm_requests'), s.metrics.llm_requests.values.count);
  assert.equal(total('http_reqs'), s.metrics.http_reqs.values.count);
  assert.equal(total('llm_output_tokens'), s.metrics.llm_output_tokens.values.count);
  assert.equal(parsed.filter((x) => x.name === 'llm_errors').reduce((a, x) => a + Number(x.meta.get('passes')), 0), s.metrics.llm_errors.values.passes);
  assert.equal(parsed.filter((x) => x.name === 'llm_ttft').reduce((a, x) => a + Number(x.meta.get('count')), 0), ttfts(dir).length);
  assert.equal(s.outputs.csv.rows, rows.length - 1);
});

test('native histograms: TTFT quantiles from PromQL within the stated bound of the exact per-request values', async () => {
  const dir = tmp('prom-native');
  const r = await runCli(['run', 'test/scenarios/truth.ts', '-q', '--results-dir', dir, '-e', 'DURATION=5s', '--out', `experimental-prometheus-rw=${prom.writeUrl}`], { env: rwEnv({ K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true' }), timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stderr);
  const id = r.summary.run.testid;
  const xs = ttfts(dir);
  const n = xs.length;
  const res = await prom.query(`histogram_count(sum(k6_llm_ttft_seconds{testid="${id}"}))`);
  assert.equal(Number(res[0]!.value![1]), n, 'the histogram holds every TTFT');
  for (const q of [0.5, 0.9, 0.95, 0.99]) {
    const got = Number((await prom.query(`histogram_quantile(${q}, sum(k6_llm_ttft_seconds{testid="${id}"}))`))[0]!.value![1]) * 1000;
    // Prometheus takes rank q·n, the summary q·(n−1): the bound is 1 % of a sample between
    // those ranks (docs/OUTPUTS.md)
    const lo = xs[Math.floor(q * (n - 1))]! * 0.99, hi = xs[Math.min(n - 1, Math.ceil(q * n))]! * 1.01;
    assert.ok(got >= lo && got <= hi, `p${q * 100}: PromQL ${got.toFixed(2)} ms, exact ${lo.toFixed(2)}…${hi.toFixed(2)} (summary ${r.summary.metrics.llm_ttft.values[q === 0.5 ? 'med' : `p(${q * 100})`]?.toFixed(2)})`);
  }
});

test('Prometheus stopped mid-run: the run ends on time, the samples it could not deliver are counted and the summary says so', async () => {
  const p2 = await startPrometheus();
  let stopped = false;
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=8s', '-e', 'RATE=50', '--out', `experimental-prometheus-rw=${p2.writeUrl}`], {
    env: { K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s', PROMETHEUS_RW_STOP_TIMEOUT: '2s' },
    onSpawn: () => setTimeout(() => { stopped = true; void p2.stop(); }, 4500),
    timeoutMs: 60_000,
  });
  assert.ok(stopped);
  assert.equal(r.code, 0, r.stderr);
  const rep = r.summary.outputs['experimental-prometheus-rw'];
  assert.ok(rep.written > 0 && rep.lost > 0, JSON.stringify(rep));
  assert.equal(rep.written + rep.lost, rep.produced, JSON.stringify(rep));
  assert.ok(r.ms < 25_000, `took ${r.ms} ms`);
  assert.match(r.stderr, /WARN output experimental-prometheus-rw: .* is not taking samples/);
  assert.match(r.stdout, /output experimental-prometheus-rw: .*"lost":[1-9]/);
});

test('bad remote-write settings: one line each, exit 104', async () => {
  const cases: Array<[Record<string, string>, string[], RegExp]> = [
    [{}, ['--out', 'experimental-prometheus-rw=ftp://x'], /the URL must start with http:\/\/ or https:\/\//],
    [{ K6_PROMETHEUS_RW_TREND_STATS: 'p(99),mean' }, ['--out', 'prometheus-rw=http://127.0.0.1:9/api/v1/write'], /invalid trend stat "mean": use p\(N\), avg, min, max, med, count or sum/],
    [{ K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'maybe' }, ['--out', 'experimental-prometheus-rw'], /invalid K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM "maybe": use true or false/],
    [{ K6_CSV_TIME_FORMAT: 'iso' }, ['--out', 'csv=x.csv'], /invalid K6_CSV_TIME_FORMAT "iso": valid formats are unix, unix_milli/],
  ];
  for (const [env, args, rx] of cases) {
    const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=1s', ...args], { env, summary: false });
    assert.equal(r.code, 104, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, rx);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
