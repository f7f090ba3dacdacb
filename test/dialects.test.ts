// More of the API surface (issue #29): the Responses API and text completions, end to end — the
// real CLI streaming through each dialect against the real simulator, every request joined to
// the simulator's ground truth (tokens, TTFT, inter-token gaps); the simulator's faults read as
// each dialect's failure; the simulator's wire shapes against the documentation's fixtures; a
// provider asked for a dialect it does not serve is one clear error.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp, plantedKey, type SimProcess } from './helpers.ts';
import { chat } from '../lib/llm/index.ts';
import { closeIdle } from '../lib/llm/h1/pool.ts';
import { sseCases } from './wire-fixtures.ts';

after(() => closeIdle());
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]!; };
const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(p * (s.length - 1))]!; };

for (const dialect of ['openai-responses', 'openai-completions'] as const) {
  test(`${dialect}: streams through the CLI match the simulator's ground truth (tokens, TTFT, gaps, TPOT)`, async () => {
    const gt = tmp('gt.jsonl');
    const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '20', '--ground-truth', gt]);
    try {
      const dir = tmp('dialect');
      const r = await runCli(['run', 'test/scenarios/dialects.ts', '-q', '--results-dir', dir, '-e', `BASE_URL=${sim.url}`, '-e', `DIALECT=${dialect}`], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, r.stderr);
      const truth = new Map(readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g) => [g.id, g]));
      const recs = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.ok(recs.length >= 25, `${recs.length} requests`);
      const paths = new Set([...truth.values()].map((g: any) => g.path));
      assert.deepEqual([...paths], [dialect === 'openai-responses' ? '/v1/responses' : '/v1/completions']);
      const errs: number[] = [], tpotErr: number[] = [];
      const stall = r.summary.metrics.generator_timing_error?.values.max ?? 0;
      for (const x of recs) {
        const g: any = truth.get(x.req_id);
        assert.ok(g && x.error_kind === null && !x.incomplete, `${x.req_id}: ${JSON.stringify(x)}`);
        assert.equal(x.tok_src, 'usage');
        assert.equal(x.out_tok, g.tokens);
        assert.equal(x.in_tok, g.input_tokens);
        errs.push(x.ttft_ms - (g.first_token_ms - g.arrival_ms));
        const truthTpot = (g.token_ms.at(-1) - g.token_ms[0]) / (g.token_ms.length - 1);
        // per request within 2 %, or within the run's own worst stall spread over the gaps: a
        // client stall at the first or last token moves that request's decode time by the stall
        // (CI read 9.60 against 10.02 ms once: the first token read ~8 ms late)
        tpotErr.push(Math.abs(x.tpot_ms - truthTpot) / truthTpot);
        assert.ok(Math.abs(x.tpot_ms - truthTpot) <= 0.02 * truthTpot + 0.2 + stall / (x.out_tok - 1), `${x.req_id}: TPOT ${x.tpot_ms} vs ${truthTpot} (the run's worst stall ${stall} ms)`);
      }
      assert.ok(Math.min(...errs) >= -0.01 && median(errs) <= 2 && q(errs, 0.9) <= 5, `TTFT error p50 ${median(errs)} p90 ${q(errs, 0.9)} ms`);
      assert.ok(median(tpotErr) <= 0.02, `TPOT error median ${(100 * median(tpotErr)).toFixed(2)} %`);
      const m = r.summary.metrics;
      assert.equal(m.llm_requests.values.count, recs.length);
      assert.ok(Math.abs(m.llm_itl.values.med - 10) <= 0.5, `ITL median ${m.llm_itl.values.med}`);
    } finally { await sim.stop(); }
  });
}

test('each dialect reads the simulator\'s faults as its own failures; JSON responses; max output reached is truncation', async () => {
  const sim: SimProcess = await startSimProcess(['--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '12']);
  try {
    for (const dialect of ['openai-responses', 'openai-completions'] as const) {
      const provider = { name: 'sim', baseUrl: sim.url, dialect };
      const call = (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 64, stream: true, ...extra }, { provider, retry: false, headers });
      const ok = await call();
      assert.ok(ok.ok && ok.content.length > 0 && ok.usage.source === 'usage' && ok.usage.outputTokens === 12 && !ok.truncated && !ok.incomplete, `${dialect}: ${JSON.stringify(ok)}`);
      const json = await call({ stream: false });
      assert.ok(json.ok && json.content.length > 0 && json.usage.outputTokens === 12 && json.usage.source === 'usage', `${dialect} JSON: ${JSON.stringify(json)}`);
      const cut = await call({ max_tokens: 5 });
      assert.ok(cut.ok && cut.truncated && cut.usage.outputTokens === 5, `${dialect}: max output reached is truncation (${cut.finishReason})`);
      const dropped = await call({}, { 'x-sim-fault': 'cut_done' });
      assert.ok(dropped.ok && dropped.incomplete, `${dialect} cut_done: ${JSON.stringify({ ok: dropped.ok, incomplete: dropped.incomplete, error: dropped.error })}`);
      const evErr = await call({}, { 'x-sim-fault': 'error_event' });
      assert.equal(evErr.error?.kind, 'stream_error', `${dialect} error_event`);
      const bad = await call({}, { 'x-sim-fault': 'malformed_sse' });
      assert.equal(bad.error?.kind, 'protocol', `${dialect} malformed_sse`);
      const limited = await call({}, { 'x-sim-fault': '429' });
      assert.equal(limited.error?.kind, 'rate_limited', `${dialect} 429`);
    }
  } finally { await sim.stop(); }
});

test('the simulator speaks the documented shapes: Responses event order and object fields, completions chunk fields', async () => {
  const sim = await startSimProcess(['--ttft-ms', '2', '--itl-ms', '1', '--output-tokens', '7']);
  try {
    const fx = Object.fromEntries(sseCases().map((c) => [c.name, c.body.toString('utf8')]));
    const post = async (path: string, body: unknown) => (await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).text();
    const events = (s: string) => s.split('\n').filter((l) => l.startsWith('event: ')).map((l) => l.slice(7));
    const collapse = (ev: string[]) => ev.filter((e, i) => e !== ev[i - 1]);
    const rs = await post('/responses', { model: 'gpt-4.1', input: [{ role: 'user', content: 'hi' }], stream: true });
    assert.deepEqual(collapse(events(rs)), collapse(events(fx.responses_basic!)), 'Responses event order');
    const data = (s: string) => s.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
    const done = (s: string) => JSON.parse(data(s).at(-1)!).response;
    assert.deepEqual(Object.keys(done(rs)).sort(), Object.keys(done(fx.responses_basic!)).sort(), 'response object fields');
    assert.deepEqual(Object.keys(done(rs).usage).sort(), Object.keys(done(fx.responses_basic!).usage).sort(), 'usage fields');
    const cs = await post('/completions', { model: 'gpt-4.1', prompt: 'hi', stream: true, max_tokens: 50, stream_options: { include_usage: true } });
    const keys = (s: string) => data(s).filter((l) => l !== '[DONE]').map((l) => { const o = JSON.parse(l); return JSON.stringify([Object.keys(o).sort(), (o.choices ?? []).map((c: object) => Object.keys(c).filter((k) => k !== 'stop_reason').sort())]); });
    assert.deepEqual([...new Set(keys(cs))], [...new Set(keys(fx.completions_basic!))], 'completions chunk fields');
    assert.equal(data(cs).at(-1), '[DONE]');
    const missing = await fetch(`${sim.url}/responses`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4.1' }) });
    assert.equal(missing.status, 400);
    assert.match(await missing.text(), /Missing required parameter: 'input'/);
  } finally { await sim.stop(); }
});

test('a provider asked for a dialect it does not serve: one clear error naming the ones it does', async () => {
  process.env.HOLYSHEEP_API_KEY ??= plantedKey('hs');
  await assert.rejects(chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] }, { provider: 'holysheep', dialect: 'openai-responses' }), /provider holysheep does not serve the openai-responses dialect: it serves openai-chat/);
  const r = await runCli(['run', 'test/scenarios/dialects.ts', '-q', '-e', 'PROVIDER=anthropic', '-e', 'ANTHROPIC_API_KEY=x-planted', '-e', 'DIALECT=openai-completions', '-e', 'DURATION=1s'], { timeoutMs: 60_000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /provider anthropic does not serve the openai-completions dialect: it serves anthropic-messages/);
});

test('embeddings: embed() through the CLI against the simulator — requests, items, input tokens, latency and cost against its ground truth; 429s retried', async () => {
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--ttft-ms', '50', '--ground-truth', gt, '--fault', '429:0.15', '--seed', '4']);
  try {
    const r = await runCli(['run', 'scenarios/embeddings.ts', '-q', '-e', `BASE_URL=${sim.url}`, '-e', 'RATE=10', '-e', 'BATCH=4', '-e', 'DURATION=3s'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    await sim.stop(); // its ground truth flushed
    const truth = readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((g) => g.path === '/v1/embeddings');
    const ok = truth.filter((g) => g.status === 200);
    const limited = truth.filter((g) => g.status === 429);
    const m = r.summary.metrics;
    assert.ok(limited.length > 0 && m.llm_rate_limited.values.count === limited.length, `429s: ${limited.length} in truth, ${m.llm_rate_limited?.values.count} counted`);
    // every attempt reached the server; a 429 is retried after its Retry-After unless that
    // wait runs past the scenario's end (then the call fails as rate_limited)
    assert.equal(m.http_reqs.values.count, truth.length);
    const failed = m.llm_embed_errors.values.passes;
    assert.equal(m.llm_embed_requests.values.count, ok.length + failed);
    assert.equal(m.llm_retries.values.count, limited.length - failed, 'each 429 retried but the last ones');
    assert.equal(m.llm_embed_items.values.count, ok.reduce((a, g) => a + g.items, 0));
    const tokens = ok.reduce((a, g) => a + g.input_tokens, 0);
    assert.equal(m.llm_embed_input_tokens.values.count, tokens);
    // text-embedding-3-small at $0.02 per million input tokens (genai-prices)
    assert.ok(Math.abs(m.llm_cost_usd.values.count - (tokens * 0.02) / 1e6) < 1e-12, `cost ${m.llm_cost_usd.values.count} vs ${(tokens * 0.02) / 1e6}`);
    // latency: the server answered 50 ms after arrival (plus its prefill per token); the client's
    // median within 5 ms of the server's
    const lat = ok.map((g) => g.first_token_ms - g.arrival_ms).sort((a, b) => a - b);
    const truthMed = lat[Math.floor((lat.length - 1) / 2)];
    assert.ok(Math.abs(m.llm_embed_duration.values.med - truthMed) <= 5, `embed duration med ${m.llm_embed_duration.values.med} vs server ${truthMed}`);
  } finally { await sim.stop(); }
});

test('the seed workload with DIALECT=responses: the per-model table as for chat, TTFT within 1 ms of the simulator\'s ground truth at the median', async () => {
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--profile', 'holysheep', '--ground-truth', gt, '--seed', '7']);
  try {
    const dir = tmp('bench-responses');
    const r = await runCli(['run', 'scenarios/bench.ts', '-q', '--results-dir', dir, '-e', 'PROFILE=quick', '-e', 'DIALECT=responses', '-e', `BASE_URL=${sim.url}`], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    await sim.stop();
    const truth = new Map(readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g) => [g.id, g]));
    assert.ok([...truth.values()].every((g: any) => g.path === '/v1/responses'), 'every call over the Responses API');
    const recs = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((x) => x.error_kind === null && x.ttft_ms !== null);
    const errs = recs.map((x) => { const g: any = truth.get(x.req_id); return x.ttft_ms - (g.first_token_ms - g.arrival_ms); });
    assert.ok(errs.length >= 5 && Math.abs(median(errs)) <= 1, `TTFT error median ${median(errs).toFixed(3)} ms over ${errs.length}`);
    for (const row of r.summary.llm.byModel) {
      // (TTFT only where the model had a streamed call: in a 9 s run a rare model may have drawn
      // only the seed's non-streamed one — CI read deepseek-v3.2 without a TTFT once)
      for (const k of ['requests', 'e2e_p95', 'output_tokens', 'tokens_per_s', 'cost_usd', 'rps']) assert.ok(row[k] !== null && row[k] !== undefined, `${row.model}: ${k}`);
      assert.ok(row.output_tokens > 0 && row.cost_usd > 0, `${row.model}: tokens and cost from the Responses usage`);
    }
    assert.ok(r.summary.llm.byModel.filter((m: any) => m.ttft_p50 !== null).length >= 2, 'TTFT in the per-model table');
    assert.match(r.summary.run.workload.description, /over openai-responses/);
  } finally { await sim.stop(); }
});

test('a reasoning response over the Responses API: reasoning tokens reported, TTFT at the first reasoning token and TTFO at the first answer token', async () => {
  // reasoning summary deltas for ~100 ms, then the answer; usage with reasoning tokens
  const ev = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const writes = new Map<string, { reasoning: number; answer: number }>();
  let n = 0;
  const srv = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = `r${++n}`;
      const w = { reasoning: 0, answer: 0 };
      writes.set(id, w);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': id });
      res.write(ev('response.created', { response: { id, status: 'in_progress' } }));
      const plan: Array<[number, string, 'r' | 'a' | 'end']> = [];
      for (let i = 0; i < 4; i++) plan.push([i * 30, ev('response.reasoning_summary_text.delta', { output_index: 0, summary_index: 0, delta: `step ${i}. ` }), 'r']);
      for (let i = 0; i < 6; i++) plan.push([110 + i * 10, ev('response.output_text.delta', { output_index: 1, content_index: 0, delta: `word${i} ` }), 'a']);
      plan.push([180, ev('response.completed', { response: { id, status: 'completed', usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 0 }, output_tokens: 70, output_tokens_details: { reasoning_tokens: 64 }, total_tokens: 90 } } }), 'end']);
      const t0 = Date.now();
      for (const [at, text, kind] of plan) setTimeout(() => {
        res.write(text);
        const now = performance.now();
        if (kind === 'r' && !w.reasoning) w.reasoning = now;
        if (kind === 'a' && !w.answer) w.answer = now;
        if (kind === 'end') res.end();
      }, Math.max(0, at - (Date.now() - t0)));
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const dir = tmp('responses-reasoning');
    const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`;
    const r = await runCli(['run', 'test/scenarios/dialects.ts', '-q', '--results-dir', dir, '-e', `BASE_URL=${url}`, '-e', 'DIALECT=openai-responses', '-e', 'RATE=4', '-e', 'DURATION=2s'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const recs = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(recs.length >= 6);
    const errs: number[] = [];
    for (const x of recs) {
      assert.equal(x.reasoning_tok, 64);
      const w = writes.get(x.req_id)!;
      errs.push(Math.abs((x.ttfo_ms - x.ttft_ms) - (w.answer - w.reasoning)));
    }
    assert.ok(median(errs) <= 2, `TTFO − TTFT against the server's writes: ${errs.map((e) => e.toFixed(2)).join(', ')}`);
    const m = r.summary.metrics;
    assert.equal(m.llm_reasoning_tokens.values.count, 64 * recs.length);
    assert.ok(m.llm_ttfo.values.med - m.llm_ttft.values.med >= 60, `llm_ttft med ${m.llm_ttft.values.med}, llm_ttfo med ${m.llm_ttfo.values.med}`);
    assert.match(readFileSync(join(dir, 'summary.txt'), 'utf8'), /llm_ttfo\.+: /);
  } finally { srv.close(); }
});

test('embeddings bad input: an empty input and a streaming embed() are one line each, exit 104; chat() refuses the embeddings dialect', async () => {
  const sim = await startSimProcess(['--profile', 'fast']);
  try {
    for (const [script, re] of [
      ['export default async function () { await embed([], {}); }', /embed\(\): empty input: give a non-empty string or a non-empty array of non-empty strings/],
      ['export default async function () { await embed("x", { stream: true } as any); }', /embed\(\): embeddings are not streamed/],
      ['export default async function () { await chat({ model: "m", messages: [] }, { dialect: "openai-embeddings" }); }', /chat\(\) does not call embeddings: use embed\(/],
    ] as const) {
      const f = join(tmp('bad'), '..', 'bad-embed.ts');
      writeFileSync(f, `import { embed, chat } from 'llmload/llm';\nexport const options = { iterations: 1 };\n${script}\n`);
      const r = await runCli(['run', f, '-q', '--no-typecheck', '-e', `BASE_URL=${sim.url}`], { timeoutMs: 60_000 });
      assert.equal(r.code, 104, `${script}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  } finally { await sim.stop(); }
});

test('k6/http POSTs to an embeddings endpoint get the embed() metrics: items and input tokens equal the simulator\'s', async () => {
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--ttft-ms', '20', '--ground-truth', gt]);
  try {
    const r = await runCli(['run', 'test/scenarios/k6/embeddings.js', '-q', '-e', `BASE_URL=${sim.url}`], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    await sim.stop();
    const truth = readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((g) => g.path === '/v1/embeddings' && g.status === 200);
    const m = r.summary.metrics;
    assert.equal(m.llm_embed_requests.values.count, 6);
    assert.equal(m.llm_embed_items.values.count, 12);
    assert.equal(m.llm_embed_input_tokens.values.count, truth.reduce((a, g) => a + g.input_tokens, 0));
    assert.equal(m.checks.values.rate, 1);
    assert.equal(m.llm_requests, undefined, 'not counted as chat calls');
  } finally { await sim.stop(); }
});
