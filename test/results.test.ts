// Results end to end (issue #7): a real InfluxDB (Debian's influxdb), every dashboard panel's
// query against it, InfluxDB dying mid-run, bad --out values, and the HTML report in real
// Chromium (Debian's chromium via playwright-core).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tmp, ROOT } from './helpers.ts';
import { startInflux, freePort, type Influx } from './influx.ts';
import { inspectPage } from './browser.ts';

let influx: Influx;
let run: { dir: string; summary: any; code: number | null; out: string };
before(async () => {
  influx = await startInflux();
  const dir = tmp('results');
  // faults so that every panel has something to show: 429s (retried) and malformed streams (failed)
  const out = await new Promise<{ code: number | null; out: string }>((resolve) => {
    // tagged as one zone of a multi-region run, so the zone panels and variable have data; the
    // short spike profile, so the recovery panel has its figure; a shared 200-token system prompt
    // and the simulator's prompt cache, so the prompt-cache panel has data
    const p = spawn('make', ['--no-print-directory', 'bench', `RESULTS_DIR=${dir}`, `INFLUX_URL=${influx.url}/llmload`, 'ARGS=--tag region=eu --tag instance_id=eu-0', 'PROFILE=spike-short', 'PREFIX_TOKENS=200'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', SIM_ARGS: '--fault 429:0.05 --fault malformed_sse:0.02 --prefix-cache 256' } });
    let o = '';
    p.stdout.on('data', (d) => (o += d));
    p.stderr.on('data', (d) => (o += d));
    p.on('exit', (code) => resolve({ code, out: o }));
  });
  run = { dir, ...out, summary: existsSync(join(dir, 'summary.json')) ? JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) : null };
});
after(async () => { await influx?.stop(); });

const rx = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function fill(q: string, testid: string, models: string[]): string {
  return q
    .replace(/\$timeFilter/g, 'time > now() - 1h')
    .replace(/\$__interval/g, '1s')
    .replace(/\/\^\$testid\$\//g, `/^${rx(testid)}$/`)
    .replace(/\/\^\$provider\$\//g, '/^(sim)$/')
    .replace(/\/\^\$model\$\//g, `/^(${models.map(rx).join('|')})$/`)
    .replace(/\/\^\$region\$\//g, '/^(eu)$/');
}

test('make bench INFLUX_URL=… writes points; points written equal points the run says it wrote', async () => {
  assert.equal(run.code, 0, run.out.slice(-2000));
  const rep = run.summary.outputs.influxdb;
  assert.ok(rep.written > 500, JSON.stringify(rep));
  assert.equal(rep.lost, 0);
  assert.equal(rep.written + rep.lost, rep.produced, JSON.stringify(rep));
  const testid = run.summary.run.testid;
  const ms = await influx.query('SHOW MEASUREMENTS');
  const names: string[] = ms.results[0].series[0].values.map((v: string[]) => v[0]);
  assert.ok(names.includes('llm_ttft') && names.includes('http_reqs'));
  let total = 0;
  for (const n of names) {
    const r = await influx.query(`SELECT count("value") FROM "${n}" WHERE "testid" = '${testid}'`);
    total += r.results[0].series?.[0]?.values[0][1] ?? 0;
  }
  assert.equal(total, rep.written);
  // low-cardinality tags only: no request ids, URLs or keys
  const keys = await influx.query('SHOW TAG KEYS FROM "llm_requests"');
  const tagKeys: string[] = keys.results[0].series[0].values.map((v: string[]) => v[0]);
  assert.deepEqual(tagKeys.filter((k) => !['testid', 'scenario', 'provider', 'model', 'status', 'error_kind', 'region', 'instance_id', 'stream', 'group', 'check', 'tokens'].includes(k)), []);
  assert.ok(tagKeys.includes('region') && tagKeys.includes('instance_id'), `points tagged region and instance_id: ${tagKeys}`);
});

test('every query of every generated dashboard panel returns a non-empty series', async () => {
  const testid = run.summary.run.testid;
  const models = run.summary.llm.byModel.map((m: any) => m.model);
  assert.ok(run.summary.recovery?.spike, 'the spike profile has its recovery measured');
  const dir = join(ROOT, 'grafana', 'json');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.equal(files.length, 5);
  let queries = 0;
  for (const f of files) {
    const d = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    assert.match(d.uid, /^llmload-/);
    for (const v of d.templating.list) {
      const r = await influx.query(fill(v.query, testid, models));
      assert.ok(r.results[0].series?.[0]?.values?.length > 0, `${f} variable ${v.name}: ${JSON.stringify(r)}`);
      queries++;
    }
    const panels = d.panels.filter((p: any) => p.type !== 'row');
    assert.ok(panels.length >= 3, f);
    for (const p of panels) {
      assert.ok(p.description && p.description.length > 10, `${f} "${p.title}" has a description`);
      for (const t of p.targets) {
        const q = fill(t.query, testid, models);
        // the recovery figure exists only when the target recovered within the run; whether it
        // did is the target's behaviour (429s and malformed streams at random), not the query's:
        // the panel is then empty, and must be, which is checked instead
        if (t.query.includes('llm_recovery_seconds') && run.summary.recovery && !run.summary.recovery.recovered) {
          const r = await influx.query(q);
          assert.equal((r.results[0].series ?? []).length, 0, `${f} "${p.title}": a recovery figure for a run that did not recover`);
          queries++;
          continue;
        }
        const r = await influx.query(q);
        const series = r.results[0].series ?? [];
        const points = series.reduce((a: number, s: any) => a + s.values.filter((v: unknown[]) => v.slice(1).some((x) => x !== null)).length, 0);
        assert.ok(points > 0, `${f} "${p.title}" ${t.refId}: no data for ${q} → ${JSON.stringify(r).slice(0, 300)}`);
        queries++;
      }
    }
  }
  assert.ok(queries >= 39, `${queries} queries`);
});

test('the committed dashboard JSON is what the TypeScript generates', () => {
  execFileSync(process.execPath, ['--import', 'tsx', 'grafana/generate.ts', '--check'], { cwd: ROOT, stdio: 'pipe' });
  const prov = readFileSync(join(ROOT, 'grafana/provisioning/datasources/influxdb.yaml'), 'utf8');
  assert.match(prov, /uid: llmload-influxdb/);
  assert.match(readFileSync(join(ROOT, 'grafana/provisioning/dashboards/llmload.yaml'), 'utf8'), /path: \/var\/lib\/grafana\/dashboards\/llmload/);
  assert.match(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), /grafana\/json:\/var\/lib\/grafana\/dashboards\/llmload/);
});

test('the HTML report renders in Chromium: no console errors, no network, every chart has data', async () => {
  const file = join(run.dir, 'report.html');
  const shot = join(run.dir, 'report.png');
  const r = await inspectPage(file, shot);
  assert.deepEqual(r.consoleErrors, []);
  assert.deepEqual(r.requests, ['file://' + file]);
  assert.equal(r.charts.length, 4);
  for (const c of r.charts) {
    assert.ok(c.points > 0 && c.nonNull.some((n) => n > 0), `${c.id}: ${JSON.stringify(c)}`);
  }
  // at 1400 px no headline card spills; a spike run has its recovery card
  assert.deepEqual(r.overflowing, []);
  assert.ok(r.kpis.includes('Recovery after spike'), `cards: ${r.kpis.join(', ')}`);
  // every TTFT series is one line where it has data: drawn across the seconds without a sample
  const ttft = r.series.find((x) => x.id === 'c-ttft')!;
  assert.deepEqual(ttft.series.map((x) => x.label).sort(), ['p50', 'p95', 'p99']);
  assert.ok(ttft.series.every((x) => x.spanGaps), JSON.stringify(ttft));
  assert.ok(existsSync(shot));
  const html = readFileSync(file, 'utf8');
  assert.ok(!/<script[^>]+src=|<link[^>]+href=["']https?:/.test(html), 'nothing loaded from outside');
  assert.match(html, /claude-sonnet-4\.5/);
  // `llmload report` regenerates it from summary.json
  const again = tmp('again.html');
  const rr = await runCli(['report', join(run.dir, 'summary.json'), '-o', again]);
  assert.equal(rr.code, 0, rr.stderr);
  const r2 = await inspectPage(again, again.replace(/\.html$/, '.png'));
  assert.deepEqual(r2.consoleErrors, []);
  assert.equal(r2.charts.length, 4);
});

test('InfluxDB stopped mid-run: the run completes with its normal exit code and reports the points lost', async () => {
  const db = await startInflux();
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=8s', '-e', 'RATE=50', '--out', `influxdb=${db.url}/llmload`], {
    onSpawn: () => setTimeout(() => { void db.stop(); }, 4500),
    timeoutMs: 60_000,
  });
  assert.equal(r.code, 0, r.stderr);
  const rep = r.summary.outputs.influxdb;
  assert.ok(rep.written > 0, JSON.stringify(rep));
  assert.ok(rep.lost > 0, JSON.stringify(rep));
  assert.equal(rep.written + rep.lost, rep.produced, JSON.stringify(rep));
  assert.ok(r.ms < 40_000, `took ${r.ms}`);
});

test('bad --out values: one clear line each; a broken InfluxDB never hides the run\'s own results', async () => {
  const malformed = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '--out', 'influxdb=not a url'], { summary: false });
  assert.equal(malformed.code, 104);
  assert.match(malformed.stderr.trim(), /^llmload: invalid --out influxdb=not a url: expected a URL like http:\/\/127\.0\.0\.1:8086\/llmload$/);
  const badDb = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '--out', `influxdb=${influx.url}/bad$name`], { summary: false });
  assert.equal(badDb.code, 104);
  assert.match(badDb.stderr.trim(), /^llmload: invalid InfluxDB database name "bad\$name"/);
  const v2 = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '--out', `influxdb2=${influx.url}`], { summary: false, env: { INFLUX_ORG: '', INFLUX_BUCKET: '', INFLUX_TOKEN: '' } });
  assert.equal(v2.code, 104);
  assert.match(v2.stderr, /--out influxdb2 needs INFLUX_ORG, INFLUX_BUCKET, INFLUX_TOKEN/);
  const port = await freePort();
  const dir = tmp('res');
  const down = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=1s', '--results-dir', dir, '--out', `influxdb=http://127.0.0.1:${port}/llmload`]);
  assert.equal(down.code, 0, down.stderr);
  const warn = down.stderr.trim().split('\n');
  assert.equal(warn.length, 1);
  assert.match(warn[0]!, /WARN output influxdb: InfluxDB at http:\/\/127\.0\.0\.1:\d+ is not reachable \(.*ECONNREFUSED.*\); the run goes on, points are queued/);
  const rep = down.summary.outputs.influxdb;
  assert.ok(rep.lost > 0 && rep.written === 0 && rep.lost === rep.produced, JSON.stringify(rep));
  assert.ok(existsSync(join(dir, 'summary.json')) && existsSync(join(dir, 'report.html')));
});

test('--out influxdb2 speaks the v2 write API (token, org, bucket, gzip line protocol)', async () => {
  // InfluxDB 2.x is not packaged for this machine; a loopback endpoint checks what is sent
  const { createServer } = await import('node:http');
  const { gunzipSync } = await import('node:zlib');
  const seen: Array<{ url: string; auth?: string; enc?: string; lines: string[] }> = [];
  const srv = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.url!.startsWith('/api/v2/write')) {
        const body = Buffer.concat(chunks);
        seen.push({ url: req.url!, auth: req.headers.authorization, enc: req.headers['content-encoding'] as string, lines: gunzipSync(body).toString('utf8').split('\n') });
      }
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
  const token = `influx-${Date.now().toString(36)}-${process.pid}`; // made up per run
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '-q', '-e', 'DURATION=2s', '--out', `influxdb2=${url}`, '--tag', 'region=eu'], { env: { INFLUX_ORG: 'acme', INFLUX_BUCKET: 'loadtests', INFLUX_TOKEN: token } });
  srv.close();
  assert.equal(r.code, 0, r.stderr);
  assert.ok(seen.length > 0);
  assert.match(seen[0]!.url, /^\/api\/v2\/write\?org=acme&bucket=loadtests&precision=ms$/);
  assert.equal(seen[0]!.auth, `Token ${token}`);
  assert.equal(seen[0]!.enc, 'gzip');
  const lines = seen.flatMap((s) => s.lines);
  assert.equal(lines.length, r.summary.outputs.influxdb2.written);
  assert.equal(r.summary.outputs.influxdb2.written + r.summary.outputs.influxdb2.lost, r.summary.outputs.influxdb2.produced);
  assert.ok(lines.some((l) => /^iterations,.*region=eu.*testid=.* value=\d+ \d{13}$/.test(l)), lines.slice(0, 3).join('\n'));
  assert.ok(!JSON.stringify(r.summary).includes(token), 'the token is not in the summary');
});
