// Reading a sweep back: a step's points from its results folder (the request log over the
// steady window), and a whole sweep from its sweep.json and step folders — for `llmload sweep`
// itself and for `llmload compare` over sweep results (engine/sweep/compare.ts).
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve, basename } from 'node:path';
import type { RequestRecord } from '../../lib/llm/types.ts';
import { parseDuration } from '../../lib/duration.ts';
import { sweepPoint, type SweepPoint } from './points.ts';
import type { SweepResult } from './result.ts';

function readLog(dir: string): RequestRecord[] {
  const f = join(dir, 'requests.ndjson.gz');
  if (!existsSync(f)) return [];
  return gunzipSync(readFileSync(f)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RequestRecord);
}

/** one step's points, one per provider, over its steady window: from the warm-up's end to the
 *  step's scheduled end (calls dispatched in it; the warm-up's are marked in the log) */
export function stepPoints(stepDir: string, load: number, stepMs: number, seed: number): { points: SweepPoint[]; summary: Record<string, any>; steadyS: number } {
  const s = JSON.parse(readFileSync(join(stepDir, 'summary.json'), 'utf8'));
  const started = Date.parse(s.run.executors_started);
  const lasted = s.run.warmup?.lasted_ms ?? 0;
  const steadyS = Math.max(0.001, (stepMs - lasted) / 1000);
  // the warm-up's calls too: their work inside the window counts toward its rates
  const recs = readLog(stepDir);
  const providers = [...new Set(recs.map((r) => r.provider))].sort();
  return { points: providers.map((p) => sweepPoint(p, load, recs.filter((r) => r.provider === p), started + lasted, steadyS, seed)), summary: s, steadyS };
}

/** a sweep's result and its points with their samples (for intervals between sweeps) */
export function loadSweep(dir: string): { result: SweepResult; points: SweepPoint[]; name: string } {
  const abs = resolve(dir);
  const result = JSON.parse(readFileSync(join(abs, 'sweep.json'), 'utf8')) as SweepResult;
  const stepMs = parseDuration(result.step, 'step');
  const points = result.steps.flatMap((st) => stepPoints(join(abs, st.dir), st.load, stepMs, st.n * 7919).points);
  return { result, points, name: basename(abs) };
}
