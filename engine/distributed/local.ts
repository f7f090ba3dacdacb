// `llmload run SCRIPT --shards N [--distribution eu=50,us=30,ap=20]`: the plan a cluster would
// run, as N local processes — each one the exact argv of a pod (engine/distributed/shard-args.ts)
// with its index filled in — started together at one --start-at, then merged. How the whole
// distributed path is tested here, and how a user uses every core of one big machine.
import { spawn } from 'node:child_process';
import { mkdirSync, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve, dirname, basename, extname } from 'node:path';
import { availableParallelism } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type { RunArgs } from '../runner.ts';
import { CliError, EXIT } from '../exitcodes.ts';
import { distributionFromOptions, parseDistributionFlag, assignInstances, planShards, DistributionError, type ZoneSpec } from './distribution.ts';
import { shardArgs, passthroughArgs } from './shard-args.ts';
import { readScriptOptions } from './script-options.ts';
import { loadInputs, mergeResults } from './command.ts';
import { typecheck } from '../typecheck.ts';
import { startSimChild } from '../llm-hooks.ts';
import { parseStartAt } from './barrier.ts';
import { newTestId, CLI_PATH as CLI } from '../run-id.ts';


export interface ShardFlags { shards?: number; distribution?: string; instances?: number; vusPerInstance?: number; argv: string[] }

/** the zones of a run: --distribution, else the script's, else one zone */
export function zonesFor(flag: string | undefined, raw: Record<string, unknown>): ZoneSpec[] {
  try {
    if (flag !== undefined) return parseDistributionFlag(flag);
    return distributionFromOptions(raw) ?? [{ label: 'local', loadZone: 'local', percent: 100, region: '' }];
  } catch (e) { if (e instanceof DistributionError) throw new CliError(e.message, EXIT.INVALID_CONFIG); throw e; }
}

/** file outputs (json=, csv=) get the shard's id in their name: shards must not share a file */
function perShardOutputs(args: string[], id: string): string[] {
  return args.map((a, k) => {
    const prev = args[k - 1];
    const m = /^(json|csv)=(.+)$/.exec(a);
    if (!m || !(prev === '-o' || prev === '--out')) return a;
    const f = m[2]!;
    const ext = f.endsWith('.gz') ? extname(f.slice(0, -3)) + '.gz' : extname(f);
    return `${m[1]}=${join(dirname(f), `${basename(f, ext)}.${id}${ext}`)}`;
  });
}

export async function runShards(args: RunArgs, f: ShardFlags): Promise<number> {
  const log = (s: string) => { if (!args.quiet) process.stderr.write(s + '\n'); };
  const script = await readScriptOptions(args.script, args.env, args.compat);
  const zones = zonesFor(f.distribution, script.raw);
  const vusPerInstance = f.vusPerInstance ?? Number((script.raw.llmload as { vusPerInstance?: number } | undefined)?.vusPerInstance ?? 1000);
  let planned;
  try {
    planned = planShards(assignInstances(zones, { shards: f.shards, perZone: f.instances, totalVUs: script.totalVUs, vusPerInstance }));
  } catch (e) { if (e instanceof DistributionError) throw new CliError(e.message, EXIT.INVALID_CONFIG); throw e; }
  // the type check once, here, not in every shard
  if (args.typecheck !== false) {
    const te = await typecheck(args.script);
    if (te) throw new CliError(`script error: ${te.file}:${te.line}:${te.col}: ${te.message} (fix it, or run with --no-typecheck)`, EXIT.SCRIPT_ERROR);
  }
  const n = planned.shards.length;
  const testid = args.testid ?? newTestId();
  // time for every shard to bundle, start its threads and initialize its VUs before the instant
  let startAt: string;
  try { startAt = new Date(args.startAt ? parseStartAt(args.startAt).targetEpochMs : Date.now() + 4000 + 1500 * n).toISOString(); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  const resultsDir = resolve(args.resultsDir ?? join('results', `${testid}-shards`));
  const workersGiven = f.argv.some((a) => a === '--workers' || a.startsWith('--workers='));
  const workers = Math.max(1, Math.floor(availableParallelism() / n));
  // one simulator for every shard, as one provider would be (the shards would each start one)
  const env = { ...process.env } as Record<string, string>;
  let sim: ChildProcess | null = null;
  const wantsSim = !args.env.BASE_URL && !args.env.PROVIDERS && (args.env.PROVIDER ?? 'sim').toLowerCase() === 'sim' && /from ['"]llmload\/llm['"]/.test(readFileSync(args.script, 'utf8'));
  if (wantsSim) { const e2 = { ...args.env }; sim = await startSimChild(e2, log); env.BASE_URL = e2.BASE_URL!; }
  const passthrough = passthroughArgs(f.argv, args.script);
  log(`llmload: ${n} shard${n === 1 ? '' : 's'} (${planned.zones.map((z) => `${z.label} ${z.percent}% × ${z.instances}`).join(', ')}), start at ${startAt}, results in ${resultsDir}`);
  const procs: Array<{ id: string; dir: string; p: ChildProcess; code: Promise<number | null> }> = [];
  try {
    for (const zone of planned.zones) {
      for (let j = 0; j < zone.instances; j++) {
        const id = `${zone.label}-${j}`;
        const dir = join(resultsDir, 'shards', id);
        mkdirSync(dir, { recursive: true });
        const argv = [...shardArgs({ plan: planned, zone, index: String(j), script: args.script, testid, startAt, passthrough: perShardOutputs(passthrough, id) }), '--results-dir', dir, '-q', '--no-summary', ...(workersGiven ? [] : ['--workers', String(workers)])];
        const p = spawn(process.execPath, [CLI, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        const out = createWriteStream(join(dir, 'run.log'));
        p.stdout!.pipe(out, { end: false });
        p.stderr!.pipe(out, { end: false });
        // a shard's warnings (a missed start, an output down) reach the user too
        p.stderr!.on('data', (d: Buffer) => { for (const l of d.toString().split('\n')) if (l.trim()) log(`[${id}] ${l}`); });
        const code = new Promise<number | null>((r) => p.on('exit', (c, sig) => r(c ?? (sig ? 128 : null))));
        procs.push({ id, dir, p, code });
      }
    }
    // Ctrl+C reaches every shard (same process group) and each stops gracefully; wait for all
    const codes = await Promise.all(procs.map((x) => x.code));
    procs.forEach((x, k) => { if (codes[k] !== 0 && codes[k] !== EXIT.THRESHOLDS_FAILED) log(`llmload: shard ${x.id} exited ${codes[k]} (log: ${join(x.dir, 'run.log')})`); });
  } finally {
    if (sim) { sim.kill('SIGTERM'); await new Promise((r) => { if (sim!.exitCode !== null) r(null); else sim!.once('exit', r); }); }
  }
  const present = procs.filter((x) => existsSync(join(x.dir, 'summary.json'))).map((x) => x.dir);
  if (!present.length) throw new CliError(`no shard wrote a result: see ${join(resultsDir, 'shards', '*', 'run.log')}`, EXIT.ENGINE_ERROR);
  return mergeResults(loadInputs(present), { resultsDir, summaryExport: args.summaryExport, quiet: !!args.noSummary, noThresholds: args.noThresholds });
}
