// Scenario options in k6's shape, validated once with zod, normalized into explicit scenarios.
// Shortcuts (vus/duration/iterations/stages) become one "default" scenario the way k6 does:
// https://grafana.com/docs/k6/latest/using-k6/scenarios/#scenario-shortcuts (docs/EXECUTORS.md)
import { z } from 'zod';
import { parseDuration, DurationError } from '../../lib/duration.ts';
import { parseMetricKey, parseThresholdList, ThresholdError, type MetricKey, type ThresholdSpec } from '../thresholds/parse.ts';
import { CliError, EXIT } from '../exitcodes.ts';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { traceOffsets } from '../../lib/workload/trace.ts';
import { DatasetError } from '../../lib/workload/file-index.ts';

export const EXECUTORS = ['shared-iterations', 'per-vu-iterations', 'constant-vus', 'ramping-vus', 'constant-arrival-rate', 'ramping-arrival-rate', 'trace-replay'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

const dur = z.union([z.string(), z.number()]);
const stage = z.object({ duration: dur, target: z.number().int().min(0) }).strict();
const common = {
  startTime: dur.optional(),
  gracefulStop: dur.optional(),
  exec: z.string().optional(),
  env: z.record(z.string()).optional(),
  tags: z.record(z.string()).optional(),
};
const arrival = {
  timeUnit: dur.optional(),
  preAllocatedVUs: z.number().int().min(0),
  maxVUs: z.number().int().min(0).optional(),
  poisson: z.boolean().optional(),
  // gamma arrivals (vLLM's --burstiness): 1 is Poisson, lower burstier, higher smoother
  burstiness: z.number().positive().optional(),
  seed: z.number().int().optional(),
};
const scenarioSchemas: Record<ExecutorName, z.ZodTypeAny> = {
  'shared-iterations': z.object({ executor: z.literal('shared-iterations'), vus: z.number().int().min(1).optional(), iterations: z.number().int().min(1).optional(), maxDuration: dur.optional(), ...common }).strict(),
  'per-vu-iterations': z.object({ executor: z.literal('per-vu-iterations'), vus: z.number().int().min(1).optional(), iterations: z.number().int().min(1).optional(), maxDuration: dur.optional(), ...common }).strict(),
  'constant-vus': z.object({ executor: z.literal('constant-vus'), vus: z.number().int().min(1).optional(), duration: dur, ...common }).strict(),
  'ramping-vus': z.object({ executor: z.literal('ramping-vus'), startVUs: z.number().int().min(0).optional(), stages: z.array(stage).min(1), gracefulRampDown: dur.optional(), ...common }).strict(),
  'constant-arrival-rate': z.object({ executor: z.literal('constant-arrival-rate'), rate: z.number().positive(), duration: dur, ...arrival, ...common }).strict(),
  // llmload's: request i at the trace's recorded offset ÷ speed (lib/workload/trace.ts)
  'trace-replay': z.object({ executor: z.literal('trace-replay'), trace: z.string().min(1), speed: z.number().positive().optional(), preAllocatedVUs: z.number().int().min(0), maxVUs: z.number().int().min(0).optional(), ...common }).strict(),
  'ramping-arrival-rate': z.object({ executor: z.literal('ramping-arrival-rate'), startRate: z.number().min(0).optional(), stages: z.array(stage.extend({ target: z.number().min(0) })).min(1), ...arrival, ...common }).strict(),
};

const TOP_LEVEL = z.object({
  vus: z.number().int().min(0).optional(),
  duration: dur.optional(),
  iterations: z.number().int().min(1).optional(),
  stages: z.array(stage).optional(),
  scenarios: z.record(z.unknown()).optional(),
  thresholds: z.record(z.unknown()).optional(),
  setupTimeout: dur.optional(),
  teardownTimeout: dur.optional(),
  tags: z.record(z.string()).optional(),
  summaryTrendStats: z.array(z.string()).optional(),
  summaryTimeUnit: z.string().optional(),
  noColor: z.boolean().optional(),
  discardResponseBodies: z.boolean().optional(),
  userAgent: z.string().optional(),
  insecureSkipTLSVerify: z.boolean().optional(),
  // k6's client certificates: per domain ("*.example.com" for subdomains), PEM strings
  tlsAuth: z.array(z.object({ domains: z.array(z.string()).min(1), cert: z.string(), key: z.string(), password: z.string().optional() }).strict()).optional(),
  ext: z.record(z.unknown()).optional(),
  // k6 cloud's options (distribution: engine/distributed/distribution.ts; the rest is ignored)
  cloud: z.record(z.unknown()).optional(),
  // llmload's own: distribution, vusPerInstance (engine/distributed)
  llmload: z.record(z.unknown()).optional(),
  llm: z.record(z.unknown()).optional(), // defaults for lib/llm (provider, timeouts, retry)
}).strict();
export const OPTION_NAMES = Object.keys(TOP_LEVEL.shape);

export interface Stage { durationMs: number; target: number }
export interface Scenario {
  name: string;
  executor: ExecutorName;
  exec: string;
  startTimeMs: number;
  gracefulStopMs: number;
  env: Record<string, string>;
  tags: Record<string, string>;
  vus: number;
  iterations: number;
  maxDurationMs: number;
  durationMs: number;
  startVUs: number;
  stages: Stage[];
  gracefulRampDownMs: number;
  rate: number;
  startRate: number;
  timeUnitMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  poisson: boolean;
  /** gamma inter-arrival shape (engine/executors/schedule.ts); undefined: poisson or even */
  burstiness?: number;
  /** trace-replay: the trace file (absolute), its speed, and request i's offset (ms) */
  trace?: string;
  speed?: number;
  traceOffsetsMs?: number[];
  seed: number;
}
export interface ThresholdSet { key: MetricKey; specs: ThresholdSpec[] }
export interface ResolvedOptions {
  scenarios: Scenario[];
  thresholds: ThresholdSet[];
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  tags: Record<string, string>;
  summaryTrendStats: string[];
  raw: Record<string, unknown>;
}

export interface CliOverrides { vus?: number; duration?: string; iterations?: number; stages?: string[]; noThresholds?: boolean; /** trace files resolve against it (k6's open() rule) */ scriptDir?: string }

function bad(msg: string): never { throw new CliError(msg, EXIT.INVALID_CONFIG); }

function zodMessage(where: string, err: z.ZodError, valid?: string[]): string {
  const i = err.issues[0]!;
  const path = i.path.length ? `${where}.${i.path.join('.')}` : where;
  if (i.code === 'unrecognized_keys') return `unknown option ${i.keys.map((k) => `"${k}"`).join(', ')} in ${where}${valid ? `: valid options are ${valid.join(', ')}` : ''}`;
  return `invalid ${path}: ${i.message}`;
}

function d(v: string | number | undefined, what: string, def: number): number {
  if (v === undefined) return def;
  try { return parseDuration(v, what); } catch (e) { if (e instanceof DurationError) bad(e.message); throw e; }
}

function replayOf(file: string, speed: number, scriptDir: string | undefined, where: string): Pick<Scenario, 'trace' | 'speed' | 'traceOffsetsMs' | 'durationMs'> {
  const path = isAbsolute(file) ? file : resolvePath(scriptDir ?? process.cwd(), file);
  let offsets: number[];
  try { offsets = traceOffsets(path, speed); } catch (e) { if (e instanceof DatasetError) bad(`${e.message} (${where}.trace)`); throw e; }
  return { trace: path, speed, traceOffsetsMs: offsets, durationMs: offsets[offsets.length - 1]! + 1 };
}

export function parseStageFlag(s: string): { duration: string; target: number } {
  const m = /^([^:]+):(\d+)$/.exec(s.trim());
  if (!m) bad(`invalid --stage "${s}": use DURATION:TARGET, e.g. 30s:10`);
  return { duration: m[1]!, target: Number(m[2]) };
}

export function resolveOptions(input: Record<string, unknown> | undefined, cli: CliOverrides = {}): ResolvedOptions {
  const raw: Record<string, unknown> = { ...(input ?? {}) };
  // CLI shortcuts override the script the k6 way: any of them replaces `scenarios`.
  const cliShortcut = cli.vus !== undefined || cli.duration !== undefined || cli.iterations !== undefined || (cli.stages && cli.stages.length > 0);
  if (cliShortcut) {
    delete raw.scenarios;
    if (cli.vus !== undefined) raw.vus = cli.vus;
    if (cli.duration !== undefined) { raw.duration = cli.duration; delete raw.stages; }
    if (cli.iterations !== undefined) raw.iterations = cli.iterations;
    if (cli.stages && cli.stages.length) { raw.stages = cli.stages.map(parseStageFlag); delete raw.duration; }
  }
  const top = TOP_LEVEL.safeParse(raw);
  if (!top.success) bad(zodMessage('options', top.error, OPTION_NAMES));
  const o = top.data;
  // name the place a bad shortcut duration came from before it becomes a scenario field
  if (o.duration !== undefined) d(o.duration, cli.duration !== undefined ? '--duration' : 'options.duration', 0);
  (o.stages ?? []).forEach((st, i) => d(st.duration, cli.stages?.length ? `--stage ${i + 1}` : `options.stages[${i}].duration`, 0));

  let scenariosRaw: Record<string, unknown>;
  if (o.scenarios && Object.keys(o.scenarios).length) {
    scenariosRaw = o.scenarios;
  } else if (o.stages && o.stages.length) {
    scenariosRaw = { default: { executor: 'ramping-vus', startVUs: o.vus ?? 1, stages: o.stages } };
  } else if (o.iterations !== undefined) {
    scenariosRaw = { default: { executor: o.duration !== undefined ? 'shared-iterations' : 'shared-iterations', vus: o.vus ?? 1, iterations: o.iterations, ...(o.duration !== undefined ? { maxDuration: o.duration } : {}) } };
  } else if (o.duration !== undefined) {
    scenariosRaw = { default: { executor: 'constant-vus', vus: o.vus ?? 1, duration: o.duration } };
  } else {
    scenariosRaw = { default: { executor: 'per-vu-iterations', vus: o.vus ?? 1, iterations: 1 } };
  }

  const scenarios: Scenario[] = [];
  for (const [name, sraw] of Object.entries(scenariosRaw)) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) bad(`invalid scenario name "${name}": use letters, digits, _ and -`);
    const ex = (sraw as { executor?: unknown })?.executor;
    if (typeof ex !== 'string' || !(EXECUTORS as readonly string[]).includes(ex)) bad(`unknown executor ${JSON.stringify(ex)} in scenario "${name}": valid executors are ${EXECUTORS.join(', ')}`);
    const schema = scenarioSchemas[ex as ExecutorName];
    const r = schema.safeParse(sraw);
    if (!r.success) bad(zodMessage(`scenarios.${name}`, r.error, Object.keys((schema as z.AnyZodObject).shape)));
    const s = r.data as Record<string, any>;
    const where = `scenarios.${name}`;
    const stages: Stage[] = (s.stages ?? []).map((st: { duration: string | number; target: number }, i: number) => ({ durationMs: d(st.duration, `duration of ${where}.stages[${i}]`, 0), target: st.target }));
    const sc: Scenario = {
      name,
      executor: ex as ExecutorName,
      exec: s.exec ?? 'default',
      startTimeMs: d(s.startTime, `${where}.startTime`, 0),
      gracefulStopMs: d(s.gracefulStop, `${where}.gracefulStop`, 30_000),
      env: s.env ?? {},
      tags: s.tags ?? {},
      vus: s.vus ?? 1,
      iterations: s.iterations ?? 1,
      maxDurationMs: d(s.maxDuration, `${where}.maxDuration`, 600_000),
      durationMs: d(s.duration, `${where}.duration`, 0),
      startVUs: s.startVUs ?? 1,
      stages,
      gracefulRampDownMs: d(s.gracefulRampDown, `${where}.gracefulRampDown`, 30_000),
      rate: s.rate ?? 0,
      startRate: s.startRate ?? 0,
      timeUnitMs: d(s.timeUnit, `${where}.timeUnit`, 1000),
      preAllocatedVUs: s.preAllocatedVUs ?? 0,
      maxVUs: Math.max(s.maxVUs ?? 0, s.preAllocatedVUs ?? 0),
      poisson: !!s.poisson,
      ...(s.burstiness !== undefined ? { burstiness: s.burstiness } : {}),
      ...(ex === 'trace-replay' ? replayOf(s.trace, s.speed ?? 1, cli.scriptDir, where) : {}),
      seed: s.seed ?? 1,
    };
    if (ex === 'shared-iterations' && sc.iterations < sc.vus) sc.vus = sc.iterations; // k6 caps VUs at iterations
    if ((ex === 'constant-vus' || ex === 'constant-arrival-rate') && sc.durationMs <= 0) bad(`invalid ${where}.duration: must be greater than 0`);
    if (sc.timeUnitMs <= 0) bad(`invalid ${where}.timeUnit: must be greater than 0`);
    scenarios.push(sc);
  }

  const thresholds: ThresholdSet[] = [];
  if (!cli.noThresholds) {
    for (const [key, list] of Object.entries(o.thresholds ?? {})) {
      try {
        thresholds.push({ key: parseMetricKey(key), specs: parseThresholdList(list as never, (x) => parseDuration(x, `delayAbortEval of ${key}`)) });
      } catch (e) {
        if (e instanceof ThresholdError || e instanceof DurationError) bad(`${e.message} (in thresholds["${key}"])`);
        throw e;
      }
    }
  }
  return {
    scenarios,
    thresholds,
    setupTimeoutMs: d(o.setupTimeout, 'setupTimeout', 60_000),
    teardownTimeoutMs: d(o.teardownTimeout, 'teardownTimeout', 60_000),
    tags: o.tags ?? {},
    summaryTrendStats: o.summaryTrendStats ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    raw,
  };
}

/** Longest a scenario can run, from its start: schedule plus gracefulStop (for budgets, progress). */
export function scenarioSpanMs(s: Scenario): number {
  switch (s.executor) {
    case 'shared-iterations': case 'per-vu-iterations': return s.maxDurationMs + s.gracefulStopMs;
    case 'constant-vus': case 'constant-arrival-rate': case 'trace-replay': return s.durationMs + s.gracefulStopMs;
    case 'ramping-vus': return s.stages.reduce((a, st) => a + st.durationMs, 0) + Math.max(s.gracefulRampDownMs, s.gracefulStopMs);
    case 'ramping-arrival-rate': return s.stages.reduce((a, st) => a + st.durationMs, 0) + s.gracefulStopMs;
  }
}

/** Planned length of a scenario without graceful periods. */
export function scenarioPlanMs(s: Scenario): number {
  switch (s.executor) {
    case 'shared-iterations': case 'per-vu-iterations': return s.maxDurationMs;
    case 'constant-vus': case 'constant-arrival-rate': case 'trace-replay': return s.durationMs;
    case 'ramping-vus': case 'ramping-arrival-rate': return s.stages.reduce((a, st) => a + st.durationMs, 0);
  }
}

export function maxVUsOf(s: Scenario): number {
  switch (s.executor) {
    case 'shared-iterations': case 'per-vu-iterations': case 'constant-vus': return s.vus;
    case 'ramping-vus': return Math.max(s.startVUs, ...s.stages.map((x) => x.target));
    case 'constant-arrival-rate': case 'ramping-arrival-rate': case 'trace-replay': return s.maxVUs;
  }
}
