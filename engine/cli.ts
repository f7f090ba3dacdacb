// `llmload` — the command line. Config flows one way: script options → env → CLI flags.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTest, type RunArgs } from './runner.ts';
import { CliError, EXIT } from './exitcodes.ts';
import { bundleScenario } from './bundle.ts';
import { resolveOptions } from './config/options.ts';
import { installRuntime } from '../lib/runtime.ts';
import { EngineRuntime } from './vu-runtime.ts';
import { redact, registerSecrets } from './redact.ts';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { extraCommands } from './commands.ts';

const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string };

const collect = (v: string, prev: string[]) => [...prev, v];
function kv(list: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const i = item.indexOf('=');
    if (i <= 0) throw new CliError(`invalid ${flag} "${item}": use KEY=VALUE`, EXIT.INVALID_CONFIG);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}
function int(name: string) {
  return (v: string) => {
    if (!/^\d+$/.test(v)) throw new CliError(`invalid ${name} "${v}": expected a whole number`, EXIT.INVALID_CONFIG);
    return Number(v);
  };
}

export function buildProgram(): Command {
  const program = new Command('llmload').description('Load-test AI (LLM) APIs with k6-shaped TypeScript scenarios').version(pkg.version, '--version');
  program.exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program.command('run')
    .description('run a scenario (TypeScript or JavaScript)')
    .argument('<script>', 'scenario file, e.g. scenarios/smoke.ts')
    .option('-e, --env <KEY=VALUE>', 'set __ENV.KEY (repeatable)', collect, [])
    .option('-u, --vus <n>', 'number of VUs (replaces scenarios, as in k6)', int('--vus'))
    .option('-d, --duration <d>', 'test duration, e.g. 30s, 5m (replaces scenarios)')
    .option('-i, --iterations <n>', 'total iterations (replaces scenarios)', int('--iterations'))
    .option('-s, --stage <DURATION:TARGET>', 'ramping stage (repeatable, replaces scenarios)', collect, [])
    .option('--summary-export <file>', 'write the end-of-test summary JSON (k6 handleSummary data shape)')
    .option('--junit <file>', 'write thresholds and checks as JUnit XML')
    .option('-o, --out <name=target>', 'send metrics to an output: json=FILE, influxdb=URL, influxdb2=URL (repeatable)', collect, [])
    .option('--results-dir <dir>', 'write summary.json, summary.txt and metadata into this folder')
    .option('--no-thresholds', 'do not evaluate thresholds')
    .option('--no-summary', 'do not print the end-of-test summary')
    .option('-q, --quiet', 'no progress display and no logs')
    .option('--no-color', 'no ANSI colors (also NO_COLOR=1)')
    .option('--segment <a:b>', 'run only this execution segment, e.g. 0:1/3 (a shard of a multi-host run)')
    .option('--segment-sequence <list>', 'all segments of the multi-host run, e.g. 0,1/3,2/3,1')
    .option('--workers <n>', 'VU threads (default: one per 500 VUs, at most half the cores; docs/PERFORMANCE.md)', int('--workers'))
    .option('--tag <KEY=VALUE>', 'tag every sample (repeatable), e.g. region=eu', collect, [])
    .option('--testid <id>', 'test id tag for outputs (default: time-based)')
    .option('--budget-usd <usd>', 'refuse plans whose worst-case cost exceeds this, and abort when spend crosses it')
    .option('--yes', 'start even when the worst-case cost exceeds --budget-usd')
    .option('--no-typecheck', 'skip the TypeScript type check of the scenario')
    .option('--redirect <FROM=TO>', 'send requests whose URL starts with FROM to TO instead (repeatable; TO may be `sim`, the built-in simulator), e.g. https://api.holysheep.ai/v1=sim', collect, [])
    .option('--goodput <bounds...>', "count requests that meet every bound, vLLM's syntax in ms: --goodput ttft:500 tpot:50 e2e:2000 (llm_good, llm_goodput)")
    .option('--no-request-log', 'do not write requests.ndjson.gz (one line per LLM call) in the results folder')
    .option('--compat <mode>', 'how VUs run the script: k6 (blocking calls; many VUs per thread where the script allows, else a thread per VU), k6-threads (a thread per VU), native (async) or auto (from its imports; default)', 'auto')
    .option('--start-at <time>', 'start the executors at this wall-clock instant, RFC 3339 or +DURATION (the start barrier of a multi-shard run)')
    .option('--start-tolerance <d>', 'a start further than this from --start-at is reported as missed (default 100ms)')
    .option('--shard-index <n>', 'pick the N-th of a comma-separated --segment list (Kubernetes Indexed Jobs: $(JOB_COMPLETION_INDEX))', int('--shard-index'))
    .option('--segment-names <list>', 'names of the sequence\'s segments, e.g. eu-0,us-0,ap-0 (merge names missing shards with them)')
    .option('--print-state', 'print the shard\'s mergeable state as the last stdout line (for kubectl logs)')
    .option('--shards <n>', 'run the plan as N local shard processes (the distribution\'s zones, or one zone), then merge them', int('--shards'))
    .option('--distribution <list>', 'split the load across zones, e.g. eu=50,us=30,ap=20 (overrides the script\'s distribution)')
    .option('--instances <n>', 'instances (shards) per zone (default: from the load, --vus-per-instance)', int('--instances'))
    .option('--vus-per-instance <n>', 'VUs one instance carries when sizing a plan (default 1000)', int('--vus-per-instance'))
    .option('--http-client <name>', 'chat()\'s HTTP client: llmload (our HTTP/1.1 reader, default) or undici')
    .option('--insecure-skip-tls-verify', 'accept any TLS certificate (k6\'s flag; options.insecureSkipTLSVerify)')
    .option('--tls-ca <file>', 'PEM file of CA certificates to trust besides the system\'s (private gateways; NODE_EXTRA_CA_CERTS works too)')
    .option('--user-agent <ua>', 'User-Agent of every request (default llmload/VERSION; k6\'s options.userAgent; "" sends none)')
    .option('--warmup <duration|calls>', 'leave the first seconds (30s) or LLM calls (50) out of the summary, thresholds and outputs; they stay in the request log, marked (also LLMLOAD_WARMUP, options.llm.warmup)')
    .option('--usage-check <n>', 'count 1 in N answers that came with usage on the client too (gpt-tokenizer) and report per model where the two disagree (options.llm.usageCheck)')
    .option('--timing-error-limit <d>', 'the health verdict calls a run healthy only when its timing-error bound is within this (default 5ms)')
    .action(async (script: string, o: Record<string, unknown>) => {
      const env = { ...(process.env as Record<string, string>), ...kv(o.env as string[], '--env') };
      registerSecrets(env);
      const args: RunArgs = {
        script, env,
        vus: o.vus as number | undefined, duration: o.duration as string | undefined, iterations: o.iterations as number | undefined, stages: o.stage as string[],
        summaryExport: o.summaryExport as string | undefined, junit: o.junit as string | undefined, resultsDir: o.resultsDir as string | undefined,
        outs: o.out as string[], noThresholds: o.thresholds === false, noSummary: o.summary === false, quiet: !!o.quiet,
        color: o.color !== false && !process.env.NO_COLOR && !!process.stdout.isTTY,
        segment: o.segment as string | undefined, segmentSequence: o.segmentSequence as string | undefined, workers: o.workers as number | undefined,
        tags: kv(o.tag as string[], '--tag'), testid: o.testid as string | undefined,
        budgetUsd: o.budgetUsd !== undefined ? Number(o.budgetUsd) : env.BUDGET_USD ? Number(env.BUDGET_USD) : undefined, yes: !!o.yes, typecheck: o.typecheck !== false,
        redirects: o.redirect as string[], compat: o.compat as string, requestLog: o.requestLog !== false, goodput: o.goodput as string[] | undefined,
        startAt: o.startAt as string | undefined, startTolerance: o.startTolerance as string | undefined, shardIndex: o.shardIndex as number | undefined,
        segmentNames: o.segmentNames as string | undefined, printState: !!o.printState, timingErrorLimit: o.timingErrorLimit as string | undefined, httpClient: o.httpClient as string | undefined,
        insecureSkipTlsVerify: !!o.insecureSkipTlsVerify, tlsCa: o.tlsCa as string | undefined, userAgent: o.userAgent as string | undefined,
        warmup: o.warmup as string | undefined, usageCheck: o.usageCheck as string | undefined,
      };
      if (o.shards !== undefined || o.distribution !== undefined) {
        const { runShards } = await import('./distributed/local.ts');
        process.exitCode = await runShards(args, { shards: o.shards as number | undefined, distribution: o.distribution as string | undefined, instances: o.instances as number | undefined, vusPerInstance: o.vusPerInstance as number | undefined, argv: process.argv.slice(2) });
        return;
      }
      if (args.budgetUsd !== undefined && !(args.budgetUsd >= 0)) throw new CliError(`invalid --budget-usd "${o.budgetUsd ?? env.BUDGET_USD}": expected a number of US dollars, e.g. 5`, EXIT.INVALID_CONFIG);
      process.exitCode = await runTest(args, await hooksFor(args));
    });

  program.command('inspect')
    .description('print the resolved options of a scenario as JSON')
    .argument('<script>')
    .option('-e, --env <KEY=VALUE>', 'set __ENV.KEY', collect, [])
    .action(async (script: string, o: Record<string, unknown>) => {
      const env = { ...(process.env as Record<string, string>), ...kv(o.env as string[], '--env') };
      const b = await bundleScenario(script, join(tmpdir(), `llmload-inspect-${process.pid}`));
      installRuntime(new EngineRuntime(env, { onAbortTest() {}, log() {} }, { testid: 'inspect', segment: '0:1', instance: 0 }));
      let mod: Record<string, unknown>;
      try { mod = await import(pathToFileURL(b.path).href); } catch (e) {
        const ce = e as { exitCode?: number; message?: string };
        throw new CliError(`script error in init: ${ce.message}`, ce.exitCode ?? EXIT.SCRIPT_ERROR);
      }
      const r = resolveOptions(mod.options as Record<string, unknown>, { scriptDir: dirname(resolve(script)) });
      process.stdout.write(redact(JSON.stringify({ bundle_sha256: b.hash, scenarios: r.scenarios, thresholds: r.thresholds.map((t) => ({ metric: t.key.source, thresholds: t.specs.map((s) => s.source) })), tags: r.tags }, null, 2), env) + '\n');
    });

  program.command('version').description('print the version').action(() => { process.stdout.write(`llmload v${pkg.version} (node ${process.version})\n`); });
  extraCommands(program);
  return program;
}

async function hooksFor(args: RunArgs) {
  const { llmHooks } = await import('./llm-hooks.ts');
  return llmHooks(args);
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') { process.exitCode = 0; return; }
      // commander already printed "error: …"; add how to fix it
      process.stderr.write(`(see llmload --help)\n`);
      process.exitCode = e.code === 'commander.unknownOption' || e.code === 'commander.invalidArgument' ? EXIT.INVALID_CONFIG : EXIT.USAGE;
      return;
    }
    if (e instanceof CliError) {
      process.stderr.write(`llmload: ${redact(e.message)}\n`);
      process.exitCode = e.code;
      return;
    }
    process.stderr.write(`llmload: internal error: ${redact((e as Error).stack ?? String(e))}\n`);
    process.exitCode = EXIT.ENGINE_ERROR;
  }
}
