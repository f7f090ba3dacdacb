// Goodput (issue #17): `--goodput` as vLLM spells it; llm_good and llm_goodput against the
// per-request log's own facts, on a simulator whose TTFT varies (the holysheep profile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp } from './helpers.ts';

test('--goodput ttft:B: llm_good and llm_goodput count exactly the successful, complete requests with TTFT ≤ B', async () => {
  const sim = await startSimProcess(['--profile', 'holysheep', '--seed', '11']);
  try {
    const dir = tmp('good');
    const r = await runCli(['run', 'test/scenarios/compare.ts', '-q', '--results-dir', dir, '-e', 'DURATION=4s', '--goodput', 'ttft:60', 'e2e:5000'], { env: { BASE_URL: sim.url }, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const recs = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    const truth = recs.filter((x) => x.error_kind === null && !x.incomplete && x.ttft_ms !== null && x.ttft_ms <= 60 && x.e2e_ms <= 5000).length;
    assert.ok(truth > 0 && truth < recs.length, `a mix: ${truth} of ${recs.length} good`);
    assert.equal(recs.filter((x) => x.good).length, truth, 'the log marks the same requests');
    const s = r.summary;
    assert.equal(s.metrics.llm_goodput.values.count, truth);
    assert.equal(s.metrics.llm_good.values.passes, truth);
    assert.equal(s.metrics.llm_good.values.passes + s.metrics.llm_good.values.fails, recs.length);
    assert.deepEqual(s.run.goodput, { ttft: 60, e2e: 5000 });
    assert.match(readFileSync(join(dir, 'summary.txt'), 'utf8'), /goodput \(ttft ≤ 60 ms, e2e ≤ 5000 ms\): [\d.]+ % of requests good/);
    const c = await runCli(['compare', dir, '--format', 'json'], { summary: false });
    assert.equal(JSON.parse(c.stdout).rows[0].good_pct, Math.round((10000 * truth) / recs.length) / 100);
    // --no-request-log keeps none
    const quiet = tmp('nolog');
    const nl = await runCli(['run', 'test/scenarios/compare.ts', '-q', '--results-dir', quiet, '-e', 'DURATION=1s', '--no-request-log'], { env: { BASE_URL: sim.url }, timeoutMs: 60_000 });
    assert.equal(nl.code, 0, nl.stderr);
    assert.ok(existsSync(join(quiet, 'summary.json')) && !existsSync(join(quiet, 'requests.ndjson.gz')) && !existsSync(join(quiet, '.requests')));
    assert.equal(nl.summary.run.request_log, undefined);
    const bad = await runCli(['run', 'test/scenarios/compare.ts', '-q', '--goodput', 'latency:5'], { env: { BASE_URL: sim.url }, summary: false });
    assert.equal(bad.code, 104);
    assert.match(bad.stderr, /invalid goodput bound "latency:5": use ttft, tpot or e2e/);
  } finally { await sim.stop(); }
});
