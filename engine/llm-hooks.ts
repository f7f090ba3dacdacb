// Run hooks that know about LLM providers: start the built-in simulator when the scenario
// targets it, the budget guard (worst-case plan cost before the run, spend cap during it),
// and run metadata for the results folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { hostname, cpus } from 'node:os';
import type { RunArgs, RunHooks } from './runner.ts';
import type { SimulatorReport } from './summary/build.ts';
import type { SimStats } from '../sim/server.ts';
import { CliError, EXIT } from './exitcodes.ts';
import { resolveProvider } from '../lib/providers/index.ts';
import { priceFor, costUsd, type Price } from '../lib/pricing/index.ts';
import { PRICES } from '../lib/pricing/prices.ts';
import { ArrivalSchedule } from './executors/schedule.ts';
import type { Scenario } from './config/options.ts';
import { redact } from './redact.ts';
import { SIM_NODE_ARGS } from './gc-flags.ts';
import { parseProviders } from './config/providers.ts';
import { MN } from '../lib/metric-names.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface BudgetPlan { callsPerIteration: number; maxInputTokens: number; maxOutputTokens: number; minIterationSeconds?: number; models?: string[] }

/** Upper bound on iterations a scenario can start (Infinity when unbounded). */
export function maxIterations(s: Scenario, minIterationSeconds: number): number {
  switch (s.executor) {
    case 'shared-iterations': return s.iterations;
    case 'per-vu-iterations': return s.vus * s.iterations;
    case 'constant-arrival-rate': case 'ramping-arrival-rate': {
      const sched = s.executor === 'constant-arrival-rate' ? ArrivalSchedule.constant(s.rate, s.durationMs, s.timeUnitMs, false, 1) : new ArrivalSchedule(s.startRate, s.stages, s.timeUnitMs, false, 1);
      let n = 0;
      while (sched.next() !== null) n++;
      // random arrivals: mean n; the count's sd is about cv·√n (cv 1 for Poisson, 1/√k for gamma)
      const cv = s.burstiness !== undefined ? 1 / Math.sqrt(s.burstiness) : s.poisson ? 1 : 0;
      return cv ? Math.ceil(Math.max(n * 1.1, n + 4 * cv * Math.sqrt(n)) + 10) : n;
    }
    case 'trace-replay': return s.traceOffsetsMs?.length ?? 0;
    case 'constant-vus': return minIterationSeconds > 0 ? Math.ceil((s.vus * s.durationMs) / 1000 / minIterationSeconds) + s.vus : Infinity;
    case 'ramping-vus': {
      if (minIterationSeconds <= 0) return Infinity;
      let vuMs = 0, from = s.startVUs;
      for (const st of s.stages) { vuMs += ((from + st.target) / 2) * st.durationMs; from = st.target; }
      return Math.ceil(vuMs / 1000 / minIterationSeconds) + Math.max(s.startVUs, ...s.stages.map((x) => x.target));
    }
  }
}

export function llmHooks(args: RunArgs): RunHooks {
  let sim: ChildProcess | null = null;
  let simUrl: string | null = null;
  let providerName = 'sim';
  let modelMap: Record<string, string | null> | undefined;
  let worstCase: number | null = null;
  return {
    async preflight({ options, env, log, mod, needsSim }) {
      providerName = (env.PROVIDER || (options.raw.llm as { provider?: string } | undefined)?.provider || 'sim').toLowerCase();
      // only scenarios that import llmload/llm get a simulator
      const usesLlm = readFileSync(String(mod.__bundlePath), 'utf8').includes('/lib/llm.js');
      // and so do k6 scripts whose URLs --redirect sends to `sim`
      if (needsSim && env.BASE_URL) throw new CliError(`--redirect …=sim starts the built-in simulator, but BASE_URL is set (${env.BASE_URL}): redirect to that URL instead, or unset BASE_URL`, EXIT.INVALID_CONFIG);
      const listed = parseProviders(env.PROVIDERS); // validated by the runner already
      const wantsSim = listed.length ? listed.includes('sim') : providerName === 'sim';
      if ((usesLlm && wantsSim && !env.BASE_URL && !env.SIM_BASE_URL) || needsSim) { sim = await startSimChild(env, log); simUrl = env.BASE_URL ?? null; }
      try { modelMap = resolveProvider(providerName, env).models; } catch { /* checked by the scenario itself */ }

      // budget guard: worst case = max iterations × calls × (max_input, max_output) at the dearest price
      const plan = ((options.raw.llm as { budget?: BudgetPlan } | undefined)?.budget) ?? null;
      if (plan) {
        // PROVIDERS=a,b: the scenarios were cloned per provider, so `iters` already sums them;
        // each call is priced at the dearest model of any listed provider
        const names = parseProviders(env.PROVIDERS);
        const prices: Price[] = (names.length ? names : [providerName]).flatMap((n) => (plan.models ?? Object.keys(PRICES[n] ?? {})).map((m) => priceFor(n, m))).filter((p): p is Price => !!p);
        // a model without a price costs $0 here, so no cap could ever stop it: refuse, unless --yes
        const unpriced = (names.length ? names : [providerName]).flatMap((n) => (plan.models ?? []).filter((m) => !priceFor(n, m)).map((m) => `${n}/${m}`));
        if (args.budgetUsd !== undefined && unpriced.length && !args.yes) {
          await stopSim();
          throw new CliError(`--budget-usd cannot be enforced: no price for ${unpriced.join(', ')} (add it to lib/pricing/prices.ts, or pass --yes to run with those calls counted as $0)`, EXIT.BUDGET_EXCEEDED);
        }
        const dearest = prices.sort((a, b) => costUsd(b, plan.maxInputTokens, plan.maxOutputTokens) - costUsd(a, plan.maxInputTokens, plan.maxOutputTokens))[0];
        const iters = options.scenarios.reduce((a, s) => a + maxIterations(s, plan.minIterationSeconds ?? 0), 0);
        worstCase = dearest ? iters * plan.callsPerIteration * costUsd(dearest, plan.maxInputTokens, plan.maxOutputTokens) : 0;
        log(`plan: provider ${providerName}, ≤ ${Number.isFinite(iters) ? iters : '∞'} iterations × ${plan.callsPerIteration} calls × ≤ ${plan.maxOutputTokens} output tokens → worst case $${Number.isFinite(worstCase) ? worstCase.toFixed(2) : '∞'}${args.budgetUsd !== undefined ? ` (budget $${args.budgetUsd})` : ''}`);
        if (args.budgetUsd !== undefined && worstCase > args.budgetUsd && !args.yes) {
          await stopSim();
          throw new CliError(`worst-case cost $${Number.isFinite(worstCase) ? worstCase.toFixed(2) : '∞'} exceeds --budget-usd ${args.budgetUsd}: shorten the run, raise the budget, or pass --yes to start anyway (spend is still capped)`, EXIT.BUDGET_EXCEEDED);
        }
      }
    },
    watch(store) {
      if (args.budgetUsd === undefined) return null;
      const spent = store.aggregate(MN.costUsd)?.sum ?? 0;
      if (spent >= args.budgetUsd) return { reason: `spend $${spent.toFixed(4)} crossed --budget-usd ${args.budgetUsd}`, code: EXIT.BUDGET_EXCEEDED };
      // a call to a model with no price would spend without limit under the cap
      const unpriced = store.aggregate(MN.unpriced)?.sum ?? 0;
      if (unpriced > 0 && !args.yes) {
        const models = [...store.series.values()].filter((x) => x.name === MN.unpriced).map((x) => `${x.tags.provider}/${x.tags.model}`);
        return { reason: `--budget-usd cannot be enforced: no price for ${[...new Set(models)].join(', ')} (add it to lib/pricing/prices.ts, or pass --yes to count those calls as $0)`, code: EXIT.BUDGET_EXCEEDED };
      }
      return null;
    },
    async decorate(s) {
      if (sim && simUrl) s.simulator = await simulatorReport(simUrl);
      s.run = { ...s.run, provider: providerName, model_map: modelMap, worst_case_usd: worstCase, budget_usd: args.budgetUsd ?? null };
      if (args.resultsDir) {
        mkdirSync(args.resultsDir, { recursive: true });
        const meta = {
          ...s.run,
          options: JSON.parse(redact(JSON.stringify(s.run?.resolved_options ?? null), args.env)),
          versions: { llmload: pkgVersion(), node: process.version },
          git_commit: gitCommit(),
          host: { name: hostname(), cpus: cpus().length },
        };
        writeFileSync(join(args.resultsDir, 'metadata.json'), redact(JSON.stringify(meta, null, 2), args.env));
      }
    },
    cleanup() { return stopSim(); },
  };
  /** stops the built-in simulator and waits until it is gone (SIGKILL after 3 s), so no
   *  simulator outlives the run, also after Ctrl+C (issue #18) */
  function stopSim(): Promise<void> {
    const child = sim;
    sim = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => { clearTimeout(hard); resolve(); });
      child.kill('SIGTERM');
    });
  }
}

export async function startSimChild(env: Record<string, string>, log: (s: string) => void): Promise<ChildProcess> {
  const cli = join(here, '..', 'bin', 'llmload.js');
  const profile = env.SIM_PROFILE || 'holysheep';
  const extra = (env.SIM_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...SIM_NODE_ARGS, cli, 'sim', '--port', '0', '--profile', profile, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '', err = '';
    const t = setTimeout(() => reject(new CliError(`the built-in simulator did not start within 10s: ${err.trim()}`, EXIT.ENGINE_ERROR)), 10_000);
    child.stdout!.on('data', (d: Buffer) => { out += d; const m = /listening on (\S+)/.exec(out); if (m) { clearTimeout(t); resolve(m[1]!); } });
    child.stderr!.on('data', (d: Buffer) => { err += d; });
    child.on('exit', (code) => { clearTimeout(t); reject(new CliError(`the built-in simulator exited (${code}): ${err.trim()}`, EXIT.ENGINE_ERROR)); });
  });
  child.removeAllListeners('exit');
  env.BASE_URL = url;
  log(`started the built-in simulator (profile ${profile}) at ${url}`);
  return child;
}

// The simulator must never be the bottleneck of a run against it (issue #5): its own stats
// over the run say whether its writes kept their schedule. Late writes would show up as
// server latency in the results.
const KEPT_UP_P99_MS = 5;
async function simulatorReport(url: string): Promise<SimulatorReport | undefined> {
  try {
    const st = await (await fetch(`${url}/sim/stats`, { signal: AbortSignal.timeout(2000) })).json() as SimStats;
    return { events: st.events, cpu_ms: st.cpu_ms, lateness_ms: st.lateness_ms, gc: st.gc, kept_up: st.lateness_ms.p99 <= KEPT_UP_P99_MS };
  } catch { return undefined; } // a report, not a reason to fail the run
}

function pkgVersion(): string {
  try { return (JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { version: string }).version; } catch { return 'unknown'; }
}
function gitCommit(): string | null {
  try { return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: join(here, '..'), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return null; }
}
