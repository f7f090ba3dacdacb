// Proxies (issue #28) through a real one: Debian's tinyproxy with Basic auth, started here.
// chat() (plain and over a CONNECT tunnel), k6/http and the InfluxDB output all pass through it;
// NO_PROXY bypasses it; wrong credentials are one `proxy` error per call, never retried; the
// proxy password appears in no artifact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { runCli, startSimProcess, type SimProcess } from './helpers.ts';
import { freePort, startInflux, type Influx } from './influx.ts';

const hasTinyproxy = (() => { try { execFileSync('tinyproxy', ['-v'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const dir = mkdtempSync(join(tmpdir(), 'llmload-proxy-'));
const PASS = `pr0xy-${process.pid.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
let proxyPort = 0;
let tiny: ChildProcess | null = null;
let sim: SimProcess;
let secure: { url: string; close(): void };
let influx: Influx | null = null;
const log = () => (existsSync(join(dir, 'tinyproxy.log')) ? readFileSync(join(dir, 'tinyproxy.log'), 'utf8') : '');
const proxyUrl = (pass = PASS) => `http://llmload:${pass}@127.0.0.1:${proxyPort}`;

before(async () => {
  if (!hasTinyproxy) return;
  proxyPort = await freePort();
  writeFileSync(join(dir, 'tinyproxy.conf'), [`Port ${proxyPort}`, 'Listen 127.0.0.1', 'Timeout 30', 'LogLevel Connect', `LogFile "${join(dir, 'tinyproxy.log')}"`, 'MaxClients 200', 'Allow 127.0.0.1', `BasicAuth llmload ${PASS}`, 'DisableViaHeader Yes', ''].join('\n'));
  tiny = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], { stdio: 'ignore' });
  sim = await startSimProcess(['--ttft-ms', '10', '--itl-ms', '2', '--output-tokens', '5']);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
  const ev = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
  const srv = https.createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) => {
    req.resume();
    req.on('end', () => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.end(ev({ choices: [{ index: 0, delta: { content: 'tunnelled' }, finish_reason: 'stop' }] }) + ev({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }) + 'data: [DONE]\n\n'); });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  secure = { url: `https://localhost:${(srv.address() as AddressInfo).port}/v1`, close: () => srv.close() };
  for (let i = 0; i < 50 && !log().includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
});
after(async () => { tiny?.kill(); await sim?.stop(); secure?.close(); await influx?.stop(); });

const skip = hasTinyproxy ? false : 'tinyproxy is not installed (apt-get install tinyproxy)';
const count = (re: RegExp) => (log().match(re) ?? []).length;

/** every file under a folder, gunzipped where compressed, as text */
function artifacts(d: string): string {
  let all = '';
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) { all += artifacts(p); continue; }
    const b = readFileSync(p);
    all += n.endsWith('.gz') ? gunzipSync(b).toString('utf8') : b.toString('utf8');
  }
  return all;
}

test('HTTP_PROXY: chat(), k6/http and the InfluxDB output all pass through the proxy; results unchanged; no password anywhere', { skip }, async () => {
  influx = await startInflux();
  const res = join(dir, 'res-plain');
  const simPort = new URL(sim.url).port;
  const before = { chat: count(new RegExp(`POST http://127\\.0\\.0\\.1:${simPort}/v1/chat/completions`, 'g')), models: count(new RegExp(`GET http://127\\.0\\.0\\.1:${simPort}/v1/models`, 'g')), influx: count(new RegExp(`POST http://127\\.0\\.0\\.1:${influx.port}/write`, 'g')) };
  const r = await runCli(['run', 'test/scenarios/proxied.ts', '-q', '--results-dir', res, '--out', `influxdb=${influx.url}/llmload_proxy`, '-e', 'PROVIDER=sim', '-e', `BASE_URL=${sim.url}`, '-e', `MODELS_URL=${sim.url}/models`],
    { env: { HTTP_PROXY: proxyUrl() }, timeoutMs: 90_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.summary.llm.totals.errors, 0, JSON.stringify(r.summary.llm.totals.errors_by_kind));
  assert.equal(r.summary.metrics.llm_requests.values.count, 4);
  assert.equal(count(new RegExp(`POST http://127\\.0\\.0\\.1:${simPort}/v1/chat/completions`, 'g')) - before.chat, 4, 'every chat() call went through the proxy');
  assert.equal(count(new RegExp(`GET http://127\\.0\\.0\\.1:${simPort}/v1/models`, 'g')) - before.models, 1, 'the k6/http request too');
  assert.ok(count(new RegExp(`POST http://127\\.0\\.0\\.1:${influx.port}/write`, 'g')) - before.influx >= 1, 'and the InfluxDB output');
  const stored = await influx.query('SELECT count("value") FROM "llm_requests"', 'llmload_proxy');
  assert.ok(JSON.stringify(stored).includes('count'), `points arrived in InfluxDB: ${JSON.stringify(stored).slice(0, 200)}`);
  for (const [name, text] of [['stdout', r.stdout], ['stderr', r.stderr], ['results', artifacts(res)]] as const) assert.ok(!text.includes(PASS), `the proxy password in ${name}`);
});

test('HTTPS_PROXY: a CONNECT tunnel, TLS end to end with the run\'s settings', { skip }, async () => {
  const port = new URL(secure.url).port;
  const before = count(new RegExp(`CONNECT localhost:${port}`, 'g'));
  const r = await runCli(['run', 'test/scenarios/proxied.ts', '-q', '--tls-ca', join(dir, 'c.pem'), '-e', 'PROVIDER=sim', '-e', `BASE_URL=${secure.url}`], { env: { HTTPS_PROXY: proxyUrl() }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.summary.llm.totals.errors, 0, r.stdout);
  assert.ok(count(new RegExp(`CONNECT localhost:${port}`, 'g')) - before >= 1, 'tunnelled through the proxy');
  assert.ok(!r.stdout.includes(PASS) && !r.stderr.includes(PASS) && !JSON.stringify(r.summary).includes(PASS));
});

test('NO_PROXY=127.0.0.1 bypasses the proxy', { skip }, async () => {
  const simPort = new URL(sim.url).port;
  const before = count(new RegExp(`127\\.0\\.0\\.1:${simPort}`, 'g'));
  const r = await runCli(['run', 'test/scenarios/proxied.ts', '-q', '-e', 'PROVIDER=sim', '-e', `BASE_URL=${sim.url}`], { env: { HTTP_PROXY: proxyUrl(), NO_PROXY: 'localhost,127.0.0.1' }, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.summary.llm.totals.errors, 0);
  assert.equal(count(new RegExp(`127\\.0\\.0\\.1:${simPort}`, 'g')), before, 'nothing went through the proxy');
});

test('a proxy that refuses: one `proxy` error per call, not retried, plain (407: no credentials) and tunnelled (wrong ones)', { skip }, async () => {
  const wrong = `wr0ng-${process.pid}`;
  // (tinyproxy answers wrong credentials with 401 on a forwarded request — indistinguishable
  // there from the target's own 401 — and 407 without any; a CONNECT refusal is always the proxy's)
  const plain = await runCli(['run', 'test/scenarios/proxied.ts', '-q', '-e', 'PROVIDER=sim', '-e', `BASE_URL=${sim.url}`, '-e', 'ITERATIONS=3'], { env: { HTTP_PROXY: `http://127.0.0.1:${proxyPort}` }, timeoutMs: 60_000 });
  assert.equal(plain.summary.llm.totals.errors_by_kind.proxy, 3, JSON.stringify(plain.summary.llm.totals.errors_by_kind));
  assert.equal(plain.summary.metrics.llm_retries?.values.count ?? 0, 0);
  assert.match(plain.stdout, /CALL FAILED proxy: the proxy http:\/\/127\.0\.0\.1:\d+ refused the request to 127\.0\.0\.1: HTTP 407 \(Proxy Authentication Required\): check the credentials in HTTP_PROXY/);
  const tunnel = await runCli(['run', 'test/scenarios/proxied.ts', '-q', '--tls-ca', join(dir, 'c.pem'), '-e', 'PROVIDER=sim', '-e', `BASE_URL=${secure.url}`, '-e', 'ITERATIONS=3'], { env: { HTTPS_PROXY: proxyUrl(wrong) }, timeoutMs: 60_000 });
  assert.equal(tunnel.summary.llm.totals.errors_by_kind.proxy, 3, JSON.stringify(tunnel.summary.llm.totals.errors_by_kind));
  assert.equal(tunnel.summary.metrics.llm_retries?.values.count ?? 0, 0);
  assert.match(tunnel.stdout, /CALL FAILED proxy: the proxy http:\/\/llmload:\*\*\*@127\.0\.0\.1:\d+ refused the tunnel to localhost: HTTP 401: check the credentials in HTTPS_PROXY/);
  for (const r of [plain, tunnel]) assert.ok(!r.stdout.includes(wrong) && !r.stderr.includes(wrong), 'the (wrong) password is redacted too');
});
