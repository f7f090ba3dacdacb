// Client benchmarks (issue #4): CPU per streamed output event, TTFT error versus the
// simulator's ground truth, memory per open stream, at 100, 1,000 and 5,000 concurrent streams.
// Each level runs twice, with short and long responses, so that the CPU splits into a cost per
// event (the marginal one: SSE, dialect, timing, undici's read path, the kernel) and a cost per
// request (dispatch, connection, headers, metrics): cpu = requests × R + events × E.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Agent } from 'undici';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { chat } from '../lib/llm/index.ts';
import { monoMs } from '../lib/clock.ts';
import { SseParser } from '../lib/llm/sse.ts';
import { dialect } from '../lib/llm/dialects/index.ts';
import { startSimProcess, tmp } from '../test/helpers.ts';
import { fmt, median, quantile } from './lib.ts';
import type { GroundTruth } from '../sim/server.ts';

const SHORT = 40;
const LONG = 160;

// a full collection before reading the heap: live bytes, not garbage awaiting collection
setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc') as () => void;

interface Seen { id: string; dispatch: number; first: number; ttft: number }
interface Errors { errs: number[]; up: number[]; down: number[] }

/** TTFT error per request against the simulator's ground truth file, and the same error in two
 * legs, both on the machine's monotonic clock: request written → simulator handler runs (up),
 * first token written → client has read it (down). */
function againstTruth(gtFile: string, seen: Seen[]): Errors {
  const truth = new Map<string, GroundTruth>(readFileSync(gtFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g: GroundTruth) => [g.id, g]));
  const out: Errors = { errs: [], up: [], down: [] };
  for (const r of seen) {
    const g = truth.get(r.id);
    if (!g || g.first_token_ms === null) continue;
    out.errs.push(r.ttft - (g.first_token_ms - g.arrival_ms));
    out.up.push(g.arrival_ms - r.dispatch);
    out.down.push(r.first - g.first_token_ms);
  }
  return out;
}

interface Run extends Errors { requests: number; events: number; cpuUs: number; heapPerStreamKb: number; failed: number }

async function level(n: number, itl: number, spreadMs: number, tokens: number, probeHeap = true): Promise<Run> {
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', String(itl), '--output-tokens', String(tokens), '--ground-truth', gt]);
  const provider = { name: 'sim', baseUrl: sim.url, dialect: 'openai-chat' as const };
  const call = () => chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000, stream: true }, { provider, timeouts: { total: '300s', headers: '60s' } });
  await Promise.all(Array.from({ length: Math.min(n, 200) }, call)); // warm the pool and the JIT
  fullGc();
  const heap0 = process.memoryUsage().heapUsed;
  let heapOpen = heap0;
  const cpu0 = process.cpuUsage();
  // every stream is open between the last arrival (+ TTFT) and the first end
  const probe = probeHeap ? setTimeout(() => { fullGc(); heapOpen = process.memoryUsage().heapUsed; }, spreadMs + 100 + 50) : undefined;
  const results = await Promise.all(Array.from({ length: n }, async (_, i) => {
    // arrivals spread (1,000 new connections within 200 ms kept the client saturated for the
    // first second), but all open at once: each stream outlasts the spread
    await new Promise((r) => setTimeout(r, (i * spreadMs) / n));
    return call();
  }));
  const cpu = process.cpuUsage(cpu0);
  clearTimeout(probe);
  await new Promise((r) => setTimeout(r, 300));
  await sim.stop();
  let events = 0;
  const seen: Seen[] = [];
  for (const r of results) {
    if (!r.ok) continue;
    events += r.timings.itlMs.length + 1;
    if (r.timings.ttftMs !== null && r.timings.firstOutput !== null) seen.push({ id: r.headers['x-request-id']!, dispatch: r.timings.dispatch, first: r.timings.firstOutput, ttft: r.timings.ttftMs });
  }
  return { ...againstTruth(gt, seen), requests: results.length, events, cpuUs: cpu.user + cpu.system, heapPerStreamKb: (heapOpen - heap0) / n / 1024, failed: results.filter((r) => !r.ok).length };
}

/** The same streams (1,000, arrivals over 1 s) read three ways — bare sockets that parse
 * nothing, undici with a no-op handler, and lib/llm's chat() — at two lengths, so each splits
 * into a marginal CPU per event and a CPU per request (new connection included). */
export async function floors(): Promise<string[]> {
  const n = 1000, itl = 20;
  const readers = ['bare net socket, no parsing', 'undici dispatch, no-op handler', 'lib/llm chat()'] as const;
  const cpu: Record<string, number[]> = {};
  for (const tokens of [SHORT, LONG]) {
    const sim = await startSimProcess(['--ttft-ms', '50', '--itl-ms', String(itl), '--output-tokens', String(tokens)]);
    const u = new URL(sim.url);
    const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000, stream: true });
    const agent = new Agent();
    const provider = { name: 'sim', baseUrl: sim.url, dialect: 'openai-chat' as const };
    const read: Record<(typeof readers)[number], () => Promise<unknown>> = {
      'bare net socket, no parsing': () => new Promise<void>((res) => {
        const s = connect(Number(u.port), u.hostname, () => s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: ${u.host}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`));
        s.on('data', () => {}); s.on('close', () => res()); s.on('error', () => res());
      }),
      'undici dispatch, no-op handler': () => new Promise<void>((res) => {
        agent.dispatch({ origin: u.origin, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body }, {
          onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd: () => res(), onResponseError: () => res(),
        } as never);
      }),
      'lib/llm chat()': () => chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000, stream: true }, { provider, timeouts: { total: '120s' } }),
    };
    for (const name of readers) {
      await Promise.all(Array.from({ length: 200 }, read[name])); // warm-up
      const c0 = process.cpuUsage();
      await Promise.all(Array.from({ length: n }, (_, i) => new Promise((r) => setTimeout(r, i)).then(read[name])));
      const c = process.cpuUsage(c0);
      (cpu[name] ??= []).push(c.user + c.system);
    }
    await agent.close();
    await sim.stop();
  }
  const rows = ['| the same 1,000 streams read by | CPU per event (marginal) | CPU per request (new connection) |', '|---|---:|---:|'];
  for (const name of readers) {
    const [a, b] = cpu[name]!;
    const perEvent = (b! - a!) / (n * (LONG - SHORT));
    rows.push(`| ${name} | ${fmt(perEvent, 2)} µs | ${fmt((a! - perEvent * n * SHORT) / n, 0)} µs |`);
  }
  return rows;
}

/** TTFT error at N concurrent streams in steady state: N loops each send one request after
 * another on their keep-alive connections (k6's constant-vus shape) for `seconds`; requests
 * dispatched after every loop has started and finished one request are measured. Only the
 * numbers needed are kept, not the results (their garbage would be the benchmark's).
 * `reader`: lib/llm's chat(), or undici's dispatch with a handler that only takes two
 * timestamps — the floor any undici-based client starts from on this machine. (The simulator
 * flushes the headers at arrival and writes the role chunk together with the first token, so
 * the first body chunk is the first output.) */
async function steady(n: number, itl: number, tokens: number, seconds: number, reader: 'chat' | 'undici' = 'chat'): Promise<Errors & { failed: number }> {
  const gt = tmp('gt.jsonl');
  const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', String(itl), '--output-tokens', String(tokens), '--ground-truth', gt]);
  const provider = { name: 'sim', baseUrl: sim.url, dialect: 'openai-chat' as const };
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const origin = new URL(sim.url).origin;
  const body = JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000, stream: true, stream_options: { include_usage: true } });
  const viaUndici = () => new Promise<Seen | null>((res) => {
    let dispatch = 0, first = 0, id = '';
    agent.dispatch({ origin, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body }, {
      onRequestStart() { dispatch = monoMs(); },
      onResponseStart(_c: unknown, _status: number, h: Record<string, string>) { id = h['x-request-id'] ?? ''; },
      onResponseData() { if (!first) first = monoMs(); },
      onResponseEnd: () => res(first ? { id, dispatch, first, ttft: first - dispatch } : null),
      onResponseError: () => res(null),
    } as never);
  });
  const viaChat = async (): Promise<Seen | null> => {
    const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1000, stream: true }, { provider, timeouts: { total: '300s', headers: '60s' } });
    return r.ok && r.timings.ttftMs !== null && r.timings.firstOutput !== null ? { id: r.headers['x-request-id']!, dispatch: r.timings.dispatch, first: r.timings.firstOutput, ttft: r.timings.ttftMs } : null;
  };
  const call = reader === 'chat' ? viaChat : viaUndici;
  // every reader starts from a collected heap, not from the garbage of the levels before it
  fullGc();
  const t0 = performance.now();
  const rampMs = 2000;
  const measureFrom = t0 + rampMs + 100 + tokens * itl + 500;
  const seen: Seen[] = [];
  let failed = 0;
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    await new Promise((r) => setTimeout(r, (i * rampMs) / n));
    while (performance.now() - t0 < seconds * 1000) {
      const started = performance.now();
      const r = await call();
      if (!r) { failed++; continue; }
      if (started >= measureFrom) seen.push(r);
    }
  }));
  await new Promise((r) => setTimeout(r, 300));
  await agent.close();
  await sim.stop();
  return { ...againstTruth(gt, seen), failed };
}

/** SSE parsing + dialect reading per event over pre-made chunks (no sockets), 1,000 streams
 * interleaved one event at a time as a loaded client sees them: the text path (decode, lines,
 * JSON fast path) against the byte path (SseParser's bytes hook), median of 5 runs each. */
function parseCost(): string[] {
  const rows = ['| dialect | text path ns/event | byte path ns/event |', '|---|---:|---:|'];
  const words = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' lazy', ' dog'];
  const shapes: Record<string, (t: string) => string> = {
    'openai-chat': (t) => `data: {"id":"chatcmpl-sim00000001","object":"chat.completion.chunk","created":1796299813,"model":"gpt-4.1","service_tier":"default","system_fingerprint":"fp_llmload_sim","choices":[{"index":0,"delta":{"content":"${t}"},"logprobs":null,"finish_reason":null}],"usage":null}\n\n`,
    'anthropic-messages': (t) => `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${t}"}}\n\n`,
  };
  const S = 1000, E = 300;
  for (const [name, shape] of Object.entries(shapes)) {
    const chunks = words.map((w) => Buffer.from(shape(w)));
    const run = (bytes: boolean) => {
      const streams = Array.from({ length: S }, () => {
        const r = dialect(name).stream();
        return new SseParser({ event: (e) => { r.onEvent(e.event, e.data); }, bytes: bytes ? (b, s, e, es, ee) => r.onDataBytes!(b, s, e, es, ee) !== null : undefined });
      });
      const t0 = process.hrtime.bigint();
      for (let e = 0; e < E; e++) for (let s = 0; s < S; s++) streams[s]!.push(chunks[(e + s) & 7]!);
      return Number(process.hrtime.bigint() - t0) / (S * E);
    };
    const text: number[] = [], bytes: number[] = [];
    for (let k = 0; k < 5; k++) { text.push(run(false)); bytes.push(run(true)); }
    rows.push(`| ${name} | ${fmt(median(text), 0)} | ${fmt(median(bytes), 0)} |`);
  }
  return rows;
}

const legs = (xs: number[]) => `${fmt(median(xs), 2)} / ${fmt(quantile(xs, 0.99), 2)} ms`;

export async function clientBench(): Promise<string[]> {
  const rows = ['| concurrent streams | requests | output events | CPU per event (marginal) | CPU per request | whole process µs/event at 160 tokens | TTFT error p50 | TTFT error p99 | up leg p50 / p99 | down leg p50 / p99 | live heap per open stream |', '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const n of [100, 1000, 5000]) {
    // ITL grows with the stream count so that client and simulator (sharing the machine's
    // cores) stay near 10,000–20,000 events/s
    const itl = n <= 100 ? 10 : n <= 1000 ? 50 : 250;
    const spread = n <= 100 ? 200 : n <= 1000 ? 1000 : 2000; // < SHORT × ITL
    const a = await level(n, itl, spread, SHORT, false); // the heap is read in the long run only (a forced full GC mid-run)
    const b = await level(n, itl, spread, LONG);
    // two equations, two unknowns: cpu = requests × R + events × E (requests are equal)
    const perEvent = (b.cpuUs - a.cpuUs) / (b.events - a.events);
    const perRequest = (a.cpuUs - perEvent * a.events) / a.requests;
    const errs = [...a.errs, ...b.errs];
    const up = [...a.up, ...b.up], down = [...a.down, ...b.down];
    const failed = a.failed + b.failed;
    rows.push(`| ${n} (ITL ${itl} ms) | ${a.requests + b.requests}${failed ? ` (${failed} failed)` : ''} | ${a.events + b.events} | ${fmt(perEvent, 2)} µs | ${fmt(perRequest, 0)} µs | ${fmt(b.cpuUs / b.events, 2)} | ${fmt(median(errs), 3)} ms | ${fmt(quantile(errs, 0.99), 3)} ms | ${legs(up)} | ${legs(down)} | ${fmt(b.heapPerStreamKb, 1)} KB |`);
  }
  rows.push('', 'Parsing alone (SseParser + dialect reader over pre-made chunks, 1,000 streams interleaved, no sockets; median of 5):', '', ...parseCost());
  rows.push('', 'TTFT error in steady state: N loops, each sending its next request when the last ends, on warm keep-alive connections (k6\'s constant-vus shape), 12 s, 40 tokens per response; requests that start after every loop has finished one are measured. Legs, each p50 / p99: request written → simulator handler runs ("up"), first token written → client has read it ("down"). Each level is read twice: by chat(), and by undici\'s dispatch with a handler that only takes the two timestamps (the floor of an undici-based client here, with the simulator on the same 2 cores).', '',
    '| concurrent streams | read by | measured requests | TTFT error p50 | TTFT error p99 | up leg | down leg |', '|---:|---|---:|---:|---:|---:|---:|');
  for (const [n, itl] of [[100, 10], [1000, 50]] as const) {
    for (const reader of ['chat', 'undici'] as const) {
      const r = await steady(n, itl, SHORT, 12, reader);
      rows.push(`| ${n} (ITL ${itl} ms) | ${reader === 'chat' ? 'lib/llm chat()' : 'undici, timestamps only'} | ${r.errs.length}${r.failed ? ` (${r.failed} failed)` : ''} | ${fmt(median(r.errs), 3)} ms | ${fmt(quantile(r.errs, 0.99), 3)} ms | ${legs(r.up)} | ${legs(r.down)} |`);
    }
  }
  rows.push('', 'What a Node.js client pays on this machine before any work of ours (ITL 20 ms, kernel included):', '', ...(await floors()));
  rows.push('', `Each level runs twice (${SHORT}- and ${LONG}-token responses, one per stream, arrivals spread over 0.2 / 1 / 2 s, shorter than any stream, so all N are open at once) and the process CPU is split as requests × R + events × E: E is the marginal CPU per streamed event (SSE parsing, dialect, timing, undici's read path and the kernel's), R the cost of one request (dispatch, a new connection, headers, metrics). Live heap per open stream = heap after a full GC with every stream open, minus the heap after a full GC before, over N. TTFT error = the client's TTFT − the simulator's recorded (first-token write − request arrival), same machine clock: network, parsing and event-loop delay on both sides.`);
  return rows;
}
