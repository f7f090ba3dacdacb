// Issue #28, idle connections: a server that closes an idle keep-alive connection as the client
// reuses it must not produce errors. Three targets: a server that closes every reused connection
// on its second request (the race made certain, so the re-send count has an exact truth), the
// simulator closing idle connections after 2 s with no Keep-Alive hint, and a real uvicorn
// (closes after 5 s, no hint) — both readers (--http-client llmload|undici) against each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { runCli, startSimProcess, ROOT, type SimProcess } from './helpers.ts';

const SCENARIO = 'test/scenarios/idle-reuse.ts';
const CLIENTS = ['llmload', 'undici'] as const;

/** Answers one streamed completion per request; `/first/…` paths kill a fresh connection's first
 *  request, other paths kill every connection's second request: both before any response byte. */
function racingServer(): Promise<{ port: number; killed: () => number; close(): void }> {
  let killed = 0;
  const server = net.createServer((sock) => {
    let n = 0;
    let buf = '';
    sock.on('error', () => {});
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const headEnd = buf.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const len = Number(/content-length: *(\d+)/i.exec(buf.slice(0, headEnd))?.[1] ?? 0);
        if (buf.length < headEnd + 4 + len) return;
        const path = buf.slice(buf.indexOf(' ') + 1, buf.indexOf(' ', buf.indexOf(' ') + 1));
        buf = buf.slice(headEnd + 4 + len);
        n++;
        if ((path.startsWith('/first/') && n === 1) || (!path.startsWith('/first/') && n === 2)) { killed++; sock.destroy(); return; }
        const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
        const body = ev({ choices: [{ index: 0, delta: { content: 'hi there' }, finish_reason: null }] }) + ev({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + ev({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }) + 'data: [DONE]\n\n';
        sock.write(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      }
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ port: (server.address() as net.AddressInfo).port, killed: () => killed, close: () => server.close() })));
}

const count = (s: any, m: string) => s.metrics[m]?.values.count ?? 0;

async function run(client: string, baseUrl: string, env: Record<string, string>) {
  const r = await runCli(['run', SCENARIO, '--http-client', client, '-q', '-e', 'PROVIDER=sim', '-e', `BASE_URL=${baseUrl}`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`])], { timeoutMs: 120_000 });
  assert.ok(r.summary, `${client}: no summary (exit ${r.code}): ${r.stderr.slice(-500)}`);
  return r;
}

test('a reused connection closed before any response byte is re-sent once on a new one, counted, not an error', async () => {
  for (const client of CLIENTS) {
    const srv = await racingServer();
    try {
      // 1 VU, 6 calls back to back: call 1 opens a connection; each later call reuses the
      // connection the previous one got, whose second request the server kills unanswered
      const r = await run(client, `http://127.0.0.1:${srv.port}/v1`, { VUS: '1', ITERATIONS: '6', THINK_MIN: '0', THINK_MAX: '0' });
      assert.equal(r.code, 0, `${client}: exit ${r.code}: ${r.stderr.slice(-500)}`);
      assert.equal(count(r.summary, 'llm_requests'), 6, client);
      assert.equal(r.summary.llm.totals.errors, 0, `${client}: ${JSON.stringify(r.summary.llm.totals.errors_by_kind)}`);
      // our reader pools the connection a re-send opened (5 kills: calls 2–6); undici re-sends on
      // a one-off connection, so the call after a re-send opens a new pooled one (calls 2, 4, 6)
      assert.equal(srv.killed(), client === 'llmload' ? 5 : 3, `${client}: the server killed one request per reused connection`);
      assert.equal(count(r.summary, 'llm_conn_resends'), srv.killed(), `${client}: every killed request re-sent and counted`);
    } finally { srv.close(); }
  }
});

test('a fresh connection that dies before any response byte is the server\'s failure: an error, not re-sent', async () => {
  for (const client of CLIENTS) {
    const srv = await racingServer();
    try {
      const r = await run(client, `http://127.0.0.1:${srv.port}/first/v1`, { VUS: '1', ITERATIONS: '3', THINK_MIN: '0', THINK_MAX: '0' });
      assert.equal(count(r.summary, 'llm_requests'), 3, client);
      assert.equal(r.summary.llm.totals.errors_by_kind.network, 3, `${client}: ${JSON.stringify(r.summary.llm.totals)}`);
      assert.equal(count(r.summary, 'llm_conn_resends'), 0, client);
    } finally { srv.close(); }
  }
});

// think times straddling the server's idle timeout; both readers at once (each is light: ~5
// calls/s of 5 tokens); every call must succeed
async function straddle(baseUrl: string, think: [number, number]) {
  const rs = await Promise.all(CLIENTS.map((c) => run(c, baseUrl, { VUS: '10', DURATION: '20s', THINK_MIN: String(think[0]), THINK_MAX: String(think[1]) })));
  rs.forEach((r, i) => {
    const client = CLIENTS[i]!;
    assert.equal(r.code, 0, `${client}: exit ${r.code}: ${r.stderr.slice(-500)}`);
    assert.ok(count(r.summary, 'llm_requests') >= 40, `${client}: ${count(r.summary, 'llm_requests')} calls`);
    assert.equal(r.summary.llm.totals.errors, 0, `${client}: ${JSON.stringify(r.summary.llm.totals.errors_by_kind)}`);
  });
  return rs;
}

let sim: SimProcess;
let uvicorn: ChildProcess | null = null;
let uvicornPort = 0;
const hasUvicorn = (() => { try { execFileSync('python3', ['-c', 'import uvicorn'], { stdio: 'ignore' }); return true; } catch { return false; } })();

before(async () => {
  sim = await startSimProcess(['--idle-timeout-ms', '2000', '--no-keepalive-hint', '--ttft-ms', '20', '--itl-ms', '5']);
  if (hasUvicorn) {
    uvicornPort = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
    uvicorn = spawn('python3', [join(ROOT, 'test/tools/uvicorn_chat.py'), String(uvicornPort), '5'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      const up = await new Promise<boolean>((r) => { const c = net.connect(uvicornPort, '127.0.0.1', () => { c.destroy(); r(true); }).on('error', () => r(false)); });
      if (up) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});
after(async () => { await sim?.stop(); uvicorn?.kill(); });

test('the simulator closing idle connections after 2 s, no hint; think 1.5–3 s: zero errors', async () => {
  // the simulator answers no Keep-Alive hint on JSON and streams alike
  const res = await fetch(`${sim.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], max_tokens: 2 }) });
  await res.text();
  assert.equal(res.headers.get('keep-alive'), null);
  await straddle(sim.url, [1.5, 3]);
});

test('uvicorn (5 s idle close, no hint); think 4–6 s: zero errors', { skip: hasUvicorn ? false : 'python3 -m pip install uvicorn to run it' }, async () => {
  await straddle(`http://127.0.0.1:${uvicornPort}/v1`, [4, 6]);
});
