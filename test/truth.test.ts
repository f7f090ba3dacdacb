// The reported numbers against the truth (issue #18): a run of the seed's model mix on the
// simulator's holysheep profile (TTFT 20 ms … 2.2 s, lognormal ITL and lengths, 0.8 % errors),
// every figure of summary.json — TTFT, ITL, TPOT, tokens, errors, cost, the per-model table —
// compared with the simulator's per-request ground truth (joined on the request id), with
// tokens × the vendor's list price, and with what the HTML report shows a reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp, quantile, median } from './helpers.ts';
import { reportFigures } from './browser.ts';
import type { GroundTruth } from '../sim/server.ts';
import type { RequestRecord } from '../lib/llm/types.ts';

// USD per million tokens (input, output): the simulator bills like HolySheep, whose list
// prices these are (docs/PRICING.md) — inputs of the arithmetic, written out here so that the
// test does not reuse the code it checks
const PRICE: Record<string, [number, number]> = { 'gpt-4.1': [2, 8], 'claude-sonnet-4.5': [3, 15], 'gemini-2.5-flash': [0.3, 2.5], 'deepseek-v3.2': [0.28, 0.42] };

/** the summary's quantile (sketch, rank q·(n−1), relative error ≤ 1 %) lies between the
 *  exact samples either side of that rank, widened by the sketch's bound */
function assertQuantile(what: string, got: number, xs: number[], q: number, abs = 0.001): void {
  const s = [...xs].sort((a, b) => a - b);
  const rank = q * (s.length - 1);
  const lo = s[Math.floor(rank)]! * 0.99 - abs, hi = s[Math.ceil(rank)]! * 1.01 + abs;
  assert.ok(got >= lo && got <= hi, `${what}: reported ${got.toFixed(3)}, exact samples at its rank ${s[Math.floor(rank)]!.toFixed(3)}…${s[Math.ceil(rank)]!.toFixed(3)} (n ${s.length})`);
}

/** "44 ms" / "1.27 s" → ms, with the rounding the report's formatting allows */
function shownMs(text: string): { v: number; tol: number } {
  const m = /^([\d.]+) (ms|s)$/.exec(text.trim());
  assert.ok(m, `a duration: "${text}"`);
  return m![2] === 's' ? { v: Number(m![1]) * 1000, tol: 5 } : { v: Number(m![1]), tol: 0.5 };
}
function assertShown(what: string, text: string, want: number): void {
  const { v, tol } = shownMs(text);
  assert.ok(Math.abs(v - want) <= tol + 1e-9, `${what}: report shows "${text}", summary.json has ${want}`);
}

test('summary TTFT, ITL, TPOT, tokens, errors and cost match the simulator\'s per-request truth; the per-model table and the HTML report show the same', async () => {
  const gtFile = tmp('gt.jsonl');
  const sim = await startSimProcess(['--profile', 'holysheep', '--seed', '7', '--ground-truth', gtFile]);
  const dir = tmp('truth');
  let r;
  try {
    r = await runCli(['run', 'test/scenarios/truth.ts', '-q', '--results-dir', dir, '-e', 'RATE=20', '-e', 'DURATION=8s'], { env: { BASE_URL: sim.url }, timeoutMs: 90_000 });
  } finally { await sim.stop(); }
  assert.equal(r.code, 0, r.stderr);
  const s = r.summary;
  const recs: RequestRecord[] = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
  const truth = new Map<string, GroundTruth>(readFileSync(gtFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GroundTruth).filter((g) => g.path.startsWith('/v1/chat')).map((g) => [g.id, g]));

  // every request the client made is one the server saw, and the other way round
  assert.ok(recs.length >= 150, `requests ${recs.length}`);
  assert.equal(truth.size, recs.length);
  const joined = recs.map((x) => { const g = truth.get(x.req_id!); assert.ok(g, `ground truth for ${x.req_id}`); return { x, g: g! }; });
  assert.equal(s.metrics.llm_requests.values.count, recs.length);

  // errors: the server's non-200 answers, counted as errors, none more
  const failed = joined.filter(({ g }) => g.status !== 200);
  assert.equal(joined.filter(({ x }) => x.error_kind !== null).length, failed.length);
  assert.equal(s.metrics.llm_errors.values.passes, failed.length);
  const ok = joined.filter(({ g }) => g.status === 200);

  // tokens: exactly what the server generated (usage), summed
  for (const { x, g } of ok) { assert.equal(x.out_tok, g.tokens, `${x.req_id} output tokens`); assert.equal(x.in_tok, g.input_tokens, `${x.req_id} input tokens`); }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  assert.equal(s.metrics.llm_output_tokens.values.count, sum(ok.map(({ g }) => g.tokens)) + sum(failed.map(({ x }) => x.out_tok)));
  assert.equal(s.metrics.llm_input_tokens.values.count, sum(recs.map((x) => x.in_tok)));

  // cost: tokens × list price, per request and in total
  const cost = (x: RequestRecord) => (x.in_tok * PRICE[x.model]![0] + x.out_tok * PRICE[x.model]![1]) / 1e6;
  for (const x of recs) assert.ok(Math.abs(x.cost_usd - cost(x)) < 1e-12, `${x.req_id} cost ${x.cost_usd} vs ${cost(x)}`);
  assert.ok(Math.abs(s.metrics.llm_cost_usd.values.count - sum(recs.map(cost))) < 1e-9, `cost ${s.metrics.llm_cost_usd.values.count} vs ${sum(recs.map(cost))}`);

  // TTFT: the client's error per request against the server's clock (same monotonic base) is
  // small and never negative; the summary's quantiles are those of the per-request values
  const truthTtft = ok.map(({ g }) => g.first_token_ms! - g.arrival_ms);
  const errs = ok.map(({ x, g }) => x.ttft_ms! - (g.first_token_ms! - g.arrival_ms));
  assert.ok(Math.min(...errs) >= -0.01, `a TTFT shorter than the server's own: ${Math.min(...errs)}`);
  assert.ok(median(errs) <= 2 && quantile(errs, 0.9) <= 5, `TTFT error per request p50 ${median(errs).toFixed(3)} p90 ${quantile(errs, 0.9).toFixed(3)} ms`);
  const ttft = ok.map(({ x }) => x.ttft_ms!);
  // every client TTFT is its truth plus its error, so a quantile moves up by no more than the
  // largest error (order statistics): usually ≤ 5 ms, but a request caught in the simulator's
  // accept queue in the first second can be tens of ms late (docs/PERFORMANCE.md, "The whole
  // process") and, near a sparse quantile, carry it (CI: p(90) 531.15 vs 508.17 once). The
  // errors themselves are bounded above (p50 ≤ 2, p90 ≤ 5 ms) and in the tail as a share: at
  // most 5 % of requests more than 20 ms off, beyond the worst stall the run measured in its
  // own threads (generator_timing_error). A wrong clock or a missed first byte moves many
  // requests, which this catches. Rare single requests do arrive 25–260 ms late with neither
  // process's event loop blocked (simulator write lateness max < 10 ms, client stall < 25 ms):
  // 0–4 of 160 requests in each of 10 runs here on 2026-12-06, at any time in the run, on both
  // HTTP clients — a loopback delivery delay not yet explained (docs/PERFORMANCE.md). 1 s stays a
  // hard limit.
  const maxErr = Math.max(...errs);
  const stall = s.metrics.generator_timing_error?.values.max ?? 0;
  const t0 = Math.min(...ok.map(({ x }) => x.t));
  const far = ok.map(({ x }, i) => ({ at: x.t - t0, e: errs[i]! })).filter((y) => y.e > Math.max(20, stall + 10));
  process.stdout.write(`# truth: TTFT errors over 20 ms: ${ok.map(({ x }, i) => ({ at: x.t - t0, e: errs[i]! })).filter((y) => y.e > 20).map((y) => `${y.e.toFixed(1)} ms at ${y.at} ms`).join(', ') || 'none'}; the run's worst stall ${stall.toFixed(1)} ms\n`);
  assert.ok(far.length <= 0.05 * errs.length, `${far.length} of ${errs.length} TTFT errors over 20 ms beyond the run's own worst stall (${stall.toFixed(1)} ms): ${far.map((y) => `${y.e.toFixed(1)} at ${y.at} ms`).join(', ')}`);
  assert.ok(maxErr <= 1000, `largest TTFT error ${maxErr.toFixed(2)} ms`);
  for (const [q, k] of [[0.5, 'med'], [0.9, 'p(90)'], [0.95, 'p(95)'], [0.99, 'p(99)']] as const) {
    assertQuantile(`llm_ttft ${k}`, s.metrics.llm_ttft.values[k], ttft, q);
    // and against the truth: the same quantile of the server's TTFTs, plus the client's error
    const t = quantile(truthTtft, q);
    assert.ok(s.metrics.llm_ttft.values[k] >= t * 0.98 - 0.5 && s.metrics.llm_ttft.values[k] <= t * 1.02 + Math.max(5, maxErr), `llm_ttft ${k} ${s.metrics.llm_ttft.values[k].toFixed(2)} vs truth ${t.toFixed(2)} (largest error ${maxErr.toFixed(2)} ms)`);
  }

  // ITL: the pooled gaps; TPOT: (last token − first token) / (tokens − 1), per request
  const truthGaps = ok.flatMap(({ g }) => g.token_ms.slice(1).map((t, i) => t - g.token_ms[i]!));
  const itlMed = s.metrics.llm_itl.values.med;
  assert.ok(Math.abs(itlMed - median(truthGaps)) <= 0.5 + 0.02 * median(truthGaps), `llm_itl median ${itlMed.toFixed(3)} vs truth ${median(truthGaps).toFixed(3)}`);
  const truthTpot = ok.filter(({ g }) => g.tokens > 1).map(({ g }) => (g.token_ms[g.token_ms.length - 1]! - g.token_ms[0]!) / (g.token_ms.length - 1));
  for (const [q, k] of [[0.5, 'med'], [0.95, 'p(95)']] as const) {
    const t = quantile(truthTpot, q);
    assert.ok(Math.abs(s.metrics.llm_tpot.values[k] - t) <= 0.3 + 0.02 * t, `llm_tpot ${k} ${s.metrics.llm_tpot.values[k].toFixed(3)} vs truth ${t.toFixed(3)}`);
  }
  // per request too: the log's median gap within 1 ms of the server's for 95 % of requests
  const itlErr = ok.filter(({ x }) => x.itl).map(({ x, g }) => Math.abs(x.itl!.p50 - median(g.token_ms.slice(1).map((t, i) => t - g.token_ms[i]!))));
  assert.ok(quantile(itlErr, 0.95) <= 1, `per-request ITL median error p95 ${quantile(itlErr, 0.95).toFixed(3)} ms`);

  // the per-model table: counts exact, quantiles those of the model's requests, cost summed
  const models = [...new Set(recs.map((x) => x.model))].sort();
  assert.deepEqual(models, Object.keys(PRICE).sort(), 'all four models of the mix ran');
  for (const m of models) {
    const row = s.llm.byModel.find((b: { model: string }) => b.model === m);
    const mine = joined.filter(({ x }) => x.model === m);
    const mineOk = mine.filter(({ g }) => g.status === 200);
    assert.equal(row.requests, mine.length, `${m} requests`);
    assert.equal(row.errors, mine.length - mineOk.length, `${m} errors`);
    assert.equal(row.output_tokens, sum(mine.map(({ x }) => x.out_tok)), `${m} output tokens`);
    assert.equal(row.input_tokens, sum(mine.map(({ x }) => x.in_tok)), `${m} input tokens`);
    assert.ok(Math.abs(row.cost_usd - sum(mine.map(({ x }) => cost(x)))) < 1e-6, `${m} cost ${row.cost_usd}`);
    assert.ok(Math.abs(row.share - mine.length / recs.length) < 1e-4, `${m} share`);
    // the row's figures are rounded to 0.01 ms
    for (const [q, k] of [[0.5, 'ttft_p50'], [0.95, 'ttft_p95']] as const) assertQuantile(`${m} ${k}`, row[k], mineOk.map(({ x }) => x.ttft_ms!), q, 0.005);
    assertQuantile(`${m} e2e_p95`, row.e2e_p95, mineOk.map(({ x }) => x.e2e_ms!), 0.95, 0.005);
  }
  // the model mix is the scenario's 40/30/20/10, within sampling noise of the run's size
  const share = (m: string) => recs.filter((x) => x.model === m).length / recs.length;
  assert.ok(Math.abs(share('gpt-4.1') - 0.4) < 0.12 && Math.abs(share('deepseek-v3.2') - 0.1) < 0.08, `mix ${models.map((m) => `${m} ${share(m).toFixed(2)}`).join(', ')}`);

  // the HTML report shows a reader the figures of summary.json
  const f = await reportFigures(join(dir, 'report.html'));
  const t = s.llm.totals;
  assert.equal(f.kpis.Requests!.value, String(t.requests));
  assert.equal(f.kpis['Error rate']!.value, `${(t.error_rate * 100).toFixed(2)}%`);
  assert.match(f.kpis['Error rate']!.sub, new RegExp(`^${t.errors} failed`));
  const [p50, p95] = f.kpis['TTFT p50 / p95']!.value.split(' / ');
  assertShown('TTFT p50', p50!, t.ttft_p50);
  assertShown('TTFT p95', p95!, t.ttft_p95);
  assertShown('TTFT p99', f.kpis['TTFT p50 / p95']!.sub.replace(/^p99 /, ''), t.ttft_p99);
  assertShown('E2E p95', f.kpis['End-to-end p95']!.value, t.e2e_p95);
  assert.equal(f.kpis['Output tokens']!.value, String(s.metrics.llm_output_tokens.values.count));
  // the report shows the totals row (rounded to 1e-6, like the per-model rows); the metric is the
  // unrounded counter: they agree to 1e-6, and the report prints the row, so a total on a
  // rounding edge (0.18305) cannot flip the fourth digit between the two
  assert.ok(Math.abs(t.cost_usd - s.metrics.llm_cost_usd.values.count) < 1e-6, `totals cost ${t.cost_usd} vs metric ${s.metrics.llm_cost_usd.values.count}`);
  assert.equal(f.kpis.Cost!.value, `$${t.cost_usd.toFixed(4)}`);
  const table = f.tables['Per model']!;
  assert.equal(table.rows.length, s.llm.byModel.length);
  const col = (name: string) => table.head.indexOf(name);
  for (const row of table.rows) {
    const b = s.llm.byModel.find((x: { model: string }) => x.model === row[col('Model')]);
    assert.ok(b, `report row for ${row[col('Model')]}`);
    assert.equal(row[col('Requests')], String(b.requests));
    assert.match(row[col('Errors')]!, new RegExp(`^${b.errors} \\(`));
    assertShown(`${b.model} TTFT p50`, row[col('TTFT p50')]!, b.ttft_p50);
    assertShown(`${b.model} TTFT p95`, row[col('p95')]!, b.ttft_p95);
    assertShown(`${b.model} E2E p95`, row[col('E2E p95')]!, b.e2e_p95);
    assert.equal(row[col('Cost USD')], `$${b.cost_usd.toFixed(4)}`);
  }
  // the TTFT histogram's axis reads as durations at 1-2-5 steps, each label once (the labels
  // uPlot drew; before the fix: "0 0 0 0 100 0 0 1.0s")
  const hist = f.axes.find((a) => a.id === 'c-hist')!;
  const labels = hist.axes[0]!.filter((x) => x !== '');
  assert.ok(labels.length >= 2, `histogram axis labels ${JSON.stringify(hist.axes[0])}`);
  for (const l of labels) assert.match(l, /^(0\.0*)?[125]0* (ms|s)$/, `histogram axis label "${l}" of ${JSON.stringify(labels)}`);
  assert.equal(new Set(labels).size, labels.length, `repeated labels ${JSON.stringify(labels)}`);
});
