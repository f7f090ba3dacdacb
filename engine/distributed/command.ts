// `llmload merge FILES|DIRS… [--results-dir DIR] [--allow-partial]`: the shards of one plan
// into one result — summary.txt, summary.json and report.html from the merged data, the
// scenario's thresholds evaluated on the whole (exit 99 when one fails, as a run), per-zone and
// per-instance tables, the request logs joined. Missing shards are named and fail the merge
// (exit 115) unless --allow-partial, which marks the result partial.
import type { Command } from 'commander';
import { readFileSync, existsSync, statSync, readdirSync, writeFileSync, mkdirSync, appendFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { hostname } from 'node:os';
import { CliError, EXIT } from '../exitcodes.ts';
import { stateFrom, type ShardState } from './state.ts';
import { checkCoverage, mergeStores, thresholdSets, groupRows, MergeError, type GroupRow } from './merge.ts';
import { evaluate, validateThresholds } from '../thresholds/evaluate.ts';
import { buildSummary, type SummaryData } from '../summary/build.ts';
import { textSummary } from '../summary/text.ts';
import { buildTimeseries } from '../report/data.ts';
import { renderReport } from '../report/html.ts';
import { REQUEST_LOG } from '../outputs/request-log.ts';
import type { ResolvedOptions } from '../config/options.ts';
import { MN } from '../../lib/metric-names.ts';

export interface DistributedSection {
  shards: number; expected: number; partial: boolean;
  missing: Array<{ segment: string; name: string | null }>;
  sequence: string | null;
  zones: GroupRow[]; instances: GroupRow[];
  quantiles: string;
}

interface Input { state: ShardState; dir: string | null; from: string }

/** files: summary.json, a state JSON, or text with state lines (several per `kubectl logs` file
 *  of a Job with many pods); folders: their summary.json, or their sub-folders' */
export function loadInputs(paths: string[]): Input[] {
  const out: Input[] = [];
  const fromFile = (f: string, dir: string | null) => {
    const text = readFileSync(f, 'utf8');
    if (!text.trimStart().startsWith('{')) {
      // every state line in the file: `kubectl logs -l job-name=… --prefix` collects many pods
      const lines = text.split('\n').filter((l) => l.includes('llmload-shard-state: '));
      for (const l of lines) { const s = stateFrom(l); if (s) out.push({ state: s, dir, from: f }); }
      // logs of pods that died hold none: the coverage check names the shards they ran
      if (!lines.length) process.stderr.write(`llmload: WARN ${f} holds no shard state (logs of a pod that did not finish, or of a run without --print-state)\n`);
      return;
    }
    const s = stateFrom(text);
    if (!s) throw new CliError(`${f} is not a shard's result (no "shard" state): shards run with --segment or --start-at carry one`, EXIT.INVALID_CONFIG);
    out.push({ state: s, dir, from: f });
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new CliError(`no such file or folder: ${p}`, EXIT.INVALID_CONFIG);
    if (statSync(p).isDirectory()) {
      if (existsSync(join(p, 'summary.json'))) { fromFile(join(p, 'summary.json'), p); continue; }
      const subs = readdirSync(p).map((d) => join(p, d)).filter((d) => statSync(d).isDirectory() && existsSync(join(d, 'summary.json')));
      if (!subs.length) throw new CliError(`${p} has no summary.json, nor sub-folders with one`, EXIT.INVALID_CONFIG);
      for (const d of subs.sort()) fromFile(join(d, 'summary.json'), d);
    } else fromFile(p, dirname(p));
  }
  if (!out.length) throw new CliError(`no shard state in ${paths.join(', ')}: pass shards' summary.json files, results folders, or logs of runs with --print-state`, EXIT.INVALID_CONFIG);
  return out;
}

export function mergeCommand(program: Command): void {
  program.command('merge')
    .description('merge the shards of a distributed run into one result (exact counts, merged sketches, thresholds on the whole)')
    .argument('<inputs...>', 'shard results: summary.json files, results folders, or logs with --print-state lines')
    .option('--results-dir <dir>', 'write summary.json, summary.txt, report.html and the joined request log here')
    .option('--summary-export <file>', 'write the merged summary JSON here')
    .option('--allow-partial', 'merge even when shards are missing; the result is marked partial')
    .option('--no-thresholds', 'do not evaluate thresholds')
    .option('-q, --quiet', 'print nothing but errors')
    .action((paths: string[], o: { resultsDir?: string; summaryExport?: string; allowPartial?: boolean; thresholds?: boolean; quiet?: boolean }) => {
      process.exitCode = mergeResults(loadInputs(paths), { ...o, noThresholds: o.thresholds === false });
    });
}

export function mergeResults(inputs: Input[], o: { resultsDir?: string; summaryExport?: string; allowPartial?: boolean; noThresholds?: boolean; quiet?: boolean }): number {
  const states = inputs.map((i) => i.state);
  let cov;
  try { cov = checkCoverage(states); } catch (e) { if (e instanceof MergeError) throw new CliError(e.message, EXIT.INVALID_CONFIG); throw e; }
  const partial = cov.missing.length > 0;
  const missingText = cov.missing.map((m) => `${m.name ?? 'shard'} (segment ${m.segment})`).join(', ');
  if (partial && !o.allowPartial) {
    throw new CliError(`${cov.missing.length} of ${cov.expected.length} shards missing: ${missingText}; merge the rest with --allow-partial (the result is marked partial)`, EXIT.SHARDS_MISSING);
  }
  const { store, t0Epoch, durationMs } = mergeStores(states);
  const first = states[0]!;
  let sets;
  try { sets = o.noThresholds ? [] : thresholdSets(first.thresholds); } catch (e) { throw new CliError(`the shards' thresholds: ${(e as Error).message}`, EXIT.INVALID_CONFIG); }
  try { validateThresholds(sets, store); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
  const results = evaluate(sets, store, durationMs / 1000);
  const opts = { thresholds: sets, summaryTrendStats: first.summary_trend_stats } as unknown as ResolvedOptions;
  const totalReq = store.defs.has(MN.requests) ? store.aggregate(MN.requests)?.sum ?? 0 : store.aggregate(MN.iterations)?.sum ?? 0;
  const distributed: DistributedSection = {
    shards: states.length, expected: cov.expected.length, partial, missing: cov.missing, sequence: first.sequence,
    zones: groupRows(states, (s) => s.zone ?? 'default', totalReq),
    instances: groupRows(states, (s) => s.instance_id ?? s.segment, totalReq),
    quantiles: 'merged sketches: each quantile within 1 % of the exact value over every shard\'s samples (docs/DISTRIBUTED.md)',
  };
  const started = new Date(t0Epoch).toISOString();
  const summary = buildSummary(store, opts, results, durationMs, {
    timeseries: buildTimeseries(store, t0Epoch),
    run: { testid: first.testid, script: first.script, bundle_sha256: first.bundle_sha256, merged_from: inputs.map((i) => i.from), started, ended: new Date(t0Epoch + durationMs).toISOString(), host: hostname(), thresholds_passed: results.every((r) => r.ok), provider: null } as unknown as SummaryData['run'],
  }) as SummaryData & { distributed: DistributedSection };
  summary.distributed = distributed;
  if (states.some((s) => s.aborted)) { summary.state.aborted = true; summary.state.abortReason = `shard${states.filter((s) => s.aborted).length > 1 ? 's' : ''} ${states.filter((s) => s.aborted).map((s) => s.instance_id ?? s.segment).join(', ')} aborted`; }
  if (partial) summary.state.abortReason = `PARTIAL: ${missingText} missing`;
  const json = JSON.stringify(summary, null, 2);
  const text = textSummary(summary, { color: false });
  if (o.resultsDir) {
    const dir = resolve(o.resultsDir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summary.json'), json);
    writeFileSync(join(dir, 'summary.txt'), text);
    writeFileSync(join(dir, 'report.html'), renderReport(summary));
    // the request logs: concatenated gzip members are one gzip stream (RFC 1952 §2.2)
    const logs = inputs.map((i) => (i.dir ? join(i.dir, REQUEST_LOG) : '')).filter((f) => f && existsSync(f) && resolve(f) !== join(dir, REQUEST_LOG));
    if (logs.length) { writeFileSync(join(dir, REQUEST_LOG), Buffer.alloc(0)); for (const f of logs) appendFileSync(join(dir, REQUEST_LOG), readFileSync(f)); }
  }
  if (o.summaryExport) { mkdirSync(dirname(resolve(o.summaryExport)), { recursive: true }); writeFileSync(o.summaryExport, json); }
  if (!o.quiet) process.stdout.write(text + '\n');
  if (partial) process.stderr.write(`llmload: WARN partial result: ${missingText} missing (--allow-partial)\n`);
  return results.some((r) => !r.ok) ? EXIT.THRESHOLDS_FAILED : EXIT.OK;
}
