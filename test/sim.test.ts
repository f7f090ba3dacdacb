// The simulator, checked with a raw HTTP client (node:http), not our own (issue #5).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import type { SimStats } from '../sim/server.ts';
import { startSimProcess, runCli, tmp, quantile, type SimProcess } from './helpers.ts';

const sims: SimProcess[] = [];
after(async () => { await Promise.all(sims.map((s) => s.stop())); });
async function sim(args: string[]): Promise<SimProcess> { const s = await startSimProcess(args); sims.push(s); return s; }

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: string; error?: string; chunks: Array<{ at: number; text: string }>; headersAt: number; t0: number }

function raw(base: string, path: string, body: unknown, headers: Record<string, string> = {}, opts: { method?: string; giveUpMs?: number } = {}): Promise<Raw> {
  const u = new URL(base.replace(/\/v1$/, '') + path);
  return new Promise((resolve) => {
    const t0 = performance.now();
    const out: Raw = { status: 0, headers: {}, body: '', chunks: [], headersAt: 0, t0 };
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? (data === undefined ? 'GET' : 'POST'), headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      out.status = res.statusCode!;
      out.headers = res.headers;
      out.headersAt = performance.now() - t0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => { out.body += c; out.chunks.push({ at: performance.now() - t0, text: c }); });
      res.on('end', () => resolve(out));
      res.on('error', (e) => { out.error = e.message; resolve(out); });
      res.on('aborted', () => { out.error = 'aborted'; resolve(out); });
    });
    req.on('error', (e) => { out.error = (e as NodeJS.ErrnoException).code ?? e.message; resolve(out); });
    if (opts.giveUpMs) setTimeout(() => { out.error ??= 'gave up'; req.destroy(); resolve(out); }, opts.giveUpMs);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

const dataLines = (body: string) => body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
const events = (body: string) => body.split('\n').filter((l) => l.startsWith('event: ')).map((l) => l.slice(7));
const OA = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hello' }], max_tokens: 20, ...extra });

test('/v1/sim/stats: requests, events, CPU and write lateness, resettable', async () => {
  const s = await sim(['--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '8']);
  for (let i = 0; i < 2; i++) assert.equal((await raw(s.url, '/v1/chat/completions', OA({ stream: true }))).status, 200);
  const stats = JSON.parse((await raw(s.url, '/v1/sim/stats?reset=1', undefined)).body) as SimStats;
  // 2 streams × (role + 8 tokens + finish + [DONE]); the stats request itself counts as a request
  assert.equal(stats.events, 22, JSON.stringify(stats));
  assert.equal(stats.requests, 3);
  // one lateness sample per scheduled firing; a late firing writes every token then due
  assert.ok(stats.lateness_ms.count >= 2 && stats.lateness_ms.count <= 18 && stats.lateness_ms.max >= stats.lateness_ms.p50 && stats.cpu_ms.user > 0, JSON.stringify(stats));
  const after = JSON.parse((await raw(s.url, '/v1/sim/stats', undefined)).body) as SimStats;
  assert.deepEqual([after.events, after.requests, after.lateness_ms.count], [0, 1, 0]);
});

test('endpoints and wire shapes', async () => {
  const s = await sim(['--ttft-ms', '5', '--itl-ms', '1', '--output-tokens', '8']);
  const models = await raw(s.url, '/v1/models', undefined);
  assert.equal(models.status, 200);
  assert.deepEqual(JSON.parse(models.body).data.map((m: any) => m.id).slice(0, 2), ['gpt-4.1', 'claude-sonnet-4.5']);
  assert.equal((await raw(s.url, '/health', undefined)).status, 200);

  const st = await raw(s.url, '/v1/chat/completions', OA({ stream: true, stream_options: { include_usage: true } }));
  assert.equal(st.status, 200);
  assert.match(String(st.headers['content-type']), /^text\/event-stream/);
  assert.match(String(st.headers['x-request-id']), /^req_/);
  const lines = dataLines(st.body);
  assert.equal(lines.at(-1), '[DONE]');
  const usage = JSON.parse(lines.at(-2)!);
  assert.deepEqual(usage.choices, []);
  assert.equal(usage.usage.completion_tokens, 8);
  const first = JSON.parse(lines[0]!);
  assert.deepEqual(first.choices[0].delta, { role: 'assistant', content: '', refusal: null }, 'role-only first chunk');
  assert.equal(JSON.parse(lines.at(-3)!).choices[0].finish_reason, 'stop');

  const noUsage = await raw(s.url, '/v1/chat/completions', OA({ stream: true }));
  assert.ok(dataLines(noUsage.body).every((l) => l === '[DONE]' || JSON.parse(l).usage === null), 'usage only when asked');

  const js = await raw(s.url, '/v1/chat/completions', OA());
  const o = JSON.parse(js.body);
  assert.equal(o.object, 'chat.completion');
  assert.equal(o.usage.completion_tokens, 8);
  assert.ok(o.usage.prompt_tokens > 0);

  const an = await raw(s.url, '/v1/messages', { model: 'claude-sonnet-4.5', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }, { 'x-api-key': 'k' });
  const ev = events(an.body);
  assert.equal(ev[0], 'message_start');
  for (const e of ['content_block_start', 'ping', 'content_block_delta', 'content_block_stop', 'message_delta']) assert.ok(ev.includes(e), e);
  assert.equal(ev.at(-1), 'message_stop');
  assert.ok(ev.indexOf('message_delta') < ev.indexOf('message_stop'));
  const anj = JSON.parse((await raw(s.url, '/v1/messages', { model: 'claude-sonnet-4.5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] })).body);
  assert.equal(anj.type, 'message');
  assert.equal(anj.stop_reason, 'end_turn');
});

test('wire shapes match the fixtures: same fields per chunk, same event order', async () => {
  const { sseCases } = await import('./wire-fixtures.ts');
  const fx = Object.fromEntries(sseCases().map((c) => [c.name, c.body.toString('utf8')]));
  const s = await sim(['--ttft-ms', '2', '--itl-ms', '1', '--output-tokens', '7']);
  const st = await raw(s.url, '/v1/chat/completions', OA({ stream: true, stream_options: { include_usage: true } }));
  const shape = (body: string) => dataLines(body).map((l) => (l === '[DONE]' ? l : JSON.stringify(Object.keys(JSON.parse(l)).sort()) + JSON.stringify(JSON.parse(l).choices?.map((c: any) => Object.keys(c).sort()) ?? null)));
  assert.deepEqual(shape(st.body), shape(fx.openai_basic!), 'openai stream: chunk fields and order');
  const js = (body: string) => (JSON.parse(body) as any);
  const simUsage = js(dataLines(st.body).at(-2)!).usage;
  const fxUsage = js(dataLines(fx.openai_basic!).at(-2)!).usage;
  assert.deepEqual(Object.keys(simUsage).sort(), Object.keys(fxUsage).sort());
  const an = await raw(s.url, '/v1/messages', { model: 'claude-sonnet-4.5', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] });
  const collapse = (ev: string[]) => ev.filter((e, i) => e !== 'content_block_delta' || ev[i - 1] !== 'content_block_delta');
  assert.deepEqual(collapse(events(an.body)), collapse(events(fx.anthropic_basic!)), 'anthropic event order');
  const start = JSON.parse(an.body.split('\n').find((l) => l.startsWith('data: {"type":"message_start"'))!.slice(6));
  const fxStart = JSON.parse(fx.anthropic_basic!.split('\n').find((l) => l.startsWith('data: {"type":"message_start"'))!.slice(6));
  assert.deepEqual(Object.keys(start.message).sort(), Object.keys(fxStart.message).sort());
  assert.deepEqual(Object.keys(start.message.usage).sort(), Object.keys(fxStart.message.usage).sort());
});

test('a concurrency limit with a bounded queue: a full queue answers 503 (OpenAI) / 529 (Anthropic)', async () => {
  const s = await sim(['--ttft-ms', '300', '--itl-ms', '1', '--output-tokens', '2', '--concurrency', '1', '--queue', '1']);
  const [a, b, c] = await Promise.all([0, 1, 2].map((i) => new Promise((r) => setTimeout(r, i * 20)).then(() => raw(s.url, '/v1/chat/completions', OA()))));
  assert.equal(a!.status, 200);
  assert.equal(b!.status, 200, 'queued, then served');
  assert.equal(c!.status, 503);
  assert.ok(b!.chunks[0]!.at >= 550, 'the queued request waited for the slot: its TTFT includes the queue');
  const an = await Promise.all([0, 1, 2].map((i) => new Promise((r) => setTimeout(r, i * 20)).then(() => raw(s.url, '/v1/messages', { model: 'claude-sonnet-4.5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }))));
  assert.equal(an[2]!.status, 529);
  assert.equal(JSON.parse(an[2]!.body).error.type, 'overloaded_error');
});

test('--rpm 30: the 31st request from one key gets 429 with Retry-After; another key still gets 200', async () => {
  const s = await sim(['--ttft-ms', '1', '--itl-ms', '0', '--output-tokens', '2', '--rpm', '30']);
  const key = { authorization: 'Bearer key-one' };
  for (let i = 0; i < 30; i++) {
    const r = await raw(s.url, '/v1/chat/completions', OA(), key);
    assert.equal(r.status, 200, `request ${i + 1}`);
    assert.equal(r.headers['x-ratelimit-limit-requests'], '30');
    assert.ok(r.headers['x-ratelimit-remaining-requests'] !== undefined);
  }
  const r31 = await raw(s.url, '/v1/chat/completions', OA(), key);
  assert.equal(r31.status, 429);
  assert.ok(Number(r31.headers['retry-after']) >= 1);
  assert.ok(Number(r31.headers['retry-after-ms']) > 0);
  assert.equal(r31.headers['x-ratelimit-remaining-requests'], '0');
  assert.match(String(r31.headers['x-ratelimit-reset-requests']), /^(\d+ms|[\d.]+s|\d+m[\d.]+s)$/);
  assert.equal(JSON.parse(r31.body).error.code, 'rate_limit_exceeded');
  const other = await raw(s.url, '/v1/chat/completions', OA(), { authorization: 'Bearer key-two' });
  assert.equal(other.status, 200);
  const an = await raw(s.url, '/v1/messages', { model: 'claude-sonnet-4.5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': 'key-one' });
  assert.equal(an.status, 429);
  assert.equal(an.headers['anthropic-ratelimit-requests-remaining'], '0');
  assert.match(String(an.headers['anthropic-ratelimit-requests-reset']), /^\d{4}-\d\d-\d\dT/);
  assert.equal(JSON.parse(an.body).error.type, 'rate_limit_error');
});

test('ground truth: first tokens written 100 ms after arrival, within 1 ms, at 100 concurrent streams', async () => {
  const gt = tmp('gt.jsonl');
  const s = await sim(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '20', '--ground-truth', gt]);
  // 100 streams open at once (arrivals spread over 100 ms); a first batch warms the JIT up
  const u = new URL(s.url);
  // a lean client (bytes discarded) so the measurement is the simulator's, not CPU contention
  const one = () => new Promise<void>((res) => {
    const q = request({ host: u.hostname, port: u.port, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' } }, (r) => { r.resume(); r.on('end', () => res()); });
    q.end(JSON.stringify(OA({ stream: true })));
  });
  const batch = () => Promise.all(Array.from({ length: 100 }, (_, i) => new Promise((r) => setTimeout(r, i)).then(one)));
  await batch();
  // three measured batches: 300 first tokens, so that one stall of the (virtual) machine,
  // which delays every first token due during it, cannot alone move the p95 (with 100 it did:
  // a 5 ms stall read p95 1.7 ms in one of five runs of this test's load, .prof script).
  // Lateness is one-sided: the machine can add delay, never remove it, so the claim "the
  // simulator writes first tokens on time" holds if any of three attempts meets it; a simulator
  // that is late by design fails all three (CI on 2026-12-06 read p95 1.41 ms in one attempt
  // on a busy 2-core machine, with the simulator's own GC pauses at 19 ms in total).
  let seen = 100;
  let rows: Array<{ arrival_ms: number; first_token_ms: number; token_ms: number[]; tokens: number; status: number }> = [];
  let ttft: number[] = [];
  let st!: SimStats;
  const failures: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    for (let k = 0; k < 3; k++) await batch();
    await new Promise((r) => setTimeout(r, 200));
    const all = readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    rows = all.slice(seen);
    seen = all.length;
    assert.equal(rows.length, 300);
    ttft = rows.map((g) => g.first_token_ms - g.arrival_ms);
    process.stdout.write(`# sim ground truth TTFT-100 over ${ttft.length} (attempt ${attempt + 1}): p50 ${(quantile(ttft, 0.5) - 100).toFixed(3)} p95 ${(quantile(ttft, 0.95) - 100).toFixed(3)} p99 ${(quantile(ttft, 0.99) - 100).toFixed(3)} max ${(Math.max(...ttft) - 100).toFixed(3)} ms\n`);
    // never early, whatever the machine does
    assert.ok(Math.min(...ttft) >= 100, `early: ${Math.min(...ttft)}`);
    st = await (await fetch(`${s.url}/sim/stats`)).json() as SimStats;
    // p95 within 1 ms (p50 ≈ 0.08 ms: the scheduler's nap wakes a little after the due time).
    // The tail as a share, not a single maximum (one stall of the machine delays every write
    // due during it): at most 2 % of first tokens more than 5 ms late. Over 300 first tokens
    // the maximum read 0.9–5.9 ms in runs here on 2026-12-03 while the simulator's own GC
    // pauses stayed ≤ 1.7 ms (/v1/sim/stats) (docs/PERFORMANCE.md)
    const late = ttft.filter((x) => x > 105).length / ttft.length;
    const why = late > 0.02 ? `${(100 * late).toFixed(1)} % of first tokens > 5 ms late (max ${Math.max(...ttft).toFixed(3)} ms)`
      : quantile(ttft, 0.95) > 101 ? `ttft p95 ${quantile(ttft, 0.95).toFixed(3)} ms` : null;
    if (!why) break;
    failures.push(`${why}; simulator GC ${JSON.stringify(st.gc)}`);
  }
  assert.ok(failures.length < 3, `late in three attempts: ${failures.join(' | ')}`);
  assert.equal(st.precision, 'nap');
  // half the writes within 5 % of the 10 ms inter-token gap (a ratio to the workload's own clock)
  assert.ok(st.lateness_ms.count >= 4000 && st.lateness_ms.p50 < 0.05 * 10, `lateness ${JSON.stringify(st.lateness_ms)}`);
  const itl = rows.flatMap((g) => g.token_ms.slice(1).map((t: number, i: number) => t - g.token_ms[i]));
  assert.ok(quantile(itl, 0.5) >= 9.9 && quantile(itl, 0.5) <= 10.1, `itl median ${quantile(itl, 0.5)}`);
  assert.ok(rows.every((g) => g.tokens === 20 && g.status === 200));
  const clock = JSON.parse((await raw(s.url, '/v1/sim/clock', undefined)).body);
  assert.ok(Math.abs(clock.monotonic_ms - Number(process.hrtime.bigint()) / 1e6) < 50, 'same monotonic clock base as the client');
});

test('every fault kind is produced as described', async () => {
  const s = await sim(['--ttft-ms', '10', '--itl-ms', '5', '--output-tokens', '20', '--slow-first-byte-ms', '400', '--stall-ms', '30000']);
  const f = (kind: string, body = OA({ stream: true }), path = '/v1/chat/completions', opts = {}) => raw(s.url, path, body, { 'x-sim-fault': kind }, opts);
  const r429 = await f('429');
  assert.equal(r429.status, 429);
  assert.equal(r429.headers['retry-after-ms'], '200');
  for (const code of [500, 503]) {
    const r = await f(String(code));
    assert.equal(r.status, code);
    assert.equal(typeof JSON.parse(r.body).error.message, 'string');
  }
  const r502 = await f('502');
  assert.equal(r502.status, 502);
  assert.match(r502.body, /<title>502 Bad Gateway<\/title>/);
  const r529 = await f('529', { model: 'claude-sonnet-4.5', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, '/v1/messages');
  assert.equal(r529.status, 529);
  assert.equal(JSON.parse(r529.body).error.type, 'overloaded_error');
  const reset = await f('reset_before_headers');
  assert.equal(reset.status, 0);
  assert.match(String(reset.error), /ECONNRESET|socket hang up/);
  const mid = await f('reset_mid_stream');
  assert.equal(mid.status, 200);
  assert.ok(dataLines(mid.body).length >= 5, 'some tokens first');
  assert.ok(!mid.body.includes('[DONE]'));
  assert.ok(mid.error, 'then the connection breaks');
  const stall = await f('stall', OA({ stream: true }), '/v1/chat/completions', { giveUpMs: 800 });
  assert.equal(stall.status, 200);
  assert.equal(stall.error, 'gave up');
  const lastData = stall.chunks.at(-1)!.at;
  assert.ok(lastData < 400, `went silent after ${lastData} ms`);
  const mal = await f('malformed_sse');
  const bad = dataLines(mal.body).filter((l) => { if (l === '[DONE]') return false; try { JSON.parse(l); return false; } catch { return true; } });
  assert.equal(bad.length, 1, 'one malformed data line');
  const oaErr = await f('error_event');
  assert.ok(dataLines(oaErr.body).some((l) => l.startsWith('{"error"')), 'an error object in a data line');
  const anErr = await f('error_event', { model: 'claude-sonnet-4.5', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'x' }] }, '/v1/messages');
  assert.ok(events(anErr.body).includes('error'));
  assert.ok(!events(anErr.body).includes('message_stop'));
  const slow = await f('slow_first_byte');
  assert.ok(slow.headersAt >= 390, `headers after ${slow.headersAt} ms`);
  assert.equal(slow.status, 200);
  // by rate: --fault 500:1 makes every request fail
  const all = await sim(['--ttft-ms', '1', '--fault', '500:1']);
  assert.equal((await raw(all.url, '/v1/chat/completions', OA())).status, 500);
});

test('bad input: provider-shaped 400s over HTTP, one clear line from the CLI', async () => {
  const s = await sim(['--ttft-ms', '1']);
  const badJson = await raw(s.url, '/v1/chat/completions', '{"model": ');
  assert.equal(badJson.status, 400);
  assert.equal(JSON.parse(badJson.body).error.type, 'invalid_request_error');
  const noMsgs = await raw(s.url, '/v1/chat/completions', { model: 'gpt-4.1' });
  assert.equal(noMsgs.status, 400);
  assert.equal(JSON.parse(noMsgs.body).error.param, 'messages');
  const noModel = await raw(s.url, '/v1/chat/completions', { messages: [{ role: 'user', content: 'x' }] });
  assert.equal(noModel.status, 400);
  assert.equal(JSON.parse(noModel.body).error.param, 'model');
  const anBad = await raw(s.url, '/v1/messages', { model: 'claude-sonnet-4.5', messages: [{ role: 'user', content: 'x' }] });
  assert.equal(anBad.status, 400);
  assert.equal(JSON.parse(anBad.body).type, 'error');
  assert.match(JSON.parse(anBad.body).error.message, /max_tokens/);
  assert.equal((await raw(s.url, '/v1/nope', {})).status, 404);

  const port = new URL(s.url).port;
  const cases: Array<[string[], number, RegExp]> = [
    [['sim', '--profile', 'nope'], 104, /unknown profile "nope": valid profiles are fast, holysheep, openrouter, openai/],
    [['sim', '--fault', 'meteor:0.1'], 104, /unknown fault kind "meteor": valid kinds are 429, 500/],
    [['sim', '--fault', '500:2'], 104, /invalid fault rate/],
    [['sim', '--precision', 'exact'], 104, /invalid --precision "exact": valid modes are nap, spin/],
    [['sim', '--port', port], 106, new RegExp(`port ${port} on 127.0.0.1 is already in use`)],
  ];
  for (const [args, code, re] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

test('--processes 2: one port, unique request ids, one merged ground truth and merged stats; all processes stop', async () => {
  const gt = tmp('gt.jsonl');
  const s = await startSimProcess(['--processes', '2', '--ttft-ms', '20', '--itl-ms', '2', '--output-tokens', '10', '--ground-truth', gt]);
  const { execFileSync } = await import('node:child_process');
  const children = execFileSync('pgrep', ['-P', String(s.proc.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
  assert.equal(children.length, 2, 'two simulator processes');
  // 60 streams on 30 keep-alive connections at a time: the primary hands connections to both
  const res = await Promise.all(Array.from({ length: 30 }, async () => {
    const out: Raw[] = [];
    for (let k = 0; k < 2; k++) out.push(await raw(s.url, '/v1/chat/completions', OA({ stream: true }), {}, {}));
    return out;
  }));
  const ids = res.flat().map((r) => String(r.headers['x-request-id']));
  assert.equal(new Set(ids).size, 60, 'request ids unique across processes');
  assert.deepEqual([...new Set(ids.map((i) => i.slice(0, 10)))].sort(), ['req_simp0_', 'req_simp1_'], 'both processes served');
  const st = await (await fetch(`${s.url}/sim/stats`)).json() as SimStats;
  assert.equal(st.processes, 2);
  assert.equal(st.requests, 61, 'every request of both processes, this one included');
  assert.ok(st.events >= 60 * 12, `events ${st.events}`);
  assert.ok(st.lateness_ms.count >= 60, 'lateness merged from both schedulers');
  await s.stop();
  for (const pid of children) assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} stopped with the primary`);
  const truth = readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(truth.length, 60, 'one ground-truth line per request, none torn');
  const byId = new Map(truth.map((g) => [g.id, g]));
  for (const r of res.flat()) {
    const g = byId.get(String(r.headers['x-request-id']));
    assert.ok(g, 'each response has its ground truth');
    assert.equal(g.tokens, 10);
    const text = r.body.split('\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? '').join('');
    assert.equal(text, g.content);
  }
  // limits would apply per process: refused with one line
  const bad = await runCli(['sim', '--processes', '2', '--concurrency', '4']);
  assert.equal(bad.code, 104);
  assert.match(bad.stderr, /--processes 2 cannot be combined with --concurrency/);
});
