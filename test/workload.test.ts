// Workloads (issue #26) end to end: synthetic lengths as the simulator counted them, the seed
// workload's ISL/OSL knobs refusing what cannot work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp, ROOT } from './helpers.ts';

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
    // and the summary's per-request distributions say the same (sketch: within 1 %)
    const m = r.summary.llm.byModel[0];
    const sorted = rows.map((g) => g.input_tokens).sort((a, b) => a - b);
    const med = sorted[Math.floor((sorted.length - 1) / 2)]!;
    assert.ok(Math.abs(m.in_tok_p50 / med - 1) <= 0.01 + 1 / med, `in_tok_p50 ${m.in_tok_p50} vs ${med}`);
    assert.ok(Math.abs(m.out_tok_p50 / 200 - 1) <= 0.01 && Math.abs(m.req_out_p50 / 200 - 1) <= 0.01, JSON.stringify(m));
    assert.equal(log.filter((q) => q.req_out === 200).length, log.length, 'the request log says what was asked for');
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

/** a Mooncake-style trace: `bursts` bursts of `per` requests, each burst within 60 ms, spread over `spanMs` */
function writeTrace(file: string, bursts: number, per: number, spanMs: number): Array<{ timestamp: number; input_length: number; output_length: number }> {
  const rows: Array<{ timestamp: number; input_length: number; output_length: number; hash_ids: number[] }> = [];
  let seed = 5;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let b = 0; b < bursts; b++) for (let k = 0; k < per; k++) {
    const input = 50 + Math.floor(rand() * 700);
    rows.push({ timestamp: 1_000 + Math.round((b * spanMs) / bursts + rand() * 60), input_length: input, output_length: 5 + Math.floor(rand() * 30), hash_ids: Array.from({ length: Math.ceil(input / 512) }, (_, i) => (i === 0 ? 1 : 100 + b * per + k)) });
  }
  rows.sort((x, y) => x.timestamp - y.timestamp);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return rows;
}

test('trace replay: 300 requests in bursts over 10 s, each at its time (lag p99 within the run\'s bound), with the trace\'s lengths; speed 2 halves the span', async () => {
  const file = tmp('trace.jsonl');
  const rows = writeTrace(file, 10, 30, 10_000);
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--ttft-ms', '20', '--itl-ms', '2', '--ground-truth', gt]);
  try {
    const spans: number[] = [];
    for (const speed of [1, 2]) {
      const dir = tmp('res');
      const r = await runCli(['run', 'test/scenarios/replay.ts', '-q', '--results-dir', dir, '-e', `BASE_URL=${sim.url}`, '-e', `TRACE=${file}`, '-e', `SPEED=${speed}`], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr);
      const s = r.summary;
      assert.equal(s.metrics.llm_requests.values.count, 300);
      assert.equal(s.metrics.dropped_iterations?.values.count ?? 0, 0);
      assert.equal(s.llm.totals.errors, 0, JSON.stringify(s.llm.totals.errors_by_kind));
      const lag = s.run.workload.schedule_lag;
      assert.equal(lag.requests, 300);
      // a gross-failure bound (a schedule kept to coarse timers or whole seconds would lag tens to
      // hundreds of ms): how close it keeps is measured, not bounded here — p99 over 300 requests
      // in bursts read 2.6–7.4 ms per run on this 2-core machine beside the simulator, median
      // 4.5 ms (docs/PERFORMANCE.md, "Trace replay")
      // (or the run's own timing-error bound, when the machine was busier: one full make test here
      // beside a build read p50 2.5 / p99 21 ms with a 9.6 ms bound — the run said so)
      const te = s.generator.timing_error_p99_ms;
      assert.ok(lag.p50_ms <= Math.max(2, te) && lag.p99_ms <= Math.max(20, 3 * te), `lag ${JSON.stringify(lag)}, timing-error bound ${te} ms`);
      const log = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
      const sched = log.map((q) => q.sched_t as number).sort((a, b) => a - b);
      spans.push(sched[sched.length - 1]! - sched[0]!);
      if (speed === 1) {
        // each request's lengths as the trace says: output exactly, input as the simulator
        // counted it (one token more: its separator line)
        await new Promise((res) => setTimeout(res, 300));
        const truth = new Map(readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g) => [g.id, g]));
        const outs = log.map((q) => q.out_tok).sort((a, b) => a - b);
        assert.deepEqual(outs, rows.map((x) => x.output_length).sort((a, b) => a - b));
        const ins = log.map((q) => truth.get(q.req_id)!.input_tokens - 1).sort((a, b) => a - b);
        assert.deepEqual(ins, rows.map((x) => x.input_length).sort((a, b) => a - b));
      }
    }
    const traceSpan = rows[rows.length - 1]!.timestamp - rows[0]!.timestamp;
    assert.ok(Math.abs(spans[0]! - traceSpan) <= 2, `span ${spans[0]} vs the trace's ${traceSpan} ms`);
    assert.ok(Math.abs(spans[1]! - traceSpan / 2) <= 2, `speed 2: span ${spans[1]} vs ${traceSpan / 2} ms`);
  } finally { await sim.stop(); }
});

test('datasets end to end: each format through the CLI, every record once and in order across threads', async () => {
  const sim = await startSimProcess(['--ttft-ms', '2', '--itl-ms', '1']);
  try {
    for (const [f, n] of [['chat.jsonl', 3], ['batch.jsonl', 2], ['sharegpt.json', 3], ['prompts.txt', 3]] as const) {
      const r = await runCli(['run', 'test/scenarios/dataset-order.ts', '-q', '-e', `BASE_URL=${sim.url}`, '-e', `DATASET=${join(ROOT, 'test/fixtures/datasets', f)}`, '-e', `N=${n + 2}`, '-e', 'VUS=2'], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
      const idx = [...r.stdout.matchAll(/^IDX (\d+) /gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
      assert.deepEqual(idx, Array.from({ length: n }, (_, i) => i), `${f}: ${r.stdout}`);
      assert.equal((r.stdout.match(/^EXHAUSTED$/gm) ?? []).length, 2, `${f}: stop when exhausted`);
      assert.equal(r.summary.metrics.llm_requests.values.count, n);
    }
  } finally { await sim.stop(); }
});

test('a 200,000-line dataset read by 8 threads: records in file order, each once', async () => {
  const file = tmp('big.jsonl');
  writeFileSync(file, Array.from({ length: 200_000 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `record ${i}: ${'lorem ipsum '.repeat(8)}` }], max_tokens: 5 })).join('\n') + '\n');
  const r = await runCli(['run', 'test/scenarios/dataset-order.ts', '-q', '--workers', '8', '-e', `DATASET=${file}`, '-e', 'N=2000', '-e', 'VUS=64', '-e', 'NO_CALL=1'], { timeoutMs: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const seen = [...r.stdout.matchAll(/^IDX (\d+) "record (\d+):/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.equal(seen.length, 2000);
  for (const [i, rec] of seen) assert.equal(rec, i, 'the prompt is the file\'s record i');
  assert.deepEqual(seen.map(([i]) => i).sort((a, b) => a! - b!), Array.from({ length: 2000 }, (_, i) => i), 'records 0..1999, each once, across 8 threads');
});

test('bad workload input through the CLI: one line, exit 104, no request sent', async () => {
  const sim = await startSimProcess(['--ttft-ms', '2', '--itl-ms', '1']);
  try {
    const unsorted = tmp('unsorted.jsonl');
    writeFileSync(unsorted, '{"timestamp": 10, "input_length": 5, "output_length": 3}\n{"timestamp": 5, "input_length": 5, "output_length": 3}\n');
    const cases: Array<[string[], RegExp]> = [
      [['test/scenarios/dataset-order.ts', '-e', `DATASET=${join(ROOT, 'test/fixtures/datasets/bad-json.jsonl')}`], /bad-json\.jsonl:2: not valid JSON/],
      [['test/scenarios/dataset-order.ts', '-e', `DATASET=${join(ROOT, 'test/fixtures/datasets/empty.jsonl')}`], /empty\.jsonl has no records/],
      [['test/scenarios/dataset-order.ts', '-e', `DATASET=${join(ROOT, 'test/fixtures/datasets/chat.jsonl')}`, '-e', 'FORMAT=csv'], /unknown format "csv": valid are chat-jsonl, batch, sharegpt, text/],
      [['test/scenarios/replay.ts', '-e', `TRACE=${unsorted}`], /record 2 has timestamp 5, earlier than the one before \(10\): sort the trace by timestamp/],
      [['scenarios/bench.ts', '-e', 'PROVIDER=sim', '-e', 'ISL=100', '-e', `DATASET=${join(ROOT, 'test/fixtures/datasets/chat.jsonl')}`], /choose one workload: ISL= \(synthetic\), DATASET= or TRACE=/],
      [['scenarios/bench.ts', '-e', 'PROVIDER=sim', '-e', 'ISL=100', '-e', 'TURNS=0'], /TURNS=0 must be a whole number of turns ≥ 1/],
      [['scenarios/bench.ts', '-e', 'PROVIDER=sim', '-e', 'ISL=100', '-e', 'PREFIX_TOKENS=500', '-e', 'PREFIX_COUNT=0'], /prefix count must be an integer ≥ 1, not 0/],
      [['scenarios/bench.ts', '-e', 'PROVIDER=sim', '-e', 'PREFIX_TOKENS=0'], /prefix tokens must be an integer ≥ 1, not 0/],
      [['scenarios/bench.ts', '-e', 'PROVIDER=sim', '-e', 'PREFIX_TOKENS=50', '-e', `DATASET=${join(ROOT, 'test/fixtures/datasets/chat.jsonl')}`], /PREFIX_TOKENS= goes with ISL= or the seed prompts, not with DATASET= or TRACE=/],
      [['scenarios/bench.ts', '-e', 'PROVIDER=sim', '-e', 'ISL=300000'], /input length: 300000 tokens exceeds the model's context window \(200000\)/],
    ];
    const before = (await (await fetch(`${sim.url}/sim/stats`)).json() as { requests: number }).requests;
    for (const [args, re] of cases) {
      const r = await runCli(['run', ...args, '-q', '-e', `BASE_URL=${sim.url}`], { timeoutMs: 60_000 });
      assert.equal(r.code, 104, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    const after = (await (await fetch(`${sim.url}/sim/stats`)).json() as { requests: number }).requests;
    assert.equal(after, before + 1, 'no request reached the simulator (the one more is this stats call)');
  } finally { await sim.stop(); }
});

test('conversations with prompt caching: cached tokens from usage equal the simulator\'s; later turns\' TTFT lower by what its prefill predicts; a per-turn table', async () => {
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--ttft-ms', '20', '--itl-ms', '1', '--prefix-cache', '200000', '--prefill-ms-per-token', '0.2', '--ground-truth', gt]);
  try {
    for (const dialect of ['', 'anthropic-messages']) {
      const dir = tmp('res');
      const r = await runCli(['run', 'test/scenarios/conversation.ts', '-q', '--results-dir', dir, '-e', `BASE_URL=${sim.url}`, ...(dialect ? ['-e', `DIALECT=${dialect}`, '-e', 'MODEL=claude-sonnet-4.5', '-e', 'CACHE_CONTROL=1'] : [])], { timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr);
      await new Promise((res) => setTimeout(res, 300));
      const truth = new Map(readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g) => [g.id, g]));
      const log = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(log.length, 120);
      for (const q of log) {
        const g = truth.get(q.req_id)!;
        assert.equal(q.cached_tok ?? 0, g.cached_tokens ?? 0, `${dialect || 'openai-chat'} ${q.req_id}: cached tokens`);
        assert.equal(q.in_tok, g.input_tokens, `${q.req_id}: input counts every part`);
      }
      const s = r.summary;
      const byTurn = s.llm.byTurn as Array<{ turn: number; requests: number; ttft_p50: number; cache_hit_pct: number }>;
      assert.deepEqual(byTurn.map((t) => [t.turn, t.requests]), [[1, 30], [2, 30], [3, 30], [4, 30]]);
      assert.equal(s.metrics.llm_sessions.values.count, 30);
      // TTFT per turn against the simulator's settings: 20 ms + 0.2 ms per uncached input token,
      // from each request's own input and cached tokens (the request log tags its turn)
      const med = (xs: number[]) => { const s2 = [...xs].sort((a, b) => a - b); return s2[Math.floor((s2.length - 1) / 2)]!; };
      const pred = (turns: number[]) => med(log.filter((q) => turns.includes(q.turn)).map((q) => 20 + 0.2 * (q.in_tok - (q.cached_tok ?? 0))));
      const turn1Pred = pred([1]), laterPred = pred([2, 3, 4]);
      const measured1 = byTurn[0]!.ttft_p50, measuredLater = med(log.filter((q) => q.turn > 1).map((q) => q.ttft_ms));
      assert.ok(measuredLater < measured1, `later turns ${measuredLater} ms vs turn 1 ${measured1} ms`);
      const dMeasured = measured1 - measuredLater, dPred = turn1Pred - laterPred;
      assert.ok(Math.abs(dMeasured / dPred - 1) <= 0.1, `${dialect || 'openai-chat'}: TTFT drop ${dMeasured.toFixed(1)} ms vs predicted ${dPred.toFixed(1)} ms`);
      assert.ok(byTurn.slice(1).every((t) => t.cache_hit_pct > 80), JSON.stringify(byTurn));
      assert.match(readFileSync(join(dir, 'summary.txt'), 'utf8'), /by turn \(conversations\)/);
    }
  } finally { await sim.stop(); }
});
