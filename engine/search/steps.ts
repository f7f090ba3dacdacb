// The search for the highest load that keeps every SLO, as pure decisions (unit-tested):
// an exponential probe from --min (×2 per step) brackets the boundary, bisection narrows it to
// --precision, and the highest passing load is run once more to confirm it. A step whose
// generator was the bottleneck decides nothing and is repeated once.

export interface StepResult { load: number; pass: boolean; inconclusive?: boolean }

export interface SearchState {
  min: number; max: number; precision: number; integer: boolean; maxSteps: number;
  steps: StepResult[];
  confirmed: boolean | null;
}

export type Decision = { kind: 'run'; load: number; why: 'probe' | 'bisect' | 'confirm' | 'repeat' } | { kind: 'done'; feasibleMax: number | null; infeasibleMin: number | null; reason: string };

function bounds(s: SearchState): { lo: number | null; hi: number | null } {
  const passes = s.steps.filter((x) => !x.inconclusive && x.pass).map((x) => x.load);
  const fails = s.steps.filter((x) => !x.inconclusive && !x.pass).map((x) => x.load);
  const hi = fails.length ? Math.min(...fails) : null;
  // a pass above a failure does not count (noise): the feasible side is below every failure
  const lo = passes.filter((p) => hi === null || p < hi);
  return { lo: lo.length ? Math.max(...lo) : null, hi };
}

export function nextStep(s: SearchState): Decision {
  const last = s.steps[s.steps.length - 1];
  const { lo, hi } = bounds(s);
  const done = (reason: string): Decision => ({ kind: 'done', feasibleMax: lo, infeasibleMin: hi, reason });
  if (last?.inconclusive) {
    const before = s.steps[s.steps.length - 2];
    if (before?.inconclusive && before.load === last.load) return done(`the generator was the bottleneck twice at ${last.load}: the search cannot tell the target's limit (use more cores, fewer workers' load, or shards)`);
    return { kind: 'run', load: last.load, why: 'repeat' };
  }
  if (s.steps.length >= s.maxSteps) return done(`stopped after ${s.maxSteps} steps (--max-steps)`);
  if (!s.steps.length) return { kind: 'run', load: s.min, why: 'probe' };
  if (lo === null) return done(`even --min ${s.min} misses an SLO`);
  if (hi === null) {
    if (lo >= s.max) return done(`every SLO holds up to --max ${s.max}`);
    return { kind: 'run', load: round(Math.min(s.max, lo * 2), s.integer), why: 'probe' };
  }
  if ((hi - lo) / lo > s.precision) {
    const mid = round((lo + hi) / 2, s.integer);
    if (mid > lo && mid < hi) return { kind: 'run', load: mid, why: 'bisect' };
  }
  if (s.confirmed === null) return { kind: 'run', load: lo, why: 'confirm' };
  return done(s.confirmed ? `the boundary lies between ${lo} and ${hi} (within ${Math.round(s.precision * 100)} %), ${lo} confirmed by a repeat` : 'the repeat of the highest passing load failed');
}

/** records a step; a confirmation that fails turns the load into a failure, and the search
 *  goes on below it */
export function record(s: SearchState, d: Extract<Decision, { kind: 'run' }>, r: StepResult): void {
  s.steps.push(r);
  if (d.why === 'confirm' && !r.inconclusive) s.confirmed = r.pass ? true : null;
}

function round(x: number, integer: boolean): number { return integer ? Math.round(x) : Math.round(x * 100) / 100; }
