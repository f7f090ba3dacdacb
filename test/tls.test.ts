// HTTPS targets (issue #28): a self-signed server is refused with a `tls` error that names the
// host and is not retried; --insecure-skip-tls-verify or --tls-ca FILE accept it; a server that
// requires a client certificate gets one from k6's tlsAuth; the User-Agent is llmload's.
// Certificates are made per run with openssl; servers are node:https on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runCli } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'llmload-tls-'));
const f = (n: string) => join(dir, n);
const ssl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'ignore' });

interface Srv { url: string; agents: string[]; close(): void }
function serve(opts: https.ServerOptions): Promise<Srv> {
  const agents: string[] = [];
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const server = https.createServer(opts, (req, res) => {
    agents.push(String(req.headers['user-agent'] ?? ''));
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(ev({ choices: [{ index: 0, delta: { content: 'secure hello' }, finish_reason: null }] }) + ev({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
        + ev({ choices: [], usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 } }) + 'data: [DONE]\n\n');
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ url: `https://localhost:${(server.address() as AddressInfo).port}/v1`, agents, close: () => server.close() })));
}

let plain: Srv, mutual: Srv;
before(async () => {
  // a server certificate (self-signed, for localhost) and a client CA with one client certificate
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('srv.key'), '-out', f('srv.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=llmload test client CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('client.key'), '-out', f('client.csr'), '-subj', '/CN=llmload client');
  ssl('x509', '-req', '-in', f('client.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('client.pem'), '-days', '1');
  const key = readFileSync(f('srv.key')), cert = readFileSync(f('srv.pem'));
  plain = await serve({ key, cert });
  mutual = await serve({ key, cert, requestCert: true, rejectUnauthorized: true, ca: readFileSync(f('ca.pem')) });
});
after(() => { plain?.close(); mutual?.close(); });

const run = (url: string, extra: string[] = [], env: Record<string, string> = {}, client = 'llmload') =>
  runCli(['run', 'test/scenarios/tls.ts', '-q', '--http-client', client, '-e', 'PROVIDER=sim', '-e', `BASE_URL=${url}`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), ...extra], { timeoutMs: 60_000 });

for (const client of ['llmload', 'undici']) {
  test(`a self-signed server is refused: kind tls, the host and the fix named, not retried, exit 99 — ${client}`, async () => {
    const before = plain.agents.length;
    const r = await run(plain.url, [], {}, client);
    assert.equal(r.code, 99, r.stderr);
    assert.equal(r.summary.llm.totals.errors_by_kind.tls, 3, JSON.stringify(r.summary.llm.totals.errors_by_kind));
    assert.equal(r.summary.metrics.llm_retries?.values.count ?? 0, 0, 'a certificate failure is not retried');
    assert.match(r.stdout, /CALL FAILED tls: TLS handshake with localhost failed: .*self[- ]signed.*--tls-ca FILE.*--insecure-skip-tls-verify/);
    assert.equal(plain.agents.length, before, 'no request reached the server');
  });

  test(`--insecure-skip-tls-verify and --tls-ca accept it; User-Agent llmload/VERSION — ${client}`, async () => {
    const before = plain.agents.length;
    const skip = await run(plain.url, ['--insecure-skip-tls-verify'], {}, client);
    assert.equal(skip.code, 0, skip.stdout + skip.stderr);
    const ca = await run(plain.url, ['--tls-ca', f('srv.pem')], {}, client);
    assert.equal(ca.code, 0, ca.stdout + ca.stderr);
    const agents = plain.agents.slice(before);
    assert.equal(agents.length, 6);
    for (const a of agents) assert.match(a, /^llmload\/\d+\.\d+\.\d+/);
  });

  test(`tlsAuth: a server that requires a client certificate — ${client}`, async () => {
    const without = await run(mutual.url, ['--tls-ca', f('srv.pem')], {}, client);
    assert.equal(without.code, 99, 'refused without a client certificate');
    assert.ok((without.summary.llm.totals.errors_by_kind.tls ?? 0) + (without.summary.llm.totals.errors_by_kind.network ?? 0) === 3, JSON.stringify(without.summary.llm.totals.errors_by_kind));
    const withCert = await run(mutual.url, ['--tls-ca', f('srv.pem')], { CLIENT_CERT: f('client.pem'), CLIENT_KEY: f('client.key') }, client);
    assert.equal(withCert.code, 0, withCert.stdout + withCert.stderr);
  });
}

test('--tls-ca with a file that is not there: one line, exit 104', async () => {
  const r = await run(plain.url, ['--tls-ca', f('missing.pem')]);
  assert.equal(r.code, 104);
  assert.match(r.stderr, /cannot read the CA file .*missing\.pem .*ENOENT; give a PEM file of CA certificates/);
});
