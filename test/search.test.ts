// Capacity (issue #17): the simulator set to a known capacity — 8 concurrent generations, each
// 100 ms to the first token and 19 more tokens 10 ms apart (290 ms), queueing beyond — serves at
// most 8 / 0.29 s = 27.6 requests/s with TTFT at its floor; above that the queue grows and TTFT
// with it. `llmload search` must find that rate for a TTFT SLO within 10 %, in a bounded number
// of steps that search.json lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp } from './helpers.ts';

test('llmload search finds the simulator\'s capacity for a TTFT SLO within 10 %, and records every step', async () => {
  const C = 8, TTFT = 100, ITL = 10, TOKENS = 20;
  const truth = C / ((TTFT + (TOKENS - 1) * ITL) / 1000);
  const sim = await startSimProcess(['--ttft-ms', String(TTFT), '--itl-ms', String(ITL), '--output-tokens', String(TOKENS), '--concurrency', String(C), '--queue', '100000']);
  try {
    const dir = tmp('search');
    const r = await runCli(['search', 'test/scenarios/compare.ts', '--slo', 'llm_ttft:p(95)<150', '--slo', 'llm_errors:rate<0.01', '--min', '4', '--max', '200', '--step', '4s', '--precision', '5%', '-e', `BASE_URL=${sim.url}`, '--results-dir', dir], { timeoutMs: 240_000, summary: false });
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(readFileSync(join(dir, 'search.json'), 'utf8'));
    assert.ok(Math.abs(s.feasible_max - truth) / truth <= 0.1, `found ${s.feasible_max} it/s, capacity ${truth.toFixed(1)}`);
    assert.ok(s.infeasible_min > s.feasible_max && (s.infeasible_min - s.feasible_max) / s.feasible_max <= 0.05 + 1e-9);
    assert.equal(s.confirmed, true);
    assert.ok(s.steps.length >= 5 && s.steps.length <= 12, `${s.steps.length} steps`);
    // the probe doubles from --min, then bisection, then the confirmation
    assert.deepEqual(s.steps.slice(0, 3).map((x: any) => [x.load, x.why]), [[4, 'probe'], [8, 'probe'], [16, 'probe']]);
    assert.equal(s.steps[s.steps.length - 1].why, 'confirm');
    for (const st of s.steps) {
      assert.equal(typeof st.achieved_rps, 'number');
      assert.ok('llm_ttft:p(95)<150' in st.slos && 'llm_errors:rate<0.01' in st.slos);
      // every passing step kept TTFT at the floor; every failing one was over the SLO
      if (st.pass) assert.ok(st.slos['llm_ttft:p(95)<150'].value < 150);
      else assert.ok(st.slos['llm_ttft:p(95)<150'].value >= 150 || st.slos['llm_errors:rate<0.01'].value >= 0.01);
    }
    // a clearly saturated step stops early
    assert.ok(s.steps.some((x: any) => !x.pass && x.early_stop), 'an early stop');
    const html = readFileSync(join(dir, 'search.html'), 'utf8');
    assert.match(html, /Highest load meeting every SLO: [\d.]+ iterations\/s/);
    assert.match(html, /<svg[^>]*aria-label="llm_ttft:p\(95\)&lt;150 against load"/);
    assert.match(r.stdout, new RegExp(`highest load meeting every SLO: ${s.feasible_max} iterations/s`));
    assert.ok(!readdirSync('test/scenarios').some((f) => f.startsWith('.llmload-search-')), 'the wrapper is removed');
    const bad = await runCli(['search', 'test/scenarios/compare.ts', '--slo', 'llm_ttft<150'], { summary: false });
    assert.equal(bad.code, 104);
    assert.match(bad.stderr, /invalid --slo "llm_ttft<150": use METRIC:THRESHOLD/);
  } finally { await sim.stop(); }
});
