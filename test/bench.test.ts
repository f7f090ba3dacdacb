// The seed workload end to end (issue #6): `make bench` on the simulator, missing keys,
// the budget guard, and secrets never leaking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tmp, ROOT } from './helpers.ts';
import { inspectPage } from './browser.ts';

// made up per run, so nothing that looks like a key is committed
const SECRET = `llmload-test-${randomBytes(12).toString('hex')}`;

function make(args: string[], env: Record<string, string> = {}, timeoutMs = 180_000): Promise<{ code: number | null; out: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const p = spawn('make', ['--no-print-directory', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('exit', (code) => { clearTimeout(t); resolve({ code, out, ms: Date.now() - t0 }); });
  });
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => { const p = join(dir, f); return statSync(p).isDirectory() ? allFiles(p) : [p]; });
}

test('make bench: the seed workload on the simulator, weighted mix, cost, TTFT, per-model table; no secret anywhere', async () => {
  const dir = tmp('results');
  const r = await make(['bench', `RESULTS_DIR=${dir}`], { SIM_API_KEY: SECRET });
  assert.equal(r.code, 0, r.out.slice(-3000));
  assert.ok(r.ms < 120_000, `took ${r.ms} ms`);
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const rows = s.llm.byModel as Array<{ model: string; requests: number; share: number; cost_usd: number; ttft_p50: number }>;
  const n = s.llm.totals.requests;
  assert.ok(n > 300, `requests ${n}`);
  const want: Record<string, number> = { 'gpt-4.1': 0.4, 'claude-sonnet-4.5': 0.3, 'gemini-2.5-flash': 0.2, 'deepseek-v3.2': 0.1 };
  for (const [model, p] of Object.entries(want)) {
    const row = rows.find((x) => x.model === model)!;
    // two calls per iteration share one pick: the sampling unit is the iteration
    const sd = Math.sqrt((p * (1 - p)) / (n / 2));
    assert.ok(Math.abs(row.share - p) < 4 * sd, `${model}: share ${row.share} vs ${p} (±${(4 * sd).toFixed(3)})`);
    assert.ok(row.cost_usd > 0, `${model} cost`);
    assert.ok(row.ttft_p50 > 0, `${model} ttft`);
  }
  assert.ok(s.llm.totals.cost_usd > 0 && s.llm.totals.cost_cny > 0);
  // the simulator's own report over the run: it wrote the streams and kept their schedule
  assert.ok(s.simulator && s.simulator.events > n && s.simulator.lateness_ms.count > 0, JSON.stringify(s.simulator));
  assert.equal(typeof s.simulator.kept_up, 'boolean');
  const txt = readFileSync(join(dir, 'summary.txt'), 'utf8');
  assert.match(txt, /MODEL COVERAGE TESTED/);
  assert.match(txt, /built-in simulator (kept up|fell behind)/);
  assert.match(txt, /claude-sonnet-4\.5/);
  const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
  assert.match(meta.bundle_sha256, /^[0-9a-f]{64}$/);
  assert.equal(meta.provider, 'sim');
  assert.ok(meta.model_map['gpt-4.1']);
  assert.ok(meta.versions.node && meta.started && meta.ended && meta.host);
  // the key was sent (the simulator limits per key) but is in no file and no log line
  // the short profile ramps up and down: no spike, so no recovery figure (engine/summary/recovery.ts)
  assert.equal(s.recovery, undefined);
  const page = await inspectPage(join(dir, 'report.html'), join(dir, 'report.png'));
  assert.ok(!page.kpis.includes('Recovery after spike'), `cards: ${page.kpis.join(', ')}`);
  assert.deepEqual(page.overflowing, [], 'no headline card overflows at 1400 px');
  for (const f of allFiles(dir)) assert.ok(!readFileSync(f, 'utf8').includes(SECRET), `secret in ${f}`);
  assert.ok(!r.out.includes(SECRET), 'secret in the log');
});

test('make bench PROVIDER=holysheep without HOLYSHEEP_API_KEY: fails in seconds naming the variable, no request sent', async () => {
  let hits = 0;
  const srv = createServer((_q, res) => { hits++; res.end(); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}/v1`;
  const env = { HOLYSHEEP_API_KEY: '' };
  const viaMake = await make(['bench', 'PROVIDER=holysheep', `BASE_URL=${url}`, `RESULTS_DIR=${tmp('r')}`], env, 30_000);
  assert.notEqual(viaMake.code, 0);
  assert.match(viaMake.out, /HOLYSHEEP_API_KEY is not set: export it or run with PROVIDER=sim/);
  assert.ok(viaMake.ms < 15_000, `took ${viaMake.ms} ms`);
  const direct = await runCli(['run', 'scenarios/bench.ts', '-e', 'PROVIDER=holysheep', '-e', `BASE_URL=${url}`], { env, summary: false });
  assert.equal(direct.code, 112);
  assert.equal(direct.stderr.trim(), 'llmload: HOLYSHEEP_API_KEY is not set: export it or run with PROVIDER=sim');
  const unknown = await runCli(['run', 'scenarios/bench.ts', '-e', 'PROVIDER=acme'], { summary: false });
  assert.equal(unknown.code, 104);
  assert.match(unknown.stderr, /unknown provider "acme": valid providers are sim, holysheep, openrouter, openai, anthropic, deepseek, gemini, groq, together, mistral, vllm, llamacpp, ollama/);
  srv.close();
  assert.equal(hits, 0, 'no request reached the provider');
});

test('budget guard: refuses an over-budget plan; aborts a run whose spend crosses the cap, summary still written', async () => {
  const refused = await runCli(['run', 'scenarios/bench.ts', '--budget-usd', '0.05'], { summary: false });
  assert.equal(refused.code, 113, refused.stderr);
  assert.match(refused.stderr, /worst case \$[\d.]+/);
  assert.match(refused.stderr, /exceeds --budget-usd 0\.05: shorten the run, raise the budget, or pass --yes/);

  const dir = tmp('res');
  const capped = await runCli(['run', 'scenarios/bench.ts', '-q', '--budget-usd', '0.03', '--yes', '--results-dir', dir], { timeoutMs: 120_000 });
  assert.equal(capped.code, 113, capped.stderr);
  assert.ok(capped.summary.state.aborted);
  assert.match(capped.summary.state.abortReason, /crossed --budget-usd 0\.03/);
  const spent = capped.summary.llm.totals.cost_usd;
  assert.ok(spent >= 0.03 && spent < 0.1, `spent ${spent}`);
  assert.ok(capped.ms < 60_000, `aborted after ${capped.ms} ms`);
  assert.ok(existsSync(join(dir, 'summary.json')) && existsSync(join(dir, 'summary.txt')));
});

test('every scenario in scenarios/ runs against the simulator', async () => {
  const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.ts') && f !== 'bench.ts');
  assert.ok(files.includes('smoke.ts'));
  for (const f of files) {
    const r = await runCli(['run', `scenarios/${f}`, '-q'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${f}: ${r.stderr}`);
    assert.ok(r.summary.metrics.llm_requests?.values.count > 0 || r.summary.metrics.iterations.values.count > 0, f);
  }
});
