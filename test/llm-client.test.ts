// lib/llm against the real simulator in its own process (issue #4's "Must show"): timing
// accuracy versus the simulator's ground truth, wire quirks, 429 retries, and every fault.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { chat, type ChatResult } from '../lib/llm/index.ts';
import { h1Transport } from '../lib/llm/h1/transport.ts';
import { undiciTransport, type Transport } from '../lib/llm/transport.ts';
import { startSimProcess, median, quantile, tmp, type SimProcess } from './helpers.ts';
import type { GroundTruth } from '../sim/server.ts';

const sims: SimProcess[] = [];
after(async () => { await Promise.all(sims.map((s) => s.stop())); });

async function sim(args: string[]): Promise<SimProcess> { const s = await startSimProcess(args); sims.push(s); return s; }

// chat()'s two HTTP clients (--http-client llmload|undici): the wire tests run on both
const CLIENTS: Array<[string, Transport]> = [['llmload', h1Transport], ['undici', undiciTransport]];

const MESSAGES = [{ role: 'user', content: 'Explain container orchestration with Kubernetes' }];

/** `concurrency` closed loops of `n` requests each: that many streams open at once, their
 *  starts spread over the first 100 ms as a load test's VUs would be (not one synchronized burst) */
async function rounds(n: number, concurrency: number, call: () => Promise<ChatResult>): Promise<ChatResult[]> {
  const out: ChatResult[] = [];
  await Promise.all(Array.from({ length: concurrency }, async (_, i) => {
    await new Promise((r) => setTimeout(r, (i * 100) / concurrency));
    for (let k = 0; k < n; k++) out.push(await call());
  }));
  return out;
}

function checkTiming(name: string, results: ChatResult[], gtFile: string) {
  const gts = new Map<string, GroundTruth>(readFileSync(gtFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g: GroundTruth) => [g.id, g]));
  assert.ok(results.every((r) => r.ok), `${name}: ${results.find((r) => !r.ok)?.error?.message}`);
  const ttft = results.map((r) => r.timings.ttftMs!);
  const itl = results.flatMap((r) => r.timings.itlMs);
  // where the slowest TTFTs lost their time, on the shared monotonic clock: request written →
  // simulator handler ran (up), the simulator's own lateness (sim), first token written →
  // client read it (down); printed when a bound fails, so a red run says which side was late
  const worst = () => [...results].sort((a, b) => b.timings.ttftMs! - a.timings.ttftMs!).slice(0, 5).map((r) => {
    const g = gts.get(r.headers['x-request-id']!);
    if (!g || g.first_token_ms === null) return `${r.timings.ttftMs!.toFixed(2)} (no ground truth)`;
    const up = g.arrival_ms - r.timings.dispatch, sim = g.first_token_ms - g.arrival_ms - 100, down = r.timings.firstOutput! - g.first_token_ms;
    return `${r.timings.ttftMs!.toFixed(2)} = 100 + up ${up.toFixed(2)} + sim ${sim.toFixed(2)} + down ${down.toFixed(2)}`;
  }).join('; ');
  // the client's error per request against the server's own clock (same monotonic base):
  // measured TTFT minus the truth (first token written − request arrived) is the time the
  // request spent going up plus the first token coming down. Its distribution is bounded, not
  // absolute percentiles of TTFT or a single maximum: on a shared 2-vCPU machine those measure
  // the machine's worst stall, not the client
  const errs: number[] = [];
  const itlErrs: number[] = [];
  for (const r of results) {
    const g = gts.get(r.headers['x-request-id']!);
    assert.ok(g && g.first_token_ms !== null, `${name}: ground truth for ${r.headers['x-request-id']}`);
    assert.equal(r.content, g!.content, `${name}: content exact`);
    assert.equal(r.usage.outputTokens, 50);
    const err = r.timings.ttftMs! - (g!.first_token_ms! - g!.arrival_ms);
    // physics, not noise: the client cannot see the first token before the server wrote it
    assert.ok(r.timings.firstOutput! >= g!.first_token_ms! - 0.01, `${name}: first token read ${(g!.first_token_ms! - r.timings.firstOutput!).toFixed(3)} ms before it was written`);
    errs.push(err);
    const gaps = g!.token_ms.slice(1).map((t, i) => t - g!.token_ms[i]!);
    itlErrs.push(Math.abs(median(r.timings.itlMs) - median(gaps)));
  }
  const over10 = errs.filter((e) => e > 10).length / errs.length;
  assert.ok(median(errs) <= 2, `${name}: TTFT error median ${median(errs).toFixed(3)} ms; slowest: ${worst()}`);
  assert.ok(quantile(errs, 0.9) <= 5, `${name}: TTFT error p90 ${quantile(errs, 0.9).toFixed(3)} ms; slowest: ${worst()}`);
  assert.ok(over10 <= 0.03, `${name}: ${(100 * over10).toFixed(1)} % of requests read TTFT > 10 ms late; slowest: ${worst()}`);
  // each request's median inter-token gap within 1 ms of the server's, for 95 % of requests
  assert.ok(quantile(itlErrs, 0.95) <= 1, `${name}: per-request ITL median error p95 ${quantile(itlErrs, 0.95).toFixed(3)} ms`);
  // the ITL the client reports against the gaps the server wrote, over all requests: within 5 %
  const truthGaps = results.flatMap((r) => { const g = gts.get(r.headers['x-request-id']!)!; return g.token_ms.slice(1).map((t, i) => t - g.token_ms[i]!); });
  assert.ok(Math.abs(median(itl) - median(truthGaps)) <= 0.05 * median(truthGaps), `${name}: ITL median ${median(itl).toFixed(2)} ms vs the server's ${median(truthGaps).toFixed(2)} ms`);
  process.stdout.write(`# ${name}: ttft median ${median(ttft).toFixed(2)} p99 ${quantile(ttft, 0.99).toFixed(2)}; error per request p50 ${median(errs).toFixed(3)} p90 ${quantile(errs, 0.9).toFixed(3)} p99 ${quantile(errs, 0.99).toFixed(3)} ms; itl median ${median(itl).toFixed(2)}\n`);
}

test('openai-chat timing at 20 concurrent streams matches ground truth (TTFT 100 ms, ITL 10 ms, 50 tokens)', async () => {
  const gt = tmp('gt.jsonl');
  const s = await sim(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '50', '--ground-truth', gt]);
  const provider = { name: 'sim', baseUrl: s.url, dialect: 'openai-chat' as const, apiKey: `timing-${process.pid}` };
  const call = () => chat({ model: 'gpt-4.1', messages: MESSAGES, max_tokens: 200, stream: true }, { provider });
  await rounds(1, 20, call); // warm up: open the 20 connections, JIT both sides
  const res = await rounds(20, 20, call);
  await new Promise((r) => setTimeout(r, 200));
  checkTiming('openai-chat', res, gt);
  assert.equal(res[0]!.usage.source, 'usage');
  assert.equal(res[0]!.finishReason, 'stop');
});

test('anthropic-messages timing at 20 concurrent streams', async () => {
  const gt = tmp('gt.jsonl');
  const s = await sim(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '50', '--ground-truth', gt]);
  const provider = { name: 'sim', baseUrl: s.url, dialect: 'anthropic-messages' as const, apiKey: `anthropic-${process.pid}` };
  const call = () => chat({ model: 'claude-sonnet-4.5', messages: MESSAGES, max_tokens: 200, stream: true }, { provider });
  await rounds(1, 20, call);
  const res = await rounds(20, 20, call);
  await new Promise((r) => setTimeout(r, 200));
  checkTiming('anthropic-messages', res, gt);
  assert.equal(res[0]!.finishReason, 'end_turn');
  assert.equal(res[0]!.usage.source, 'usage');
});

for (const [client, transport] of CLIENTS) test(`a stream with quirks (CRLF, comments, split UTF-8, role-only first chunk, keep-alives) — ${client}`, async () => {
  const gt = tmp('gt.jsonl');
  const s = await sim(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '50', '--quirks', '--ground-truth', gt]);
  const provider = { name: 'sim', baseUrl: s.url, dialect: 'openai-chat' as const };
  const call = () => chat({ model: 'gpt-4.1', messages: MESSAGES, max_tokens: 200, stream: true }, { provider, transport });
  await rounds(1, 20, call);
  const res = await rounds(20, 20, call);
  await new Promise((r) => setTimeout(r, 200));
  checkTiming(`quirks (${client})`, res, gt);
  assert.ok(res.some((r) => /[负载测试延迟✅🚀]/u.test(r.content)), 'multi-byte text survived');
});

test('a server that answers 429 with Retry-After every few requests: retries counted, all succeed', async () => {
  const s = await sim(['--ttft-ms', '20', '--itl-ms', '2', '--output-tokens', '10', '--fault', '429:0.25', '--seed', '3']);
  const provider = { name: 'sim', baseUrl: s.url, dialect: 'openai-chat' as const };
  const res = await rounds(3, 20, () => chat({ model: 'gpt-4.1', messages: MESSAGES, max_tokens: 50, stream: true }, { provider, retry: { maxRetries: 8 } }));
  assert.ok(res.every((r) => r.ok), res.find((r) => !r.ok)?.error?.message);
  const retries = res.reduce((a, r) => a + r.retries, 0);
  assert.ok(retries >= 5, `retries ${retries}`);
  // the wait honoured retry-after-ms (200 ms, plus ≤ 10 % jitter) and is not in the latency
  const retried = res.filter((r) => r.retries > 0);
  for (const r of retried) {
    assert.ok(r.retryWaitMs >= 200 * r.retries && r.retryWaitMs <= 220 * r.retries, `wait ${r.retryWaitMs}`);
    assert.ok(r.timings.e2eMs! < 200, `e2e ${r.timings.e2eMs} excludes the retry wait`);
  }
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

for (const [client, transport] of CLIENTS) test(`faults land in their kinds, nothing hangs — ${client}`, async () => {
  const s = await sim(['--ttft-ms', '20', '--itl-ms', '5', '--output-tokens', '20']);
  const oa = { name: 'sim', baseUrl: s.url, dialect: 'openai-chat' as const };
  const an = { name: 'sim', baseUrl: s.url, dialect: 'anthropic-messages' as const };
  const body = { model: 'gpt-4.1', messages: MESSAGES, max_tokens: 100, stream: true };
  const fast = { transport, retry: { maxRetries: 1, baseMs: 10, capMs: 50 }, timeouts: { idle: '400ms', total: '5s', connect: '1s' } };
  const fault = (f: string) => ({ ...fast, headers: { 'x-sim-fault': f } });
  const t0 = Date.now();
  const cases: Array<[string, Promise<ChatResult>, string]> = [
    ['connection refused', chat(body, { ...fast, provider: { ...oa, baseUrl: `http://127.0.0.1:${await freePort()}/v1` } }), 'network'],
    ['reset before headers', chat(body, { ...fault('reset_before_headers'), provider: oa }), 'network'],
    ['reset mid-stream', chat(body, { ...fault('reset_mid_stream'), provider: oa }), 'network'],
    ['stall past the idle timeout', chat(body, { ...fault('stall'), provider: oa }), 'stall'],
    ['malformed JSON in a data line', chat(body, { ...fault('malformed_sse'), provider: oa }), 'protocol'],
    ['HTTP 500', chat(body, { ...fault('500'), provider: oa }), 'server'],
    ['HTTP 502 HTML page', chat(body, { ...fault('502'), provider: oa }), 'server'],
    ['HTTP 503', chat(body, { ...fault('503'), provider: oa }), 'overloaded'],
    ['HTTP 529 (anthropic)', chat({ ...body, model: 'claude-sonnet-4.5' }, { ...fault('529'), provider: an }), 'overloaded'],
    ['error event mid-stream (openai)', chat(body, { ...fault('error_event'), provider: oa }), 'stream_error'],
    ['error event mid-stream (anthropic)', chat({ ...body, model: 'claude-sonnet-4.5' }, { ...fault('error_event'), provider: an }), 'stream_error'],
    ['total timeout', chat(body, { ...fault('slow_first_byte'), provider: oa, timeouts: { total: '300ms', headers: '10s' } }), 'timeout_total'],
    ['headers timeout', chat(body, { ...fault('slow_first_byte'), provider: oa, timeouts: { headers: '300ms', total: '10s' } }), 'timeout_headers'],
  ];
  for (const [name, p, kind] of cases) {
    const r = await p;
    assert.equal(r.ok, false, name);
    assert.equal(r.error?.kind, kind, `${name}: ${r.error?.kind} (${r.error?.message})`);
  }
  const mid = await chat(body, { ...fault('reset_mid_stream'), provider: oa });
  assert.ok(mid.content.length > 0, 'partial content is kept');
  assert.ok(Date.now() - t0 < 15_000, 'nothing hung');
  // retried kinds were retried; non-retried were not
  const five = await chat(body, { ...fault('500'), provider: oa });
  assert.equal(five.retries, 1);
  const bad = await chat(body, { ...fault('malformed_sse'), provider: oa });
  assert.equal(bad.retries, 0);
});

test('an aborted signal ends a request at once as aborted', async () => {
  const s = await sim(['--ttft-ms', '5000']);
  const provider = { name: 'sim', baseUrl: s.url, dialect: 'openai-chat' as const };
  const { installRuntime } = await import('../lib/runtime.ts');
  const ctl = new AbortController();
  const t0 = Date.now();
  // a minimal runtime whose iteration state carries the abort signal
  const base = (globalThis as any).__llmload_runtime;
  installRuntime(Object.assign(fallbackRuntime(), { state: () => ({ signal: ctl.signal, deadline: Infinity }) }));
  setTimeout(() => ctl.abort(), 200);
  const r = await chat({ model: 'gpt-4.1', messages: MESSAGES, max_tokens: 10, stream: true }, { provider });
  (globalThis as any).__llmload_runtime = base;
  assert.equal(r.error?.kind, 'aborted');
  assert.ok(Date.now() - t0 < 1500);
});

function fallbackRuntime(): any {
  const t0 = process.hrtime.bigint();
  return { declare() {}, add() {}, state: () => undefined, runGroup: (_n: string, fn: () => unknown) => fn(), check() {}, now: () => Number(process.hrtime.bigint() - t0) / 1e6, env: {}, options: {}, abortTest() {}, log() {}, testInfo: () => ({ testid: 't', segment: '0:1', instance: 0 }) } as never;
}

test('a Content-Length framed stream (sim --framing length) reads the same, both dialects', async () => {
  const gt = tmp('gt.jsonl');
  const s = await sim(['--ttft-ms', '20', '--itl-ms', '2', '--output-tokens', '30', '--framing', 'length', '--ground-truth', gt]);
  const res: ChatResult[] = [];
  for (const dialect of ['openai-chat', 'anthropic-messages'] as const) {
    const provider = { name: 'sim', baseUrl: s.url, dialect };
    res.push(...(await Promise.all(Array.from({ length: 10 }, () => chat({ model: 'gpt-4.1', messages: MESSAGES, max_tokens: 100, stream: true }, { provider })))));
  }
  await new Promise((r) => setTimeout(r, 100));
  const truth = new Map<string, GroundTruth>(readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g: GroundTruth) => [g.id, g]));
  for (const r of res) {
    assert.ok(r.ok, r.error?.message);
    assert.equal(r.headers['transfer-encoding'], undefined);
    assert.ok(Number(r.headers['content-length']) > 0);
    assert.equal(r.content, truth.get(r.headers['x-request-id']!)!.content);
    assert.equal(r.usage.outputTokens, 30);
  }
});

test('a stream that ends cleanly without a finish_reason is incomplete, not a success (both dialects); inline providers need no name', async () => {
  const s = await sim(['--ttft-ms', '10', '--itl-ms', '2', '--output-tokens', '20']);
  // inline: baseUrl and dialect only; tags name it after the host
  const oa = { baseUrl: s.url, dialect: 'openai-chat' as const };
  const an = { baseUrl: s.url, dialect: 'anthropic-messages' as const };
  const body = { model: 'gpt-4.1', messages: MESSAGES, max_tokens: 100, stream: true };
  const cut = { headers: { 'x-sim-fault': 'cut_done' } };
  for (const [name, r] of [
    ['openai [DONE] without finish_reason', await chat(body, { ...cut, provider: oa })],
    ['anthropic message_stop without stop_reason', await chat({ ...body, model: 'claude-sonnet-4.5' }, { ...cut, provider: an })],
  ] as const) {
    assert.equal(r.ok, true, `${name}: not an error (${r.error?.message})`);
    assert.equal(r.finishReason, null, name);
    assert.equal(r.incomplete, true, name);
    assert.ok(r.content.length > 0 && r.usage.outputTokens < 20, `${name}: cut short (${r.usage.outputTokens} tokens)`);
  }
  const whole = await chat(body, { provider: oa });
  assert.equal(whole.incomplete, false);
  assert.equal(whole.finishReason, 'stop');
});

test('a connect that never completes is timeout_connect (retried); refused stays network; the retried kinds, pinned end to end', async () => {
  const { spawn } = await import('node:child_process');
  const bh = spawn('python3', [new URL('./tools/blackhole.py', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((res, rej) => { bh.stdout!.once('data', (d) => res(Number(String(d).trim()))); bh.once('exit', (c) => rej(new Error(`blackhole exited ${c}`))); });
    const body = { model: 'gpt-4.1', messages: MESSAGES, max_tokens: 10, stream: true };
    const t0 = Date.now();
    const hung = await chat(body, { provider: { baseUrl: `http://127.0.0.1:${port}/v1`, dialect: 'openai-chat' }, timeouts: { connect: '400ms', total: '10s' }, retry: { maxRetries: 1, baseMs: 10, capMs: 20 } });
    assert.equal(hung.error?.kind, 'timeout_connect', `${hung.error?.kind}: ${hung.error?.message}`);
    assert.equal(hung.retries, 1, 'a connect timeout is retried');
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    const refused = await chat(body, { provider: { baseUrl: `http://127.0.0.1:${await freePort()}/v1`, dialect: 'openai-chat' }, retry: { maxRetries: 1, baseMs: 10, capMs: 20 } });
    assert.equal(refused.error?.kind, 'network');
    assert.equal(refused.retries, 1, 'refused before anything was sent: retried');
  } finally { bh.kill(); }
  // which kinds are retried, through chat() against the simulator's faults
  const s = await sim(['--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '5']);
  const oa = { baseUrl: s.url, dialect: 'openai-chat' as const };
  const retried: Record<string, [string, number]> = { '429': ['rate_limited', 1], '500': ['server', 1], '502': ['server', 1], '503': ['overloaded', 1], malformed_sse: ['protocol', 0], error_event: ['stream_error', 0], reset_before_headers: ['network', 0] };
  // (a reset after the request was written is not retried: the server may have acted on it)
  for (const [fault, [kind, n]] of Object.entries(retried)) {
    const r = await chat({ model: 'gpt-4.1', messages: MESSAGES, max_tokens: 10, stream: true }, { provider: oa, headers: { 'x-sim-fault': fault }, retry: { maxRetries: 1, baseMs: 5, capMs: 10 } });
    assert.equal(r.error?.kind, kind, fault);
    assert.equal(r.retries, n, `${fault} (${kind}) retried ${r.retries} times`);
  }
});

for (const [client, transport] of CLIENTS) test(`limits: an endless SSE line or a 33 MiB JSON body ends the call as malformed (protocol), memory bounded — ${client}`, async () => {
  const { createServer: httpServer } = await import('node:http');
  const srv = httpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url!.includes('stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: ');
        const chunk = 'z'.repeat(64 * 1024);
        let n = 0;
        const more = () => { while (n++ < 40) { if (!res.write(chunk)) { res.once('drain', more); return; } } res.end(); };
        more();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = ' '.repeat(1024 * 1024);
        let n = 0;
        const more = () => { while (n++ < 40) { if (!res.write(chunk)) { res.once('drain', more); return; } } res.end('{}'); };
        more();
      }
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  try {
    const base = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const s = await chat({ model: 'gpt-4.1', messages: MESSAGES, stream: true }, { transport, retry: false, provider: { name: 'x', baseUrl: `${base}/stream`, dialect: 'openai-chat' } });
    assert.equal(s.error?.kind, 'protocol', JSON.stringify(s.error));
    assert.match(s.error!.message, /malformed response: an SSE line longer than 1048576 bytes/);
    assert.equal(s.content, 'hi', 'what came before is kept');
    const j = await chat({ model: 'gpt-4.1', messages: MESSAGES, stream: false }, { transport, retry: false, provider: { name: 'x', baseUrl: `${base}/json`, dialect: 'openai-chat' } });
    assert.equal(j.error?.kind, 'protocol', JSON.stringify(j.error));
    assert.match(j.error!.message, /malformed response: a JSON body over 33554432 bytes/);
  } finally { srv.close(); }
});
