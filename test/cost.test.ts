// Cost for any model (issue #27): a model outside the seed table is priced (genai-prices), the
// run's own prices win, the run's total is the sum of its request log, bad prices are one line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp, type SimProcess } from './helpers.ts';

let sim: SimProcess;
before(async () => { sim = await startSimProcess(['--ttft-ms', '5', '--itl-ms', '1']); });
after(async () => { await sim?.stop(); });

const log = (dir: string) => gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));

test('gpt-4o-mini (not in the seed table) is priced by genai-prices; the total is the sum of the request log', async () => {
  const dir = tmp('res');
  const r = await runCli(['run', 'test/scenarios/priced.ts', '-q', '--results-dir', dir, '-e', `BASE_URL=${sim.url}`, '-e', 'MODEL=gpt-4o-mini'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const row = r.summary.llm.byModel[0];
  assert.match(row.price_source, /^genai-prices \S+: openai\/gpt-4o-mini/);
  assert.equal(r.summary.metrics.llm_unpriced, undefined);
  const recs = log(dir);
  // gpt-4o-mini's list price: $0.15 in, $0.60 out per MTok
  for (const q of recs) assert.ok(Math.abs(q.cost_usd - (q.in_tok * 0.15 + q.out_tok * 0.6) / 1e6) < 1e-9, JSON.stringify(q));
  const sum = recs.reduce((a, q) => a + q.cost_usd, 0);
  assert.ok(Math.abs(r.summary.llm.totals.cost_usd - sum) < 1e-6, `${r.summary.llm.totals.cost_usd} vs ${sum}`);
  assert.equal(JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).prices.models['sim/gpt-4o-mini'], row.price_source, 'metadata says who priced it');
});

test('options.llm.prices price a model nobody else does, and win over the others', async () => {
  const dir = tmp('res');
  const prices = JSON.stringify({ 'sim/mystery-7b': { input: 1, output: 3 }, 'gpt-4o-mini': { input: 10, output: 20 } });
  for (const model of ['mystery-7b', 'gpt-4o-mini']) {
    const r = await runCli(['run', 'test/scenarios/priced.ts', '-q', '--results-dir', dir, '-e', `BASE_URL=${sim.url}`, '-e', `MODEL=${model}`, '-e', `PRICES_JSON=${prices}`], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.summary.llm.byModel[0].price_source, 'options.llm.prices');
    const [a, b] = model === 'mystery-7b' ? [1, 3] : [10, 20];
    for (const q of log(dir)) assert.ok(Math.abs(q.cost_usd - (q.in_tok * a + q.out_tok * b) / 1e6) < 1e-9, JSON.stringify(q));
  }
});

test('a bad price: one line naming the key and the field, exit 104', async () => {
  for (const [prices, re] of [[{ 'sim/x': { input: 1, output: 2, cached: 0.5 } }, /options\.llm\.prices\["sim\/x"\]: unknown field "cached": valid fields are input, output, cachedInput, cacheWrite/], [{ 'sim/x': { input: -1, output: 2 } }, /options\.llm\.prices\["sim\/x"\]\.input must be a price ≥ 0/]] as const) {
    const r = await runCli(['run', 'test/scenarios/priced.ts', '-q', '-e', `BASE_URL=${sim.url}`, '-e', `PRICES_JSON=${JSON.stringify(prices)}`], { timeoutMs: 60_000 });
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
