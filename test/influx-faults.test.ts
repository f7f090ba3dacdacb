// InfluxDB failures (issue #18, docs/FAULTS.md): down when the run starts and up later, an
// outage longer than the retry window, a server that accepts and never answers, 4xx answers,
// a queue that overflows, and tag values that need escaping, against a real InfluxDB where one
// is needed. Every test checks written + lost == produced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as httpServer } from 'node:http';
import { createServer as tcpServer, type Socket } from 'node:net';
import { runCli } from './helpers.ts';
import { startInflux, freePort } from './influx.ts';

function balanced(rep: any): void {
  assert.equal(rep.written + rep.lost, rep.produced, `written ${rep.written} + lost ${rep.lost} = produced ${rep.produced}`);
}

test('InfluxDB down when the run starts: points are queued and delivered once it comes up (none lost)', async () => {
  const port = await freePort();
  let db: Awaited<ReturnType<typeof startInflux>> | null = null;
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=7s', '-e', 'RATE=20', '--out', `influxdb=http://127.0.0.1:${port}/llmload`], {
    onSpawn: () => { setTimeout(() => { void startInflux({ port }).then((d) => { db = d; }); }, 2000); },
    timeoutMs: 60_000,
  });
  try {
    assert.equal(r.code, 0, r.stderr);
    const rep = r.summary.outputs.influxdb;
    balanced(rep);
    assert.equal(rep.lost, 0, JSON.stringify(rep));
    assert.ok(rep.written > 0);
    assert.match(r.stderr, /not reachable/);
    assert.match(r.stderr, /reachable again/);
    // what InfluxDB holds is the run's own count
    const q = await db!.query(`SELECT sum("value") FROM "iterations" WHERE "testid" = '${r.summary.run.testid}'`);
    assert.equal(q.results[0].series[0].values[0][1], r.summary.metrics.iterations.values.count);
  } finally { await (db as { stop(): Promise<void> } | null)?.stop(); }
});

test('an outage longer than the retry window: the oldest points are given up, the rest delivered, all counted', async () => {
  const first = await startInflux();
  const port = first.port;
  let second: Awaited<ReturnType<typeof startInflux>> | null = null;
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=9s', '-e', 'RATE=20', '--out', `influxdb=http://127.0.0.1:${port}/llmload`], {
    env: { INFLUX_RETRY_WINDOW: '2s' },
    onSpawn: () => {
      setTimeout(() => { void first.stop(); }, 2500);
      setTimeout(() => { void startInflux({ port }).then((d) => { second = d; }); }, 6500);
    },
    timeoutMs: 60_000,
  });
  try {
    assert.equal(r.code, 0, r.stderr);
    const rep = r.summary.outputs.influxdb;
    balanced(rep);
    assert.ok(rep.lost > 0, `points older than 2 s during a ~4 s outage are lost: ${JSON.stringify(rep)}`);
    assert.ok(rep.written > 0, JSON.stringify(rep));
  } finally { await (second as { stop(): Promise<void> } | null)?.stop(); }
});

test('a server that accepts and never answers: the run still ends on time, every point counted lost', async () => {
  const sockets: Socket[] = [];
  const hang = tcpServer((s) => { sockets.push(s); s.on('error', () => {}); });
  await new Promise<void>((res) => hang.listen(0, '127.0.0.1', () => res()));
  const port = (hang.address() as { port: number }).port;
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=3s', '-e', 'RATE=20', '--out', `influxdb=http://127.0.0.1:${port}/llmload`], { env: { INFLUX_TIMEOUT: '1s', INFLUX_STOP_TIMEOUT: '2s' }, timeoutMs: 60_000 });
  for (const s of sockets) s.destroy();
  hang.close();
  assert.equal(r.code, 0, r.stderr);
  const rep = r.summary.outputs.influxdb;
  balanced(rep);
  assert.equal(rep.written, 0);
  assert.ok(r.ms < 3000 + 2000 + 5000, `took ${r.ms} ms: 3 s run + 2 s final flush + start-up`);
});

test('4xx answers are not retried (each batch sent once, counted lost); 5xx are', async () => {
  const writes: number[] = [];
  let status = 400;
  const srv = httpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url!.startsWith('/write')) { writes.push(status); res.writeHead(status, { 'content-type': 'application/json' }); res.end('{"error":"partial write: field type conflict"}'); }
      else { res.writeHead(req.url!.startsWith('/ping') ? 204 : 200, { 'content-type': 'application/json' }); res.end(req.url!.startsWith('/query') ? '{"results":[{"statement_id":0}]}' : ''); }
    });
  });
  await new Promise<void>((res) => srv.listen(0, '127.0.0.1', () => res()));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/llmload`;
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=3s', '-e', 'RATE=20', '--out', `influxdb=${url}`], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const rep = r.summary.outputs.influxdb;
  balanced(rep);
  assert.equal(rep.written, 0);
  assert.equal(rep.rejected_batches, writes.length, 'one request per batch: no retries of a 400');
  assert.equal(rep.batches, writes.length);
  assert.match(rep.last_error, /HTTP 400/);
  // a 503 is retried on the next flush cycles
  writes.length = 0;
  status = 503;
  const r5 = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=2s', '-e', 'RATE=20', '--out', `influxdb=${url}`], { env: { INFLUX_STOP_TIMEOUT: '1s' }, timeoutMs: 60_000 });
  srv.close();
  const rep5 = r5.summary.outputs.influxdb;
  balanced(rep5);
  assert.ok(rep5.failed_batches >= 2 && rep5.rejected_batches === 0, JSON.stringify(rep5));
});

test('a queue that overflows while InfluxDB is away keeps the newest lines and counts the rest lost', async () => {
  const port = await freePort();
  let db: Awaited<ReturnType<typeof startInflux>> | null = null;
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=6s', '-e', 'RATE=20', '--out', `influxdb=http://127.0.0.1:${port}/llmload`], {
    env: { INFLUX_MAX_QUEUE: '10' },
    onSpawn: () => { setTimeout(() => { void startInflux({ port }).then((d) => { db = d; }); }, 3000); },
    timeoutMs: 60_000,
  });
  try {
    assert.equal(r.code, 0, r.stderr);
    const rep = r.summary.outputs.influxdb;
    balanced(rep);
    assert.ok(rep.lost > 0 && rep.written > 0, JSON.stringify(rep));
    const bad = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=1s', '--out', `influxdb=http://127.0.0.1:${port}/llmload`], { env: { INFLUX_MAX_QUEUE: 'lots' }, summary: false });
    assert.equal(bad.code, 104);
    assert.match(bad.stderr, /invalid INFLUX_MAX_QUEUE "lots": expected a whole number of lines/);
  } finally { await (db as { stop(): Promise<void> } | null)?.stop(); }
});

test('tag values with spaces, commas, =, quotes, newlines and non-ASCII reach InfluxDB as they were (newlines as spaces)', async () => {
  const db = await startInflux();
  try {
    const region = 'eu west,1=x "quoted" ü\nnext';
    const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=1s', '-e', 'RATE=10', '--tag', `region=${region}`, '--out', `influxdb=${db.url}/llmload`], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    balanced(r.summary.outputs.influxdb);
    assert.equal(r.summary.outputs.influxdb.lost, 0);
    const q = await db.query('SHOW TAG VALUES FROM "iterations" WITH KEY = "region"');
    assert.deepEqual(q.results[0].series[0].values.map((v: string[]) => v[1]), [region.replace('\n', ' ')]);
  } finally { await db.stop(); }
});
