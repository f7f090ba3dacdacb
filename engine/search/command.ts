// `llmload search SCRIPT --slo 'llm_ttft:p(95)<1000' [--slo …] [--vary rate|vus] [--min N]
// [--max N] [--step 60s] [--precision 5%]`: the highest load that keeps every SLO. Each step is
// an ordinary `llmload run` of the script's default function under an injected
// constant-arrival-rate (or constant-vus) executor, with the SLOs as thresholds that abort the
// step early once clearly crossed (abortOnFail after a third of the step). The decisions are
// engine/search/steps.ts; search.json and search.html record every step.
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { writeFileSync, readFileSync, mkdirSync, existsSync, rmSync } from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { CliError, EXIT } from '../exitcodes.ts';
import { parseExpr, ThresholdError, type ThresholdExpr } from '../thresholds/parse.ts';
import { parseDuration } from '../../lib/duration.ts';
import { typecheck } from '../typecheck.ts';
import { nextStep, record, type SearchState } from './steps.ts';
import { searchHtml } from './html.ts';
import { stepWrapper, stepEnv } from '../run/step-wrapper.ts';
import { CLI_PATH as CLI } from '../run-id.ts';


export interface Slo { source: string; metric: string; expr: ThresholdExpr }

export function parseSlo(s: string): Slo {
  const i = s.indexOf(':');
  if (i <= 0) throw new CliError(`invalid --slo "${s}": use METRIC:THRESHOLD, e.g. 'llm_ttft:p(95)<1000' or 'llm_errors:rate<0.01'`, EXIT.INVALID_CONFIG);
  try { return { source: s, metric: s.slice(0, i), expr: parseExpr(s.slice(i + 1)) }; } catch (e) { if (e instanceof ThresholdError) throw new CliError(`invalid --slo "${s}": ${e.message}`, EXIT.INVALID_CONFIG); throw e; }
}

export interface StepRecord {
  n: number; load: number; why: string; pass: boolean; inconclusive: boolean; early_stop: boolean;
  achieved_rps: number; iterations: number; dropped: number; duration_s: number;
  slos: Record<string, { value: number | null; ok: boolean }>;
  generator: { ok: boolean; verdict: string };
  exit_code: number | null;
}

function sloValue(metric: { values: Record<string, number> } | undefined, e: ThresholdExpr): number | null {
  if (!metric) return null;
  const a = e.agg;
  const key = a.kind === 'p' ? (a.p === 50 ? 'med' : `p(${a.p})`) : a.kind;
  return metric.values[key] ?? null;
}

export function searchCommand(program: Command): void {
  program.command('search')
    .description('find the highest load that keeps every SLO: an exponential probe, then bisection, the boundary confirmed by a repeat')
    .argument('<script>')
    .requiredOption('--slo <metric:threshold>', "an SLO, k6 threshold syntax (repeatable): 'llm_ttft:p(95)<1000', 'llm_errors:rate<0.01'", (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--vary <what>', 'rate (constant-arrival-rate, iterations/s) or vus (constant-vus)', 'rate')
    .option('--min <n>', 'lowest load to try', '1')
    .option('--max <n>', 'highest load to try', '1000')
    .option('--step <d>', 'how long each step runs', '60s')
    .option('--precision <p>', 'stop bisecting when the bracket is this narrow, relative', '5%')
    .option('--max-steps <n>', 'at most this many steps', '20')
    .option('-e, --env <KEY=VALUE>', 'set __ENV.KEY for every step (repeatable)', (v: string, p: string[]) => [...p, v], [] as string[])
    .option('--results-dir <dir>', 'where search.json, search.html and each step\'s results go (default results/<time>-search)')
    .option('--no-typecheck', 'skip the TypeScript type check of the scenario')
    .option('-q, --quiet', 'print only the result')
    .action(async (script: string, o: Record<string, unknown>) => {
      process.exitCode = await runSearch(script, o);
    });
}

async function runSearch(script: string, o: Record<string, unknown>): Promise<number> {
  const log = (s: string) => { if (!o.quiet) process.stderr.write(s + '\n'); };
  const slos = (o.slo as string[]).map(parseSlo);
  const vary = o.vary as string;
  if (vary !== 'rate' && vary !== 'vus') throw new CliError(`invalid --vary "${vary}": use rate or vus`, EXIT.INVALID_CONFIG);
  const num = (name: string, v: unknown) => { const x = Number(v); if (!(x > 0) || !Number.isFinite(x)) throw new CliError(`invalid --${name} "${v}": expected a positive number`, EXIT.INVALID_CONFIG); return x; };
  const min = num('min', o.min), max = num('max', o.max);
  if (min > max) throw new CliError(`--min ${min} is above --max ${max}`, EXIT.INVALID_CONFIG);
  const p = /^(\d+(?:\.\d+)?)%$/.exec(String(o.precision));
  if (!p || !(Number(p[1]) > 0 && Number(p[1]) < 100)) throw new CliError(`invalid --precision "${o.precision}": a percentage such as 5%`, EXIT.INVALID_CONFIG);
  let stepMs: number;
  try { stepMs = parseDuration(String(o.step), '--step'); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  if (!existsSync(script)) throw new CliError(`script not found: ${script}`, EXIT.SCRIPT_ERROR);
  if (o.typecheck !== false) {
    const te = await typecheck(script);
    if (te) throw new CliError(`script error: ${te.file}:${te.line}:${te.col}: ${te.message} (fix it, or run with --no-typecheck)`, EXIT.SCRIPT_ERROR);
  }
  const dir = resolve((o.resultsDir as string | undefined) ?? join('results', `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-search`));
  mkdirSync(dir, { recursive: true });
  // the SLOs as thresholds that stop a clearly saturated step after a third of it
  const delay = `${Math.max(1, Math.round(stepMs / 3000))}s`;
  const thresholds: Record<string, Array<{ threshold: string; abortOnFail: boolean; delayAbortEval: string }>> = {};
  for (const s of slos) (thresholds[s.metric] ??= []).push({ threshold: s.expr.source, abortOnFail: true, delayAbortEval: delay });
  const wrapperPath = join(dirname(resolve(script)), `.llmload-search-${process.pid}-${basename(script).replace(/\.[^.]+$/, '')}.ts`);
  writeFileSync(wrapperPath, stepWrapper(script, 'search', vary === 'rate' ? 'rate' : 'vus', { gracefulStop: '5s', thresholds: 'JSON.parse(__ENV.LLMLOAD_SEARCH_THRESHOLDS)' }));
  const state: SearchState = { min, max, precision: Number(p[1]) / 100, integer: vary === 'vus', maxSteps: Number(o.maxSteps), steps: [], confirmed: null };
  const records: StepRecord[] = [];
  const envFlags = (o.env as string[]).flatMap((kv) => ['-e', kv]);
  let result;
  const stopped = { v: false };
  const onSig = () => { stopped.v = true; };
  process.on('SIGINT', onSig);
  try {
    for (;;) {
      const d = nextStep(state);
      if (d.kind === 'done') { result = d; break; }
      if (stopped.v) { result = { kind: 'done' as const, feasibleMax: null, infeasibleMin: null, reason: 'interrupted' }; break; }
      const n = records.length + 1;
      const stepDir = join(dir, `step-${String(n).padStart(2, '0')}-${d.load}`);
      log(`search: step ${n} (${d.why}) — ${vary === 'rate' ? `${d.load} it/s` : `${d.load} VUs`} for ${o.step}`);
      const t0 = Date.now();
      const code = await new Promise<number | null>((res) => {
        const c = spawn(process.execPath, [CLI, 'run', wrapperPath, '--no-typecheck', '-q', '--no-summary', '--results-dir', stepDir, ...envFlags, ...stepEnv(d.load, stepMs), '-e', `LLMLOAD_SEARCH_THRESHOLDS=${JSON.stringify(thresholds)}`], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        c.stderr!.on('data', (x: Buffer) => { err += x; });
        c.on('exit', (cd) => { if (cd !== 0 && cd !== EXIT.THRESHOLDS_FAILED && !existsSync(join(stepDir, 'summary.json'))) log(err.trim()); res(cd); });
      });
      if (!existsSync(join(stepDir, 'summary.json'))) throw new CliError(`step ${n} (load ${d.load}) wrote no result (exit ${code}): see the message above`, EXIT.SCRIPT_ERROR);
      const s = JSON.parse(readFileSync(join(stepDir, 'summary.json'), 'utf8'));
      const sv: StepRecord['slos'] = {};
      for (const slo of slos) {
        const m = s.metrics[slo.metric];
        sv[slo.source] = { value: sloValue(m, slo.expr), ok: m?.thresholds?.[slo.expr.source]?.ok ?? false };
      }
      const pass = Object.values(sv).every((x) => x.ok);
      const gen = s.generator ?? { ok: true, verdict: '' };
      // a step the generator limited says nothing about the target; one stopped early by its
      // SLOs is the target's failure (the abort itself, interrupting every stream in flight,
      // shows as event-loop lag: 72 ms p99 in a 2-second step at 32 it/s, 4 ms without it)
      // The timing-error bound alone does not make a step inconclusive: it says latencies may
      // read a few ms high (recorded in the step), not that the generator held the load back
      const limiting = (gen.reasons ?? []).filter((x: string) => !/^timing-error bound|dropped/.test(x));
      const inconclusive = typeof gen.verdict === 'string' && gen.verdict.startsWith('OVERLOADED') && limiting.length > 0 && !s.state.aborted;
      const dur = s.state.testRunDurationMs / 1000;
      const rec: StepRecord = {
        n, load: d.load, why: d.why, pass, inconclusive, early_stop: !!s.state.aborted,
        achieved_rps: Math.round(((s.metrics.llm_requests?.values.count ?? s.metrics.iterations?.values.count ?? 0) / Math.max(dur, 0.001)) * 100) / 100,
        iterations: s.metrics.iterations?.values.count ?? 0, dropped: s.metrics.dropped_iterations?.values.count ?? 0, duration_s: Math.round(dur * 10) / 10,
        slos: sv, generator: { ok: !!gen.ok, verdict: gen.verdict ?? '' }, exit_code: code,
      };
      records.push(rec);
      record(state, d, { load: d.load, pass, inconclusive });
      log(`        ${inconclusive ? '? generator-limited' : pass ? '✓ pass' : '✗ fail'}${rec.early_stop ? ' (stopped early)' : ''} · ${rec.achieved_rps} req/s · ${Object.entries(sv).map(([k, v]) => `${k.split(':')[0]} ${v.value === null ? '–' : +v.value.toFixed(3)}`).join(' · ')} · ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    process.off('SIGINT', onSig);
    rmSync(wrapperPath, { force: true });
  }
  const out = {
    script, vary, unit: vary === 'rate' ? 'iterations/s' : 'VUs', slos: slos.map((s) => s.source), step: o.step, precision: o.precision, min, max,
    feasible_max: result.feasibleMax, infeasible_min: result.infeasibleMin, confirmed: state.confirmed === true, reason: result.reason, steps: records,
  };
  writeFileSync(join(dir, 'search.json'), JSON.stringify(out, null, 2) + '\n');
  writeFileSync(join(dir, 'search.html'), searchHtml(out));
  process.stdout.write(`${result.feasibleMax === null ? 'no load met every SLO' : `highest load meeting every SLO: ${result.feasibleMax} ${out.unit}`}${result.infeasibleMin !== null ? ` (${result.infeasibleMin} misses)` : ''} — ${result.reason}; ${records.length} steps; ${join(dir, 'search.json')}\n`);
  return result.reason === 'interrupted' ? EXIT.EXTERNAL_ABORT : EXIT.OK;
}
