// Provider comparison (issue #15): several providers under the same load in one run, the
// per-request log, and `llmload compare` with bootstrap intervals — against simulators with
// known, different (or identical) latency profiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp, plantedKey, type SimProcess } from './helpers.ts';
import { priceFor } from '../lib/pricing/index.ts';
import { launch } from './browser.ts';

const KEYS = { HOLYSHEEP_API_KEY: plantedKey('holysheep'), OPENROUTER_API_KEY: plantedKey('openrouter') };

async function twoProviderRun(a: string[], b: string[], dir: string) {
  const sims: SimProcess[] = [await startSimProcess(a), await startSimProcess(b)];
  try {
    const r = await runCli(['run', 'test/scenarios/compare.ts', '-q', '--results-dir', dir], {
      env: { ...KEYS, PROVIDERS: 'holysheep,openrouter', HOLYSHEEP_BASE_URL: sims[0]!.url, OPENROUTER_BASE_URL: sims[1]!.url }, timeoutMs: 90_000,
    });
    assert.equal(r.code, 0, r.stderr);
    return r;
  } finally { for (const s of sims) await s.stop(); }
}

function records(dir: string): any[] {
  return gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
}

test('two providers with different profiles under one load: ranked as their profiles say, the difference excludes zero, same request counts; cost = tokens × price', async () => {
  const dir = tmp('cmp');
  const r = await twoProviderRun(['--profile', 'holysheep', '--seed', '5'], ['--profile', 'openrouter', '--seed', '5'], dir);
  const recs = records(dir);
  const by = (p: string) => recs.filter((x) => x.provider === p);
  const [h, o] = [by('holysheep'), by('openrouter')];
  assert.ok(h.length >= 70 && o.length >= 70, `${h.length} / ${o.length} requests`);
  assert.ok(Math.abs(h.length - o.length) / Math.max(h.length, o.length) <= 0.02, `same load: ${h.length} vs ${o.length}`);
  assert.deepEqual(r.summary.run.providers, ['holysheep', 'openrouter']);
  // the log agrees with the run's own summary
  for (const p of ['holysheep', 'openrouter']) {
    const row = r.summary.llm.byModel.find((m: any) => m.provider === p);
    assert.equal(row.requests, by(p).length, `${p}: requests in the log = in the summary`);
    assert.equal(row.errors, by(p).filter((x) => x.error_kind).length);
  }

  const c = await runCli(['compare', dir, '--format', 'json', '--monthly-requests', '1000000'], { summary: false });
  assert.equal(c.code, 0, c.stderr);
  const cmp = JSON.parse(c.stdout);
  assert.deepEqual(cmp.rows.map((x: any) => x.provider), ['holysheep', 'openrouter'], 'ranked by TTFT p50');
  const d = cmp.differences.find((x: any) => x.column === 'ttft_p50');
  assert.equal(d.key, 'openrouter');
  assert.ok(d.diff.lo > 0 && d.significant, `openrouter − holysheep TTFT p50: ${JSON.stringify(d.diff)}`);
  assert.ok(cmp.rows[0].best.includes('ttft_p50'), 'holysheep marked best on TTFT p50');
  // compare and the summary agree on the same data (the summary's sketch is within 1 %)
  for (const row of cmp.rows) {
    const s = r.summary.llm.byModel.find((m: any) => m.provider === row.provider);
    assert.equal(row.requests, s.requests);
    // both medians lie between the two middle TTFTs of the log (the summary's sketch picks a
    // rank within 1 %, compare interpolates between the two: with ~80 samples they may differ)
    const t = by(row.provider).filter((x) => x.error_kind === null && x.ttft_ms !== null).map((x) => x.ttft_ms).sort((a: number, b: number) => a - b);
    const lo = t[Math.floor((t.length - 1) / 2)], hi = t[Math.ceil((t.length - 1) / 2)];
    assert.ok(row.ttft_p50 >= lo - 0.01 && row.ttft_p50 <= hi + 0.01, `${row.provider} compare p50 ${row.ttft_p50} in [${lo}, ${hi}]`);
    assert.ok(s.ttft_p50 >= lo * 0.99 - 0.01 && s.ttft_p50 <= hi * 1.01 + 0.01, `${row.provider} summary p50 ${s.ttft_p50} in [${lo}, ${hi}]`);
    assert.ok(Math.abs(row.cost_usd - s.cost_usd) < 1e-6, `${row.provider} cost ${row.cost_usd} vs ${s.cost_usd}`);
  }
  // cost by hand: tokens × lib/pricing's prices
  for (const row of cmp.rows) {
    const price = priceFor(row.provider, 'gpt-4.1')!;
    const mine = by(row.provider);
    const usd = mine.reduce((a, x) => a + (x.in_tok * price.inputPerMTok + x.out_tok * price.outputPerMTok) / 1e6, 0);
    const out = mine.reduce((a, x) => a + x.out_tok, 0);
    assert.ok(Math.abs(row.cost_usd - usd) < 1e-6, `${row.provider}: ${row.cost_usd} vs ${usd}`);
    assert.ok(Math.abs(row.usd_per_m_output - (usd / out) * 1e6) < 1e-3);
    assert.ok(Math.abs(row.monthly_usd - (usd / mine.length) * 1e6) < 0.01, `${row.monthly_usd} vs ${(usd / mine.length) * 1e6}`);
  }

  // per provider and model, and a monthly projection for a stated token volume
  const bm = JSON.parse((await runCli(['compare', dir, '--format', 'json', '--by', 'model', '--monthly-tokens', '1000000,2000000'], { summary: false })).stdout);
  assert.deepEqual(bm.rows.map((x: any) => x.key), ['holysheep gpt-4.1', 'openrouter gpt-4.1']);
  for (const row of bm.rows) {
    const p = priceFor(row.provider, 'gpt-4.1')!;
    assert.ok(Math.abs(row.monthly_usd - (1e6 * p.inputPerMTok + 2e6 * p.outputPerMTok) / 1e6) < 0.01, `${row.key}: ${row.monthly_usd}`);
  }

  // Markdown with the seed's columns; HTML in Chromium: every chart drawn, no network
  const md = await runCli(['compare', dir, '--format', 'md'], { summary: false });
  assert.match(md.stdout.split('\n')[0]!, /^\| provider \| requests \| RPS \| RPS all \| success % \| error rate \| 429s \| retries \| TTFT p50 \| TTFT p95 \| TTFT p99 \| e2e p50 \| e2e p95 \| e2e p99 \| ITL p50 \| in tok p50\/p95 \| out tok p50\/p95 \| out tok\/s \| \$\/M out \| ¥\/M out \| run \$ \|$/);
  assert.match(md.stdout, /\| holysheep \|.*\*\*/);
  const html = join(dir, 'compare.html');
  const h2 = await runCli(['compare', dir, '--format', 'html', '--out', html], { summary: false });
  assert.equal(h2.code, 0, h2.stderr);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (q) => requests.push(q.url()));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto('file://' + html);
    // every chart drawn: one line per provider in each
    for (const id of ['ttft-cdf', 'ttft-time', 'e2e-time', 'errors-time']) {
      const drawn = await page.evaluate((sel) => [...document.querySelectorAll(`#${sel} path.line`)].map((p) => ({ key: p.getAttribute('data-key'), len: (p as SVGPathElement).getTotalLength() })), id);
      assert.deepEqual(drawn.map((x) => x.key), ['holysheep', 'openrouter'], id);
      assert.ok(drawn.every((x) => x.len > 50), `${id}: ${JSON.stringify(drawn)}`);
    }
    // every axis reads as a scale: five distinct labels, also on a chart whose values are all 0
    for (const id of ['ttft-cdf', 'ttft-time', 'e2e-time', 'errors-time']) {
      const ticks = await page.evaluate((sel) => [...document.querySelectorAll(`#${sel} text.ytick`)].map((t) => t.textContent), id);
      assert.equal(new Set(ticks).size, 5, `${id} y axis: ${ticks.join(' ')}`);
    }
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), []);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(dir, 'compare.png'), fullPage: true });
  } finally { await browser.close(); }
});

test('two providers with the same profile: no column has a winner', async () => {
  const dir = tmp('cmp');
  await twoProviderRun(['--profile', 'holysheep', '--seed', '9'], ['--profile', 'holysheep', '--seed', '9'], dir);
  const c = await runCli(['compare', dir, '--format', 'json'], { summary: false });
  assert.equal(c.code, 0, c.stderr);
  const cmp = JSON.parse(c.stdout);
  assert.equal(cmp.rows.length, 2);
  assert.deepEqual(cmp.rows.flatMap((x: any) => x.best), [], JSON.stringify(cmp.rows.map((x: any) => x.ci)));
  const text = await runCli(['compare', dir], { summary: false });
  assert.ok(!text.stdout.split('\n').slice(1, 3).some((l) => l.includes('★')), text.stdout);
});

test('compare over two earlier results folders: each row is that run\'s own summary; bad input is one line', async () => {
  const sim = await startSimProcess(['--profile', 'holysheep']);
  try {
    const dirs = [tmp('one'), tmp('two')];
    for (const [i, p] of (['holysheep', 'openrouter'] as const).entries()) {
      const r = await runCli(['run', 'test/scenarios/compare.ts', '-q', '--results-dir', dirs[i]!, '-e', 'DURATION=3s'], { env: { ...KEYS, PROVIDER: p, BASE_URL: sim.url }, timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
    }
    const c = await runCli(['compare', ...dirs, '--format', 'json', '--baseline', 'openrouter'], { summary: false });
    assert.equal(c.code, 0, c.stderr);
    const cmp = JSON.parse(c.stdout);
    assert.equal(cmp.baseline, 'openrouter');
    assert.deepEqual(cmp.warnings, [], 'same script and load: like for like');
    for (const [i, p] of (['holysheep', 'openrouter'] as const).entries()) {
      const s = JSON.parse(readFileSync(join(dirs[i]!, 'summary.json'), 'utf8'));
      const row = cmp.rows.find((x: any) => x.provider === p);
      assert.deepEqual(row.runs, [dirs[i]!.split('/').pop()]);
      assert.equal(row.requests, s.llm.totals.requests);
      assert.ok(Math.abs(row.cost_usd - s.llm.totals.cost_usd) < 1e-6);
    }
    const none = await runCli(['compare', tmp('empty')], { summary: false });
    assert.equal(none.code, 104);
    assert.match(none.stderr, /no summary\.json/);
    const badFmt = await runCli(['compare', dirs[0]!, '--format', 'pdf'], { summary: false });
    assert.equal(badFmt.code, 104);
    assert.match(badFmt.stderr, /invalid --format "pdf": use text, md, html or json/);
    const badBase = await runCli(['compare', ...dirs, '--baseline', 'nobody'], { summary: false });
    assert.equal(badBase.code, 104);
    assert.match(badBase.stderr, /--baseline "nobody" is not in the comparison: choose one of/);
    assert.ok(existsSync(join(dirs[0]!, 'requests.ndjson.gz')));
  } finally { await sim.stop(); }
});

test('compare over runs of one provider: a row per run (labelled), a run with every stream cut reads 0 % success, runs under different loads are flagged; plan takes -e', async () => {
  const sim = await startSimProcess(['--profile', 'fast']);
  const cut = await startSimProcess(['--profile', 'fast', '--fault', 'cut_done:1']);
  try {
    const [before, after, slower, cutDir] = [tmp('before'), tmp('after'), tmp('slower'), tmp('cut')];
    const run = async (dir: string, url: string, rate: string) => {
      const r = await runCli(['run', 'test/scenarios/compare.ts', '-q', '--results-dir', dir, '-e', 'DURATION=2s', '-e', `RATE=${rate}`], { env: { ...KEYS, PROVIDER: 'holysheep', BASE_URL: url }, timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
      return r;
    };
    await run(before, sim.url, '8');
    await run(after, sim.url, '8');
    await run(slower, sim.url, '4');
    const c = await run(cutDir, cut.url, '8');
    assert.equal(c.summary.metrics.llm_incomplete.values.rate, 1, 'every stream cut: the run itself says 100 % incomplete');

    // same provider, same load: two rows, named by --label, no warning
    const two = JSON.parse((await runCli(['compare', before, after, '--label', 'before', '--label', 'after', '--format', 'json'], { summary: false })).stdout);
    assert.deepEqual(two.rows.map((r: any) => r.key).sort(), ['holysheep @ after', 'holysheep @ before']);
    assert.deepEqual(two.warnings, []);
    for (const [label, dir] of [['before', before], ['after', after]] as const) {
      const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      assert.equal(two.rows.find((r: any) => r.key === `holysheep @ ${label}`).requests, s.llm.totals.requests, label);
    }
    // folder names without --label
    const named = JSON.parse((await runCli(['compare', before, after, '--format', 'json'], { summary: false })).stdout);
    assert.deepEqual(named.rows.map((r: any) => r.key).sort(), [`holysheep @ ${after.split('/').pop()}`, `holysheep @ ${before.split('/').pop()}`].sort());
    const badLabels = await runCli(['compare', before, after, '--label', 'x'], { summary: false });
    assert.equal(badLabels.code, 104);
    assert.match(badLabels.stderr, /--label given 1 time\(s\) for 2 results folder\(s\)/);

    // every stream cut: no success in compare either, and the error rate says so
    const cc = JSON.parse((await runCli(['compare', before, cutDir, '--format', 'json'], { summary: false })).stdout);
    const cutRow = cc.rows.find((r: any) => r.runs.includes(cutDir.split('/').pop()));
    assert.equal(cutRow.success_pct, 0);
    assert.equal(cutRow.incomplete, cutRow.requests);
    assert.equal(cutRow.ttft_p50, null, 'no latency from dropped work');
    const text = (await runCli(['compare', before, cutDir], { summary: false })).stdout;
    assert.match(text, /incomplete=\d+/);

    // different loads: said, and no ★
    const diff = await runCli(['compare', before, slower], { summary: false });
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /Not like for like \(no ★ marked\):\n {2}the runs' loads differ: \S+: 8\/s for 2s; \S+: 4\/s for 2s/);
    assert.ok(!diff.stdout.split('\n').slice(1, 3).some((l) => l.includes('★')), diff.stdout);
  } finally { await sim.stop(); await cut.stop(); }

  // plan accepts -e as run does (k6 users' habit), for the script's options and every pod
  const out = tmp('plan');
  const p = await runCli(['plan', 'test/scenarios/compare.ts', '--out', out, '-e', 'RATE=3', '--start-at', '2030-01-01T00:00:00Z'], { summary: false });
  assert.equal(p.code, 0, p.stderr);
  assert.match(readFileSync(join(out, 'job-local.yaml'), 'utf8'), /- -e\n\s+- RATE=3\n/, 'every pod runs with -e RATE=3');
  const bad = await runCli(['plan', 'test/scenarios/compare.ts', '--out', out, '-e', 'RATE'], { summary: false });
  assert.equal(bad.code, 104);
  assert.match(bad.stderr, /invalid -e "RATE": use NAME=VALUE/);
});

test('PROVIDERS with a provider whose key is missing fails before any request, naming the variable', async () => {
  const r = await runCli(['run', 'test/scenarios/compare.ts', '-q'], { env: { PROVIDERS: 'holysheep,openai', HOLYSHEEP_API_KEY: plantedKey('holysheep'), OPENAI_API_KEY: '' }, summary: false, timeoutMs: 30_000 });
  assert.equal(r.code, 112);
  assert.match(r.stderr, /OPENAI_API_KEY is not set/);
  assert.ok(r.ms < 10_000);
});

test('make bench SCENARIO=seed-locust PROVIDERS=holysheep,openrouter: the article\'s Locust workload on both providers at once, then compared', async () => {
  const sims: SimProcess[] = [await startSimProcess(['--profile', 'fast']), await startSimProcess(['--profile', 'fast'])];
  const dir = tmp('locust');
  try {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('make', ['--no-print-directory', 'bench', 'SCENARIO=seed-locust', 'PROFILE=short', 'PROVIDERS=holysheep,openrouter', `RESULTS_DIR=${dir}`, 'ARGS=-q -e DURATION=3s'], {
      cwd: join(import.meta.dirname, '..'), encoding: 'utf8', timeout: 90_000,
      env: { ...process.env, ...KEYS, HOLYSHEEP_BASE_URL: sims[0]!.url, OPENROUTER_BASE_URL: sims[1]!.url, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, r.stderr + r.stdout.slice(-2000));
    const recs = records(dir);
    const n = (p: string) => recs.filter((x) => x.provider === p).length;
    assert.ok(n('holysheep') > 20 && n('openrouter') > 20, `${n('holysheep')} / ${n('openrouter')}`);
    const streams = recs.filter((x) => x.stream).length;
    assert.ok(streams / recs.length > 0.6 && streams / recs.length < 0.9, `1 standard : 3 streaming, got ${streams} of ${recs.length} streamed`);
    const c = await runCli(['compare', dir], { summary: false });
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /^provider\s+requests/);
  } finally { for (const s of sims) await s.stop(); }
});
