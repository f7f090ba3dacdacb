// `llmload sweep SCRIPT --concurrency 1,2,4,8 | --rate 1..64 [--step 30s] [--warmup 5s]`: the
// curve, not a point. Each step is an ordinary `llmload run` of the script's default function
// under an injected constant-vus (concurrency) or constant-arrival-rate (rate) executor, its
// other options kept (as `search` does), with the step's first seconds left out (--warmup).
// Per provider and step: throughput, per-user speed, TTFT/TPOT/ITL/e2e quantiles, errors,
// goodput, the generator's verdict (engine/sweep/points.ts); the knee; with PROVIDERS=a,b every
// provider runs the same steps at once, and the steps where their TTFT p50 intervals separate
// are marked. Writes sweep.json, sweep.csv and sweep.html.
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { CliError, EXIT } from '../exitcodes.ts';
import { parseDuration } from '../../lib/duration.ts';
import { typecheck } from '../typecheck.ts';
import { CLI_PATH as CLI } from '../run-id.ts';
import { parseLoads, openRange, nextOpen, saturated, MAX_STEPS, SweepError } from './loads.ts';
import type { SweepPoint } from './points.ts';
import { curveFacts } from './curve.ts';
import { stepPoints } from './load.ts';
import { stepWrapper, stepEnv } from '../run/step-wrapper.ts';
import { sweepCsv, type SweepResult, type SweepStep } from './result.ts';
import { sweepHtml } from './html.ts';

export function sweepCommand(program: Command): void {
  program.command('sweep')
    .description('run the script at a series of loads and draw the curve: throughput against latency and per-user speed, the knee, per provider')
    .argument('<script>')
    .option('--concurrency <loads>', 'VUs per step (constant-vus): a list 1,2,4,8, a doubling range 1..64 (1..64x1.5), or 1.. to double until the target saturates')
    .option('--rate <loads>', 'iterations per second per step (constant-arrival-rate): a list or a range, as --concurrency')
    .option('--step <d>', 'how long each step runs, warm-up included', '30s')
    .option('--warmup <d>', 'the first part of each step, left out of its numbers (default: a fifth of the step)')
    .option('-e, --env <KEY=VALUE>', 'set __ENV.KEY for every step (repeatable; PROVIDERS=a,b runs every provider at each step)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--results-dir <dir>', 'where sweep.json, sweep.csv, sweep.html and each step\'s results go (default results/<time>-sweep)')
    .option('--no-typecheck', 'skip the TypeScript type check of the scenario')
    .option('-q, --quiet', 'print only the result')
    .action(async (script: string, o: Record<string, unknown>) => {
      process.exitCode = await runSweep(script, o);
    });
}

async function runSweep(script: string, o: Record<string, unknown>): Promise<number> {
  const log = (s: string) => { if (!o.quiet) process.stderr.write(s + '\n'); };
  if ((o.concurrency === undefined) === (o.rate === undefined)) throw new CliError('give one of --concurrency LOADS or --rate LOADS (e.g. --concurrency 1,2,4,8,16 or --rate 1..64)', EXIT.INVALID_CONFIG);
  const vary: 'concurrency' | 'rate' = o.concurrency !== undefined ? 'concurrency' : 'rate';
  let loads: number[];
  // LOW.. : no top, doubling until the target saturates (engine/sweep/loads.ts `saturated`)
  let open: ReturnType<typeof openRange> = null;
  try {
    open = openRange(String(o.concurrency ?? o.rate));
    loads = open ? [nextOpen(open, null, vary === 'concurrency')] : parseLoads(String(o.concurrency ?? o.rate), vary === 'concurrency' ? '--concurrency' : '--rate', vary === 'concurrency');
  } catch (e) { if (e instanceof SweepError) throw new CliError(e.message, EXIT.INVALID_CONFIG); throw e; }
  let stepMs: number, warmMs: number;
  try {
    stepMs = parseDuration(String(o.step), '--step');
    warmMs = o.warmup === undefined ? Math.round(stepMs / 5) : parseDuration(String(o.warmup), '--warmup');
  } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  if (!(warmMs >= 0 && warmMs < stepMs - 500)) throw new CliError(`--warmup ${o.warmup} leaves no steady window in a ${o.step} step: keep it under the step, with at least 0.5 s to spare`, EXIT.INVALID_CONFIG);
  if (!existsSync(script)) throw new CliError(`script not found: ${script}`, EXIT.SCRIPT_ERROR);
  if (o.typecheck !== false) {
    const te = await typecheck(script);
    if (te) throw new CliError(`script error: ${te.file}:${te.line}:${te.col}: ${te.message} (fix it, or run with --no-typecheck)`, EXIT.SCRIPT_ERROR);
  }
  const dir = resolve((o.resultsDir as string | undefined) ?? join('results', `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-sweep`));
  mkdirSync(dir, { recursive: true });
  const wrapperPath = join(dirname(resolve(script)), `.llmload-sweep-${process.pid}-${basename(script).replace(/\.[^.]+$/, '')}.ts`);
  writeFileSync(wrapperPath, stepWrapper(script, 'sweep', vary === 'rate' ? 'rate' : 'vus', { gracefulStop: '30s' }));
  const envFlags = (o.env as string[]).flatMap((kv) => ['-e', kv]);
  const unit = vary === 'rate' ? 'iterations/s' : 'VUs';
  const steps: SweepStep[] = [];
  const points: SweepPoint[] = [];
  let interrupted = false;
  const onSig = () => { interrupted = true; };
  process.on('SIGINT', onSig);
  try {
    for (let i = 0; i < loads.length; i++) {
      const load = loads[i]!;
      if (interrupted) break;
      const n = i + 1;
      const stepDir = join(dir, `step-${String(n).padStart(2, '0')}-${load}`);
      log(`sweep: step ${n}${open ? '' : `/${loads.length}`} — ${load} ${unit} for ${o.step} (${warmMs} ms warm-up)`);
      const t0 = Date.now();
      const code = await new Promise<number | null>((res) => {
        const c = spawn(process.execPath, [CLI, 'run', wrapperPath, '--no-typecheck', '-q', '--no-summary', '--results-dir', stepDir, ...(warmMs > 0 ? ['--warmup', `${warmMs}ms`] : []), ...envFlags, ...stepEnv(load, stepMs)], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        c.stderr!.on('data', (x: Buffer) => { err += x; });
        c.on('exit', (cd) => { if (cd !== 0 && !existsSync(join(stepDir, 'summary.json'))) log(err.trim()); res(cd); });
      });
      if (!existsSync(join(stepDir, 'summary.json'))) throw new CliError(`step ${n} (load ${load}) wrote no result (exit ${code}): see the message above`, code === EXIT.INVALID_CONFIG ? EXIT.INVALID_CONFIG : EXIT.SCRIPT_ERROR);
      const { points: here, summary: s, steadyS } = stepPoints(stepDir, load, stepMs, n * 7919);
      const gen = s.generator ?? { ok: true, verdict: '' };
      steps.push({ n, load, dir: basename(stepDir), verdict: String(gen.verdict ?? ''), generator_ok: !!gen.ok, exit_code: code, steady_s: Math.round(steadyS * 1000) / 1000 });
      points.push(...here);
      const providers = here.map((p) => p.provider);
      // an open range goes on until every provider has saturated
      if (open && loads.length < MAX_STEPS) {
        const done = providers.length > 0 && providers.every((p) => saturated(points.filter((x) => x.provider === p).map((x) => ({ load: x.load, throughput: x.rps })), vary === 'rate'));
        if (!done) loads.push(nextOpen(open, load, vary === 'concurrency'));
      }
      log(`        ${providers.map((p) => { const x = points.find((q) => q.provider === p && q.load === load)!; return `${p}: ${x.rps} req/s, TTFT p50 ${x.ttft_ms.p50 ?? '–'} ms, ${x.error_pct} % failed`; }).join(' · ')} · ${gen.ok ? '' : `generator: ${gen.verdict} · `}${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    process.off('SIGINT', onSig);
    rmSync(wrapperPath, { force: true });
  }
  const providers = [...new Set(points.map((p) => p.provider))].sort();
  const { knees, separations } = curveFacts(points, loads);
  const result: SweepResult = {
    script, vary, unit, loads, step: String(o.step), warmup: `${warmMs}ms`, steps,
    points: points.map(({ samples: _s, ...p }) => p), knees, separations,
  };
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(result, null, 2) + '\n');
  writeFileSync(join(dir, 'sweep.csv'), sweepCsv(result));
  writeFileSync(join(dir, 'sweep.html'), sweepHtml(result));
  const kneeText = providers.map((p) => `${p} ${knees[p] === null ? 'no knee' : `knee at ${knees[p]} ${unit}`}`).join(', ');
  process.stdout.write(`sweep: ${steps.length} of ${loads.length} steps; ${kneeText || 'no LLM calls'}; ${join(dir, 'sweep.json')}\n`);
  return interrupted ? EXIT.EXTERNAL_ABORT : EXIT.OK;
}
