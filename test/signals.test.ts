// Signals against a run with LLM streams in flight (issue #18, docs/FAULTS.md): SIGINT and
// SIGTERM end in-flight requests as `aborted` (not errors of the target), write the summary,
// the report and the outputs, leave no simulator child behind, and exit 105. Also a signal
// during setup() and during teardown().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, onMarker, tmp } from './helpers.ts';

// the fast profile: no injected errors, so every error would be ours
const LONG = { SIM_PROFILE: 'fast', SIM_ARGS: '--ttft-ms 50 --itl-ms 50 --output-tokens 200' };

/** the built-in simulator's pid(s) among a process's children */
function simChildren(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').filter((l) => / sim --port /.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
  } catch { return []; }
}
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} with LLM streams in flight: aborted (not errors), everything written, no orphan simulator, exit 105`, async () => {
    const dir = tmp('sig');
    let kids: number[] = [];
    const json = join(dir, 'points.json');
    const r = await runCli(['run', 'test/scenarios/long-streams.ts', '--results-dir', dir, '--out', `json=${json}`, '-q'], {
      env: LONG, timeoutMs: 60_000,
      onSpawn: (p: ChildProcess) => {
        // streams of ~10 s are in flight half a second after the first one was sent
        onMarker(p, 'MARK iterating', () => setTimeout(() => { kids = simChildren(p.pid!); p.kill(sig); }, 500));
      },
    });
    assert.equal(r.code, 105, r.stderr);
    assert.ok(kids.length >= 1, 'the built-in simulator ran as a child');
    for (const k of kids) assert.ok(!alive(k), `simulator ${k} still running after the run exited`);
    for (const f of ['summary.json', 'summary.txt', 'report.html']) assert.ok(existsSync(join(dir, f)), f);
    assert.ok(readFileSync(json, 'utf8').includes('"llm_aborted"'), 'the json output was flushed to the end');
    const s = r.summary;
    assert.equal(s.state.aborted, true);
    assert.match(s.state.abortReason, new RegExp(`stopped by ${sig}`));
    assert.ok(s.metrics.llm_aborted?.values.count >= 1, 'in-flight requests ended as aborted');
    assert.equal(s.llm.totals.errors_by_kind.aborted, undefined, 'aborted is not an error of the target');
    assert.equal(s.metrics.llm_errors?.values.rate ?? 0, 0, JSON.stringify(s.llm.totals.errors_by_kind));
  });
}

test('SIGINT during setup(): no iteration starts, the summary is written, exit 105', async () => {
  const dir = tmp('sig');
  let sigAt = 0;
  const r = await runCli(['run', 'test/scenarios/long-streams.ts', '--results-dir', dir, '-e', 'SETUP_S=20'], {
    env: LONG, timeoutMs: 60_000, onSpawn: (p) => onMarker(p, 'MARK setup', () => { sigAt = Date.now(); p.kill('SIGINT'); }),
  });
  const after = Date.now() - sigAt;
  assert.equal(r.code, 105, r.stderr);
  assert.match(r.stderr, /setup\(\) interrupted by a signal/);
  assert.ok(r.stderr.split('\n').filter((l) => l.startsWith('WARN setup')).length === 1);
  assert.equal(r.summary.metrics.iterations?.values.count ?? 0, 0);
  assert.ok(after < 10_000, `ended ${after} ms after the signal (setup sleeps 20 s)`);
  assert.ok(existsSync(join(dir, 'summary.json')));
});

test('SIGINT during teardown(): the summary is still written, exit 105', async () => {
  const dir = tmp('sig');
  let sigAt = 0;
  const r = await runCli(['run', 'test/scenarios/long-streams.ts', '--results-dir', dir, '-e', 'TEARDOWN_S=20', '-d', '1s', '-u', '1'], {
    env: { SIM_PROFILE: 'fast', SIM_ARGS: '--ttft-ms 20 --itl-ms 2 --output-tokens 10' }, timeoutMs: 60_000, onSpawn: (p) => onMarker(p, 'MARK teardown', () => { sigAt = Date.now(); p.kill('SIGINT'); }),
  });
  const after = Date.now() - sigAt;
  assert.equal(r.code, 105, r.stderr);
  assert.match(r.stderr, /teardown\(\) interrupted by SIGINT/);
  assert.ok(r.summary.metrics.iterations.values.count > 0);
  assert.ok(after < 10_000, `ended ${after} ms after the signal (teardown sleeps 20 s)`);
  assert.ok(existsSync(join(dir, 'report.html')));
});

test('iterations that return at once (nothing awaited) still let a SIGINT in: the run stops in seconds', async () => {
  const f = tmp('instant.ts');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(f, `import { Counter } from 'llmload/metrics';\nconst n = new Counter('spins');\nexport const options = { scenarios: { s: { executor: 'constant-vus', vus: 2, duration: '60s' } } };\nexport default async function () { n.add(1); }\n`);
  const r = await runCli(['run', f, '-q'], { timeoutMs: 90_000, onSpawn: (p) => { setTimeout(() => p.kill('SIGINT'), 2500); } });
  assert.equal(r.code, 105, r.stderr);
  assert.ok(r.ms < 10_000, `took ${r.ms} ms of a 60 s run`);
  assert.ok(r.summary.metrics.spins.values.count > 100);
});
