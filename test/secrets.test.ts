// Secrets (issue #18): a key passed with -e (not in the environment) and echoed back by the
// provider appears in no artifact: stdout, stderr, summary.json/txt, report.html, metadata,
// --out json, JUnit, the per-request log, handleSummary's files, InfluxDB points — in the
// native mode and in k6 mode (the script prints the echoing response body).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { runCli, tmp, plantedKey } from './helpers.ts';
import { startInflux } from './influx.ts';

const KEY = plantedKey('secrets');

function echoServer(): Promise<{ url: string; close(): void }> {
  const srv = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const auth = String(req.headers.authorization ?? '');
      res.writeHead(401, { 'content-type': 'application/json', 'x-echo-auth': auth });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${auth.replace(/^Bearer /, '')}`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
  });
  return new Promise((r) => srv.listen(0, '127.0.0.1', () => r({ url: `http://127.0.0.1:${(srv.address() as { port: number }).port}/v1`, close: () => srv.close() })));
}

function grepAll(dir: string, extra: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      const raw = readFileSync(p);
      const text = p.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
      if (text.includes(KEY)) hits.push(p);
    }
  };
  walk(dir);
  for (const [i, t] of extra.entries()) if (t.includes(KEY)) hits.push(`extra #${i}`);
  return hits;
}

test('a key from -e, echoed back by the provider, is in no artifact (native mode, InfluxDB included)', async () => {
  const srv = await echoServer();
  const db = await startInflux();
  try {
    const dir = tmp('secret');
    const out = join(dir, 'points.json');
    const r = await runCli(['run', 'test/scenarios/secrets-echo.ts', '--results-dir', dir, '--out', `json=${out}`, '--out', `influxdb=${db.url}/llmload`, '--junit', join(dir, 'junit.xml'), '-e', `HOLYSHEEP_API_KEY=${KEY}`, '-e', `HOLYSHEEP_BASE_URL=${srv.url}`, '--tag', 'region=eu'], { env: { HOLYSHEEP_API_KEY: '' }, timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /error from the provider: Incorrect API key provided: \[REDACTED\]/, 'the echo reached the script and was redacted on its way out');
    assert.match(r.stdout, /summary for \[REDACTED\]: 4 requests/);
    const points = await db.query('SELECT * FROM /.*/');
    assert.deepEqual(grepAll(dir, [r.stdout, r.stderr, JSON.stringify(points), JSON.stringify(r.summary)]), []);
    assert.ok(r.summary.metrics.llm_requests.values.count === 4);
  } finally { srv.close(); await db.stop(); }
});

test('a key from -e, echoed back, is in no artifact (k6 mode: the script prints the response body and headers)', async () => {
  const srv = await echoServer();
  try {
    const f = tmp('k6-echo.js');
    writeFileSync(f, `import http from 'k6/http';
export const options = { vus: 2, iterations: 4 };
export function setup() { console.log('setup ' + __ENV.MY_API_KEY); }
export default function () {
  const r = http.post('${srv.url}/chat/completions', JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }] }), { headers: { Authorization: 'Bearer ' + __ENV.MY_API_KEY } });
  console.log('body ' + r.body);
  console.warn('echoed header ' + r.headers['X-Echo-Auth']);
}
`);
    const res = tmp('res');
    const r = await runCli(['run', f, '--results-dir', res, '-e', `MY_API_KEY=${KEY}`], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /body .*Incorrect API key provided: \[REDACTED\]/);
    assert.match(r.stderr, /echoed header Bearer \[REDACTED\]/);
    assert.deepEqual(grepAll(res, [r.stdout, r.stderr]), []);
  } finally { srv.close(); }
});
