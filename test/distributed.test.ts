// Multi-region runs (issue #14): the seed workload split 50/30/20 over three zones as three
// local shards and merged; a 300 it/s arrival schedule started together by --start-at; a
// threshold that only the whole run fails; a shard killed mid-run; and `llmload plan`'s
// Kubernetes manifests — validated offline against the Kubernetes 1.31 schemas, free of any
// secret value — whose pod commands, read back from the manifests, run here and merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli, tmp, quantile, ROOT, CLI, plantedKey } from './helpers.ts';

const shardDirs = (dir: string) => readdirSync(join(dir, 'shards')).map((d) => join(dir, 'shards', d));
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

test('the seed workload (short profile) on 3 shards, 50/30/20 over three zones: exact sums, zone shares, model mix, merged TTFT p95 against every request', async () => {
  const dir = tmp('seed-shards');
  const r = await runCli(['run', 'scenarios/bench.ts', '--shards', '3', '--distribution', 'eu:amazon:ie:dublin=50,us:amazon:us:ashburn=30,ap:amazon:jp:tokyo=20', '-e', 'PROVIDER=sim', '-e', 'PROFILE=short', '--results-dir', dir, '--no-summary'], { timeoutMs: 240_000, summary: false });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const merged = summaryOf(dir);
  const shards = shardDirs(dir).map(summaryOf);
  assert.equal(shards.length, 3);
  // counts add exactly
  for (const m of ['llm_requests', 'llm_output_tokens', 'llm_input_tokens', 'iterations', 'http_reqs']) {
    assert.equal(merged.metrics[m].values.count, shards.reduce((a: number, s: any) => a + s.metrics[m].values.count, 0), m);
  }
  assert.ok(Math.abs(merged.metrics.llm_cost_usd.values.count - shards.reduce((a: number, s: any) => a + s.metrics.llm_cost_usd.values.count, 0)) < 1e-9);
  // each zone's share of the requests within 3 points of its percent
  const total = merged.metrics.llm_requests.values.count;
  const zones = Object.fromEntries(merged.distributed.zones.map((z: any) => [z.name, z]));
  for (const [z, pct] of [['eu', 50], ['us', 30], ['ap', 20]] as const) assert.ok(Math.abs((100 * zones[z].requests) / total - pct) <= 3, `${z}: ${zones[z].requests} of ${total}`);
  assert.deepEqual(shards.map((s: any) => s.shard.zone).sort(), ['ap', 'eu', 'us']);
  // the model mix stays 40/30/20/10: a chi-square test on the iterations per model (each
  // iteration sends two calls to its model), at p = 0.001 (3 degrees of freedom: 16.27). With
  // ~265 iterations a fixed ±5 points was a 2-sigma band for gpt-4.1, and failed by chance
  const byModel = Object.fromEntries(merged.llm.byModel.map((m: any) => [m.model, m.requests / 2]));
  const iters = Object.values(byModel).reduce((a: number, b: any) => a + b, 0) as number;
  const chi = ([['gpt-4.1', 0.4], ['claude-sonnet-4.5', 0.3], ['gemini-2.5-flash', 0.2], ['deepseek-v3.2', 0.1]] as const).reduce((a, [m, w]) => a + (byModel[m] - w * iters) ** 2 / (w * iters), 0);
  assert.ok(chi < 16.27, `model mix ${JSON.stringify(byModel)}: chi-square ${chi.toFixed(1)}`);
  // merged TTFT p95 against the p95 of every shard's per-request records (the joined log)
  const recs = gunzipSync(readFileSync(join(dir, 'requests.ndjson.gz'))).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(recs.length, total, 'the joined request log holds every request');
  const ttft = recs.filter((x) => x.ttft_ms !== null).map((x) => x.ttft_ms as number);
  const exact = quantile(ttft, 0.95);
  assert.ok(Math.abs(merged.metrics.llm_ttft.values['p(95)'] - exact) <= 0.01 * exact, `merged p95 ${merged.metrics.llm_ttft.values['p(95)']} vs exact ${exact}`);
  // the merged report and text name the zones
  assert.match(readFileSync(join(dir, 'summary.txt'), 'utf8'), /█ ZONES[\s\S]*\beu\b[\s\S]*\bus\b[\s\S]*\bap\b/);
  assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /<h2>Per zone<\/h2>/);
});

test('300 it/s for 20 s over 3 shards with --start-at: 6,000 iterations within 1 %, none dropped, each shard reports its start skew', async () => {
  const dir = tmp('arrival-shards');
  const at = new Date(Date.now() + 12_000).toISOString();
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '--shards', '3', '--start-at', at, '-e', 'RATE=300', '-e', 'DURATION=20s', '--results-dir', dir, '--no-summary'], { timeoutMs: 120_000, summary: false });
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const merged = summaryOf(dir);
  const it = merged.metrics.iterations.values.count;
  assert.ok(Math.abs(it - 6000) <= 60, `iterations ${it}`);
  assert.equal(merged.metrics.dropped_iterations?.values.count ?? 0, 0);
  const shards = shardDirs(dir).map(summaryOf);
  for (const s of shards) {
    assert.equal(s.shard.start.target, at);
    assert.equal(typeof s.shard.start.skew_ms, 'number');
    assert.ok(Math.abs(s.shard.start.skew_ms) < 1000, `skew ${s.shard.start.skew_ms}`);
  }
  assert.ok(merged.distributed.instances.every((x: any) => typeof x.start_skew_ms === 'number'));
  // each shard ran about a third of the schedule (an exact partition of the arrivals)
  for (const s of shards) assert.ok(Math.abs(s.metrics.iterations.values.count - 2000) <= 30, `shard ${s.shard.instance_id}: ${s.metrics.iterations.values.count}`);
});

test('a threshold that fails only on the merged data: each shard passes, merge exits 99', async () => {
  const dir = tmp('th-shards');
  // 100 it/s for 3 s: ~100 iterations per shard, 300 in all
  const r = await runCli(['run', 'test/scenarios/arrival.ts', '--shards', '3', '-e', 'RATE=100', '-e', 'DURATION=3s', '-e', 'THRESHOLD=count<250', '--results-dir', dir, '--no-summary'], { timeoutMs: 90_000, summary: false });
  assert.equal(r.code, 99, r.stderr.slice(-2000));
  for (const s of shardDirs(dir).map(summaryOf)) { assert.equal(s.shard.exit_code, 0); assert.equal(s.metrics.iterations.thresholds['count<250'].ok, true); }
  const m = await runCli(['merge', ...shardDirs(dir), '--results-dir', tmp('again')], { summary: false });
  assert.equal(m.code, 99, m.stderr);
  assert.match(m.stdout, /✗ 'count<250' count=300/);
});

/** the manifests' pods as local processes: args from the Job, $(JOB_COMPLETION_INDEX) filled
 *  in, the ConfigMap's bundle as a file, the Secret's keys in the environment */
async function runPods(k8sDir: string, env: Record<string, string>, opts: { kill?: string } = {}): Promise<{ logs: string[]; killed: string | null }> {
  const files = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml'));
  const cm = parse(readFileSync(join(k8sDir, 'configmap.yaml'), 'utf8'), { version: '1.1' });
  const work = tmp('pods');
  mkdirSync(work, { recursive: true });
  const bundle = join(work, 'scenario.mjs');
  writeFileSync(bundle, cm.data['scenario.mjs']);
  const runs: Array<Promise<void>> = [];
  const logs: string[] = [];
  let killed: string | null = null;
  for (const f of files.filter((x) => x.startsWith('job-'))) {
    const job = parse(readFileSync(join(k8sDir, f), 'utf8'), { version: '1.1' });
    assert.equal(job.spec.completionMode, 'Indexed');
    assert.equal(job.spec.completions, job.spec.parallelism);
    assert.equal(job.spec.backoffLimit, 0);
    const c = job.spec.template.spec.containers[0];
    const log = join(work, `${f}.log`);
    logs.push(log);
    let out = '';
    for (let i = 0; i < job.spec.completions; i++) {
      const podEnv: Record<string, string> = { ...process.env as Record<string, string>, JOB_COMPLETION_INDEX: String(i) };
      for (const e of c.env) if (e.valueFrom?.secretKeyRef) podEnv[e.name] = env[e.valueFrom.secretKeyRef.key] ?? '';
      const resultsDir = join(work, `${f}-${i}`);
      const args = (c.args as string[]).map((a) => a.replace(/\$\(JOB_COMPLETION_INDEX\)/g, String(i)).replace('/scenario/scenario.mjs', bundle).replace(/^\/results$/, resultsDir));
      const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: podEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout.on('data', (d) => (out += d));
      const name = `${job.metadata.labels['llmload.dev/zone']}-${i}`;
      if (opts.kill === name) { killed = name; setTimeout(() => p.kill('SIGKILL'), 7000); }
      runs.push(new Promise((r) => p.on('exit', () => { writeFileSync(log, out); r(); })));
    }
  }
  await Promise.all(runs);
  return { logs, killed };
}

test('llmload plan: manifests valid for Kubernetes 1.31 offline, no secret value in them, and their pod commands run here and merge (also with a pod killed)', async () => {
  const key = plantedKey('plan');
  const plan = async (dir: string) => {
    const r = await runCli(['plan', 'test/scenarios/arrival.ts', '--out', dir, '--distribution', 'eu:amazon:ie:dublin=50,us:amazon:us:ashburn=30,ap:amazon:jp:tokyo=20', '--shards', '4', '--start-delay', '8s', '--', '-e', 'RATE=100', '-e', 'DURATION=4s', '-e', `SIM_API_KEY=${key}`], { summary: false, env: { SIM_API_KEY: key } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key));
    return r;
  };
  const dir = tmp('k8s');
  await plan(dir);
  // every file: valid against the official 1.31 schemas (PyPI kubernetes-validate, strict)
  const yamls: string[] = [];
  const walk = (d: string) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else yamls.push(p); } };
  walk(dir);
  const manifests = yamls.filter((f) => f.endsWith('.yaml'));
  assert.equal(manifests.length, 4, 'a ConfigMap and three Jobs');
  const validator = ensureValidator();
  const out = execFileSync(validator, ['-k', '1.31.0', '--strict', ...manifests], { encoding: 'utf8' });
  assert.equal((out.match(/passed for resource/g) ?? []).length, 4, out);
  // no secret value anywhere in what plan wrote; the key comes from a secretKeyRef
  for (const f of yamls) assert.ok(!readFileSync(f, 'utf8').includes(key), `${f} holds the key`);
  const eu = parse(readFileSync(join(dir, 'job-eu.yaml'), 'utf8'), { version: '1.1' });
  assert.deepEqual(eu.spec.template.spec.containers[0].env.find((e: any) => e.name === 'SIM_API_KEY').valueFrom, { secretKeyRef: { name: 'llmload-keys', key: 'SIM_API_KEY' } });
  assert.equal(eu.spec.completions, 2);
  assert.deepEqual(eu.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0], { key: 'topology.kubernetes.io/region', operator: 'In', values: ['eu-west-1'] });
  const cm = parse(readFileSync(join(dir, 'configmap.yaml'), 'utf8'), { version: '1.1' });
  const { createHash } = await import('node:crypto');
  assert.equal(cm.metadata.annotations['llmload.dev/bundle-sha256'], createHash('sha256').update(cm.data['scenario.mjs']).digest('hex'));

  // the pods, run here from the manifests; their logs (the state line last) merge into one run
  const { logs } = await runPods(dir, { SIM_API_KEY: key });
  const m = await runCli(['merge', ...logs, '--results-dir', tmp('merged')], { summary: false });
  assert.equal(m.code, 0, m.stderr);
  assert.match(m.stdout, /4 of 4 shards merged/);
  const it = Number(/iterations\.+: (\d+)/.exec(m.stdout)![1]);
  assert.ok(Math.abs(it - 400) <= 4, `iterations ${it}`);
  for (const l of logs) assert.ok(!readFileSync(l, 'utf8').includes(key));

  // again, with one pod killed mid-run: merge names it and fails; --allow-partial marks the result
  const dir2 = tmp('k8s-kill');
  await plan(dir2);
  const run2 = await runPods(dir2, { SIM_API_KEY: key }, { kill: 'us-0' });
  assert.equal(run2.killed, 'us-0');
  const bad = await runCli(['merge', ...run2.logs], { summary: false });
  assert.equal(bad.code, 115, bad.stderr);
  assert.match(bad.stderr, /job-us\.yaml\.log holds no shard state/);
  assert.match(bad.stderr, /1 of 4 shards missing: us-0 \(segment 1\/2:4\/5\); merge the rest with --allow-partial/);
  const partDir = tmp('partial');
  const part = await runCli(['merge', ...run2.logs, '--allow-partial', '--results-dir', partDir], { summary: false });
  assert.equal(part.code, 0, part.stderr);
  const ps = summaryOf(partDir);
  assert.equal(ps.distributed.partial, true);
  assert.deepEqual(ps.distributed.missing, [{ segment: '1/2:4/5', name: 'us-0' }]);
  assert.match(readFileSync(join(partDir, 'summary.txt'), 'utf8'), /PARTIAL: missing us-0/);
});

test('bad distributions and barrier flags: one line, exit 104', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['run', 'test/scenarios/distribution.ts', '-e', 'DIST={"eu":{"loadZone":"amazon:ie:dublin","percent":60},"us":{"loadZone":"amazon:us:ashburn","percent":30}}'], /the percents in options\.cloud\.distribution sum to 90, not 100/],
    [['run', 'test/scenarios/distribution.ts', '-e', 'DIST={}'], /options\.cloud\.distribution is empty/],
    [['run', 'test/scenarios/distribution.ts', '-e', 'DIST={"eu":{"loadZone":"amazon:ie:dublin","percent":100,"weight":1}}'], /unknown key "weight" in options\.cloud\.distribution\.eu: valid keys are loadZone, percent, instances, region, context/],
    [['run', 'test/scenarios/distribution.ts', '--shards', '2', '--distribution', 'eu=50,us=30,ap=20'], /--shards 2 is fewer than the 3 zones/],
    [['run', 'test/scenarios/distribution.ts', '--start-at', 'tomorrow'], /invalid --start-at "tomorrow": use an RFC 3339 time/],
    [['plan', 'test/scenarios/distribution.ts', '--out', tmp('x'), '--distribution', 'eu=70'], /the percents in --distribution sum to 70, not 100/],
  ];
  for (const [args, rx] of cases) {
    const r = await runCli(args, { summary: false });
    assert.equal(r.code, 104, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, rx);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

/** PyPI's kubernetes-validate (the official schemas, offline) in a venv under .cache */
function ensureValidator(): string {
  const venv = join(ROOT, '.cache', 'k8s-validate');
  const bin = join(venv, 'bin', 'kubernetes-validate');
  if (!existsSync(bin)) {
    execFileSync('python3', ['-m', 'venv', venv]);
    execFileSync(join(venv, 'bin', 'pip'), ['install', '-q', 'kubernetes-validate==1.31.0'], { stdio: 'inherit' });
  }
  return bin;
}
