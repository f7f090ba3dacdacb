import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextStep, record, type SearchState } from './steps.ts';

function search(capacity: number, o: Partial<SearchState> = {}, flaky?: (load: number, k: number) => boolean | 'gen') {
  const s: SearchState = { min: 1, max: 1000, precision: 0.05, integer: false, maxSteps: 30, steps: [], confirmed: null, ...o };
  for (let k = 0; ; k++) {
    const d = nextStep(s);
    if (d.kind === 'done') return { d, s };
    const f = flaky?.(d.load, k);
    record(s, d, f === 'gen' ? { load: d.load, pass: false, inconclusive: true } : { load: d.load, pass: f ?? d.load <= capacity });
  }
}

test('probe ×2, bisect to the precision, confirm: the boundary within 5 % in a bounded number of steps', () => {
  const { d, s } = search(27.6, { min: 4 });
  assert.equal(d.kind, 'done');
  if (d.kind !== 'done') return;
  assert.ok(d.feasibleMax! <= 27.6 && d.infeasibleMin! > 27.6 && (d.infeasibleMin! - d.feasibleMax!) / d.feasibleMax! <= 0.05, JSON.stringify(d));
  assert.deepEqual(s.steps.slice(0, 4).map((x) => x.load), [4, 8, 16, 32]);
  assert.ok(s.steps.length <= 10, `${s.steps.length} steps`);
  assert.equal(s.confirmed, true);
  assert.equal(s.steps[s.steps.length - 1]!.load, d.feasibleMax);
});

test('edges: infeasible at --min, feasible at --max, integer VUs, a failed confirmation, a generator bottleneck', () => {
  assert.match((search(0.5).d as { reason: string }).reason, /even --min 1 misses an SLO/);
  const top = search(5000, { max: 100 });
  assert.equal((top.d as { feasibleMax: number }).feasibleMax, 100);
  const vus = search(37, { integer: true, min: 2 });
  assert.ok(vus.s.steps.every((x) => Number.isInteger(x.load)));
  // the first confirmation fails (noise): that load becomes a failure, the search goes on
  // below it, and the boundary it reports is one that passed its own repeat
  const seen = new Set<number>();
  let flipped: number | null = null;
  const c = search(27.6, { min: 4 }, (load) => { const again = seen.has(load); seen.add(load); if (again && flipped === null && load <= 27.6) { flipped = load; return false; } return load <= 27.6; });
  assert.ok(flipped !== null);
  const cd = c.d as { feasibleMax: number; infeasibleMin: number };
  assert.ok(cd.feasibleMax < flipped! && cd.infeasibleMin <= flipped!, JSON.stringify(cd));
  assert.equal(c.s.confirmed, true);
  const g = search(27.6, { min: 4 }, (load, k) => (k === 2 ? 'gen' : load <= 27.6));
  assert.equal(g.s.steps[2]!.inconclusive, true);
  assert.equal(g.s.steps[3]!.load, g.s.steps[2]!.load, 'the inconclusive step is repeated');
  const gg = search(27.6, { min: 4 }, () => 'gen');
  assert.match((gg.d as { reason: string }).reason, /generator was the bottleneck twice/);
});
