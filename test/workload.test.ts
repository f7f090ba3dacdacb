// Workloads (issue #26) end to end: synthetic lengths as the simulator counted them, the seed
// workload's ISL/OSL knobs refusing what cannot work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp } from './helpers.ts';

test('synthetic ISL=500 ISL_STDDEV=100 OSL=200: the server counted mean 500 ± 3 %, sd 100 ± 15 %; ≥ 99 % of answers exactly 200 tokens', async () => {
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--ttft-ms', '5', '--itl-ms', '1', '--ground-truth', gt]);
  try {
    const dir = tmp('res');
    const r = await runCli(['run', 'test/scenarios/synthetic.ts', '-q', '--results-dir', dir, '-e', `BASE_URL=${sim.url}`, '-e', 'ISL=500', '-e', 'ISL_STDDEV=100', '-e', 'OSL=200'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    await new Promise((res) => setTimeout(res, 300));
    const rows = readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((g) => g.path.includes('chat'));
    assert.equal(rows.length, 300);
    // the simulator counts the prompt with the model family's tokenizer (o200k for gpt-4.1), after
    // a separator line: one token more than the content
    const ins = rows.map((g) => g.input_tokens - 1);
    const mean = ins.reduce((a, b) => a + b, 0) / ins.length;
    const sd = Math.sqrt(ins.reduce((a, b) => a + (b - mean) ** 2, 0) / ins.length);
    assert.ok(Math.abs(mean / 500 - 1) <= 0.03, `input mean ${mean.toFixed(1)}`);
    assert.ok(Math.abs(sd / 100 - 1) <= 0.15, `input sd ${sd.toFixed(1)}`);
    const log = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    const exact = log.filter((q) => q.out_tok === 200).length / log.length;
    assert.ok(exact >= 0.99, `${(100 * exact).toFixed(1)} % of answers had exactly 200 tokens`);
    // the client's input count (the server's usage) matches the truth request by request
    const byId = new Map(rows.map((g) => [g.id, g.input_tokens]));
    for (const q of log) assert.equal(q.in_tok, byId.get(q.req_id), q.req_id);
  } finally { await sim.stop(); }
});

test('make bench knobs: OSL without ISL, a length that is not a number: one line, exit 104, no request', async () => {
  for (const [env, re] of [[['-e', 'OSL=200'], /OSL=, ISL_STDDEV= and OSL_STDDEV= shape a synthetic workload: set ISL= too/], [['-e', 'ISL=many'], /ISL=many is not a number of tokens/]] as const) {
    const r = await runCli(['run', 'scenarios/bench.ts', '-q', '-e', 'PROVIDER=sim', '-e', 'BASE_URL=http://127.0.0.1:9/v1', ...env], { timeoutMs: 60_000 });
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').filter((l) => l.trim()).length, 1, r.stderr);
  }
});
