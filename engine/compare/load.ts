// Reads what `llmload compare` needs from a results folder: the per-request log and, from
// summary.json, the run's duration and its attempt-level 429 counts.
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
  const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as { state: { testRunDurationMs: number }; llm?: { byModel: Array<{ provider: string; model: string; rate_limited: number }> } };
  const text = gunzipSync(readFileSync(logFile)).toString('utf8');
  const records: RequestRecord[] = [];
  let line = 0;
  for (const l of text.split('\n')) {
    line++;
    if (!l) continue;
    try { records.push(JSON.parse(l) as RequestRecord); } catch { throw new Error(`${logFile}:${line}: not a JSON line`); }
  }
  const rateLimited = new Map<string, number>();
  for (const m of summary.llm?.byModel ?? []) rateLimited.set(`${m.provider}\u0000${m.model}`, m.rate_limited);
  return { name: basename(abs), durationS: summary.state.testRunDurationMs / 1000, records, rateLimited };
}
