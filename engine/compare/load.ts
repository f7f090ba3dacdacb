// Reads what `llmload compare` needs from a results folder: the per-request log and, from
// summary.json, the run's duration, its attempt-level 429 counts and what load it ran (so runs
// under different loads are not ranked against each other without a word).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { basename, join, resolve } from 'node:path';
import type { RequestRecord } from '../../lib/llm/types.ts';
import { REQUEST_LOG } from '../outputs/request-log.ts';
import type { RunData } from './table.ts';

export function loadRun(dir: string): RunData {
  const abs = resolve(dir);
  const logFile = join(abs, REQUEST_LOG);
  const summaryFile = join(abs, 'summary.json');
  if (!existsSync(summaryFile)) throw new Error(`${dir}: no summary.json — give results folders written by \`llmload run --results-dir\` or \`make bench\``);
  if (!existsSync(logFile)) throw new Error(`${dir}: no ${REQUEST_LOG} — the run kept no per-request log (run it again without --no-request-log)`);
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { state: { testRunDurationMs: number }; llm?: { byModel: Array<{ provider: string; model: string; rate_limited: number }> }; run?: { script?: string; workload?: unknown; resolved_options?: { scenarios?: ScenarioFacts[] }; warmup?: { steady_ms: number } } };
  const text = gunzipSync(readFileSync(logFile)).toString('utf8');
  const records: RequestRecord[] = [];
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    if (!l) continue;
    let r: RequestRecord;
    try { r = JSON.parse(l) as RequestRecord; } catch { throw new Error(`${logFile}:${line}: not a JSON line`); }
    // the run's warm-up is in the log, marked, and in none of its numbers: nor in these
    if (!r.warmup) records.push(r);
  }
  const rateLimited = new Map<string, number>();
  for (const m of summary.llm?.byModel ?? []) rateLimited.set(`${m.provider}\u0000${m.model}`, m.rate_limited);
  const scenarios = summary.run?.resolved_options?.scenarios ?? [];
  const script = summary.run?.script ? basename(summary.run.script) : '?';
  // the description of what was sent (options.llmload.workload), not the run's measured lag
  const workload = (summary.run?.workload as { description?: string } | undefined)?.description ?? null;
  const load = { script, scenarios: scenarios.map(describeScenario), ...(workload ? { workload } : {}) };
  const durationS = (summary.run?.warmup ? summary.run.warmup.steady_ms : summary.state.testRunDurationMs) / 1000;
  return { name: basename(abs), durationS, records, rateLimited, load };
}

interface ScenarioFacts { executor: string; vus?: number; iterations?: number; durationMs?: number; startVUs?: number; stages?: Array<{ durationMs: number; target: number }>; rate?: number; startRate?: number; timeUnitMs?: number; poisson?: boolean; burstiness?: number; trace?: string; speed?: number }

const secs = (ms = 0) => `${+(ms / 1000).toFixed(3)}s`;
/** what load a scenario puts on the target, in words: equal words, equal load */
export function describeScenario(sc: ScenarioFacts): string {
  const per = sc.timeUnitMs && sc.timeUnitMs !== 1000 ? `/${secs(sc.timeUnitMs)}` : '/s';
  const stages = (from: number) => [from, ...(sc.stages ?? []).map((x) => x.target)].join('→') + ` over ${secs((sc.stages ?? []).reduce((a, x) => a + x.durationMs, 0))}`;
  const arrivals = sc.burstiness !== undefined ? `, gamma burstiness ${sc.burstiness}` : sc.poisson ? ', Poisson' : '';
  switch (sc.executor) {
    case 'constant-vus': return `${sc.vus} VUs for ${secs(sc.durationMs)}`;
    case 'ramping-vus': return `VUs ${stages(sc.startVUs ?? 0)}`;
    case 'constant-arrival-rate': return `${sc.rate}${per} for ${secs(sc.durationMs)}${arrivals}`;
    case 'ramping-arrival-rate': return `rate ${stages(sc.startRate ?? 0)} (${per.slice(1)})${arrivals}`;
    case 'shared-iterations': return `${sc.iterations} iterations shared by ${sc.vus} VUs`;
    case 'per-vu-iterations': return `${sc.iterations} iterations × ${sc.vus} VUs`;
    case 'trace-replay': return `trace ${sc.trace ? basename(sc.trace) : '?'} at ×${sc.speed ?? 1}`;
    default: return sc.executor;
  }
}
