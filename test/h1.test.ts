// Conformance of our HTTP/1.1 reader (lib/llm/h1) over real sockets: scripted servers on
// loopback write exact bytes, the reader must frame, reuse, close, time out and fail as the
// RFC (9112) and undici do. TLS against a real TLS server with a certificate made for the run.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { h1Transport } from '../lib/llm/h1/transport.ts';
import { closeIdle } from '../lib/llm/h1/pool.ts';
import type { TransportRequest } from '../lib/llm/transport.ts';
import { chat } from '../lib/llm/index.ts';
import { ROOT } from './helpers.ts';

interface Scripted { url: string; connections: number; requests: string[]; close(): Promise<void> }

/** A server that answers each request (read up to its blank line + Content-Length) with the
 *  next of `replies`: a string to write, or a function that drives the socket itself. */
async function scripted(replies: Array<string | ((s: net.Socket) => void)>): Promise<Scripted> {
  const st = { connections: 0, requests: [] as string[] };
  const socks = new Set<net.Socket>();
  let next = 0;
  const server = net.createServer((s) => {
    st.connections++;
    socks.add(s);
    s.on('close', () => socks.delete(s));
    s.on('error', () => {});
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      for (;;) {
        const h = buf.indexOf('\r\n\r\n');
        if (h < 0) return;
        const len = Number(/content-length: (\d+)/i.exec(buf.slice(0, h))?.[1] ?? 0);
        if (buf.length < h + 4 + len) return;
        st.requests.push(buf.slice(0, h + 4 + len));
        buf = buf.slice(h + 4 + len);
        const r = replies[Math.min(next++, replies.length - 1)]!;
        if (typeof r === 'string') s.write(r); else r(s);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    get connections() { return st.connections; },
    requests: st.requests,
    close: () => new Promise<void>((r) => { for (const s of socks) s.destroy(); server.close(() => r()); }),
  };
}
const servers: Scripted[] = [];
after(async () => { closeIdle(); await Promise.all(servers.map((s) => s.close())); });
async function server(replies: Array<string | ((s: net.Socket) => void)>) { const s = await scripted(replies); servers.push(s); return s; }

interface Outcome { status: number; headers: Record<string, string>; body: string; error: { kind: string; message: string; connect: boolean } | null; sentConnect: unknown; chunks: number; headersAt?: number }

function send(url: string, over: Partial<TransportRequest> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const o: Outcome = { status: 0, headers: {}, body: '', error: null, sentConnect: undefined, chunks: 0 };
    h1Transport.send({ url: new URL(url), method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}', connectTimeoutMs: 1000, headersTimeoutMs: 2000, idleTimeoutMs: 2000, totalTimeoutMs: 5000, ...over }, {
      onSent(_at, c) { o.sentConnect = c; },
      onHeaders(status, headers, at) { o.status = status; o.headers = headers; o.headersAt = at; },
      // the chunk is a view of a reused buffer: copy what is kept, as the SSE parser does
      onData(buf, s, e) { o.body += buf.toString('utf8', s, e); o.chunks++; },
      onEnd() { resolve(o); },
      onError(kind, message, _at, connect) { o.error = { kind, message, connect }; resolve(o); },
    });
  });
}

const SSE = (events: string[]) => events.map((e) => `data: ${e}\n\n`).join('');
const chunked = (parts: string[], tail = '0\r\n\r\n') => parts.map((p, i) => `${Buffer.byteLength(p).toString(16)}${i % 2 ? ';ext=1' : ''}\r\n${p}\r\n`).join('') + tail;

test('chunked SSE with chunk extensions and trailers, through chat(): content exact, connection reused', async () => {
  const deltas = ['Hel', 'lo, ', 'wörld', ' 🌍'];
  const events = [...deltas.map((d) => JSON.stringify({ choices: [{ index: 0, delta: { content: d } }] })), JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }), '[DONE]'];
  const body = chunked(SSE(events).match(/[\s\S]{1,23}/g)!, '0;end=1\r\nx-checksum: abc\r\n\r\n');
  const reply = `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${body}`;
  const s = await server([reply]);
  const provider = { baseUrl: s.url.replace('/chat/completions', ''), dialect: 'openai-chat' as const };
  for (let i = 0; i < 3; i++) {
    const r = await chat({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true }, { provider, retry: false });
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.content, deltas.join(''));
    assert.equal(r.finishReason, 'stop');
    assert.equal(r.timings.itlMs.length, deltas.length - 1);
  }
  assert.equal(s.connections, 1, 'keep-alive: one connection for three requests');
  // the request as written: our framing, the caller's headers
  assert.match(s.requests[0]!, /^POST \/v1\/chat\/completions HTTP\/1\.1\r\n/);
  assert.match(s.requests[0]!, /\r\nhost: 127\.0\.0\.1:\d+\r\n/);
  const len = Number(/content-length: (\d+)/.exec(s.requests[0]!)![1]);
  assert.equal(Buffer.byteLength(s.requests[0]!.slice(s.requests[0]!.indexOf('\r\n\r\n') + 4)), len);
});

test('Content-Length bodies, larger than the read buffer, arrive whole and in order', async () => {
  const big = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  const s = await server([`HTTP/1.1 200 OK\r\ncontent-length: ${big.length}\r\n\r\n${big}`]);
  const o = await send(s.url);
  assert.equal(o.error, null);
  assert.equal(o.body, big);
  assert.ok(o.chunks >= 4, `${o.chunks} reads`);
});

test('Connection: close is honoured: the next request opens a new connection and succeeds', async () => {
  const s = await server([(sock) => { sock.end('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok'); }]);
  for (let i = 0; i < 3; i++) { const o = await send(s.url); assert.equal(o.error, null, o.error?.message); assert.equal(o.body, 'ok'); }
  assert.equal(s.connections, 3);
  // HTTP/1.0 without keep-alive, body until close
  const t = await server([(sock) => { sock.end('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil close'); }]);
  const o = await send(t.url);
  assert.equal(o.body, 'until close');
  assert.equal(o.error, null);
});

test('the server\'s Keep-Alive timeout hint: an idle connection is dropped before the server would close it', async () => {
  const s = await server(['HTTP/1.1 200 OK\r\nkeep-alive: timeout=1\r\ncontent-length: 0\r\n\r\n']);
  await send(s.url);
  await send(s.url);
  assert.equal(s.connections, 2, 'timeout=1 leaves no safe idle time: not reused');
  const k = await server(['HTTP/1.1 200 OK\r\nkeep-alive: timeout=5\r\ncontent-length: 0\r\n\r\n']);
  await send(k.url);
  await send(k.url);
  assert.equal(k.connections, 1);
});

test('1xx interim responses (100, 103) before the final one', async () => {
  const s = await server(['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\ndone']);
  const o = await send(s.url);
  assert.equal(o.status, 200);
  assert.equal(o.headers.link, undefined);
  assert.equal(o.body, 'done');
});

// failures, one test each: every kind is reached by its own cause
test('failure: a reset mid-body is a network error and keeps what was read', async () => {
  const reset = await server([(sock) => { sock.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n'); setTimeout(() => sock.resetAndDestroy(), 20); }]);
  const r = await send(reset.url);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'hello', 'what was read is kept');
  assert.equal(r.error?.kind, 'network');
});

test('failure: a connection closed before the Content-Length body is complete is a network error', async () => {
  const cut = await server([(sock) => { sock.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nshort'); }]);
  const c = await send(cut.url);
  assert.equal(c.error?.kind, 'network');
  assert.match(c.error?.message ?? '', /before the body was complete/);
});

test('failure: a reply that is not HTTP is a network error naming it', async () => {
  const junk = await server(['SSH-2.0-OpenSSH_9.6\r\n\r\n']);
  const j = await send(junk.url);
  assert.equal(j.error?.kind, 'network');
  assert.match(j.error!.message, /not an HTTP\/1\.x status line/);
});

test('failure: no response headers within the headers timeout', async () => {
  const silent = await server([() => {}]);
  assert.equal((await send(silent.url, { headersTimeoutMs: 200 })).error?.kind, 'timeout_headers');
});

test('failure: a stream that goes quiet past the idle timeout is a stall, keeping what was read', async () => {
  const stall = await server([(sock) => { sock.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n'); }]);
  const st = await send(stall.url, { idleTimeoutMs: 300 });
  assert.equal(st.error?.kind, 'stall');
  assert.equal(st.body, 'hi');
});

test('failure: a trickle that beats the idle timeout still ends at the total timeout', async () => {
  const trickle = await server([(sock) => {
    sock.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
    const iv = setInterval(() => { if (sock.writable) sock.write('1\r\nx\r\n'); else clearInterval(iv); }, 50);
    sock.on('close', () => clearInterval(iv));
  }]);
  const t0 = performance.now();
  const tr = await send(trickle.url, { idleTimeoutMs: 200, totalTimeoutMs: 600 });
  assert.equal(tr.error?.kind, 'timeout_total', 'data every 50 ms keeps a 200 ms idle timeout from firing');
  // never before the total timeout (a timer fires late, never early); the bytes read show the
  // trickle ran until then: one byte per 50 ms
  assert.ok(performance.now() - t0 >= 600 - 1, `${performance.now() - t0} ms`);
  assert.ok(tr.body.length >= 5, `${tr.body.length} bytes`);
});

test('failure: a refused connect is a connect-phase network error (chat() retries those)', async () => {
  const port = await new Promise<number>((res) => { const x = net.createServer(); x.listen(0, '127.0.0.1', () => { const p = (x.address() as net.AddressInfo).port; x.close(() => res(p)); }); });
  const refused = await send(`http://127.0.0.1:${port}/`);
  assert.deepEqual([refused.error?.kind, refused.error?.connect], ['network', true]);
});

test('failure: an aborted signal ends the exchange as aborted', async () => {
  const ctl = new AbortController();
  const slow = await server([() => {}]);
  setTimeout(() => ctl.abort(), 100);
  assert.equal((await send(slow.url, { signal: ctl.signal })).error?.kind, 'aborted');
});

test('a header value with CR or LF is refused, nothing is written', async () => {
  const s = await server(['HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n']);
  const o = await send(s.url, { headers: { 'x-evil': 'a\r\nx-injected: 1' } });
  assert.match(o.error?.message ?? '', /may not contain CR, LF or NUL/);
  assert.equal(s.requests.length, 0);
});

test('connection set-up timing: a new connection reports its connect, a reused one none', async () => {
  const s = await server(['HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n']);
  const first = await send(s.url);
  const second = await send(s.url);
  const c = first.sentConnect as { start: number; tcp: number; tls: number | null };
  // the connect was stamped by its own event (not defaulted to the end of set-up): after the
  // start, and before this exchange's response began
  assert.ok(c && c.tcp > c.start && c.tls === null, JSON.stringify(c));
  assert.ok(c.tcp < first.headersAt!, `tcp ${c.tcp} vs response headers at ${first.headersAt}`);
  assert.equal(second.sentConnect, null);
});

test('TLS: a server with a certificate the client trusts (NODE_EXTRA_CA_CERTS); an untrusted one fails clearly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmload-h1-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  // the TLS server and the client run in a child so the CA can be given the standard way
  const script = join(dir, 'tls.ts');
  writeFileSync(script, `
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
import { h1Transport } from ${JSON.stringify(join(ROOT, 'lib/llm/h1/transport.ts'))};
const srv = tls.createServer({ key: readFileSync(${JSON.stringify(join(dir, 'key.pem'))}), cert: readFileSync(${JSON.stringify(join(dir, 'cert.pem'))}), ALPNProtocols: ['http/1.1'] }, (s) => {
  let n = 0;
  s.on('data', (d) => { if (String(d).includes('\\r\\n\\r\\n')) { n++; s.write('HTTP/1.1 200 OK\\r\\ntransfer-encoding: chunked\\r\\n\\r\\n6\\r\\nsecure\\r\\n0\\r\\n\\r\\n'); } });
});
srv.listen(0, '127.0.0.1', async () => {
  const port = srv.address().port;
  const one = (host) => new Promise((res) => {
    const o = { body: '', err: null, connect: null };
    h1Transport.send({ url: new URL('https://' + host + ':' + port + '/v1'), method: 'POST', headers: {}, body: '{}', connectTimeoutMs: 2000, headersTimeoutMs: 2000, idleTimeoutMs: 2000, totalTimeoutMs: 4000 }, {
      onSent(_a, c) { o.connect = c; }, onHeaders() {}, onData(b, s, e) { o.body += b.toString('utf8', s, e); }, onEnd() { res(o); }, onError(k, m) { o.err = k + ': ' + m; res(o); },
    });
  });
  const out = [await one('localhost'), await one('localhost'), await one('127.0.0.1')];
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
});
`);
  const run = (env: Record<string, string>) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as Array<{ body: string; err: string | null; connect: { tls: number | null; tcp: number } | null }>;
  };
  const trusted = run({ NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
  assert.deepEqual(trusted.map((o) => [o.body, o.err]), [['secure', null], ['secure', null], ['secure', null]]);
  // TCP connect stamped by its own event, then the handshake after it: start < tcp ≤ tls
  const tc = trusted[0]!.connect! as { start: number; tcp: number; tls: number };
  assert.ok(tc.tcp > tc.start && tc.tls >= tc.tcp, `TLS timing ${JSON.stringify(tc)}`);
  assert.equal(trusted[1]!.connect, null, 'the TLS connection is reused');
  const untrusted = run({});
  assert.match(untrusted[0]!.err ?? '', /^tls: TLS handshake with localhost failed: .*self[- ]signed/i);
  void readFileSync;
});
