// Recovery (issue #17): the seed workload's PROFILE=spike-short (4 VUs held 4 s, a jump to 40 for
// 10 s, back for 5 s: PROFILE=spike's shape in 25 s instead of 56)
// against a simulator that serves 6 generations at once, queues the rest, and whose autoscaler
// raises the limit to 200 eight seconds after overload begins: the reported recovery time is
// the autoscale delay.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, startSimProcess, tmp } from './helpers.ts';

test('PROFILE=spike-short against an 8 s autoscale delay: recovery 8 ± 1.5 s, the worst window during the spike, in summary, text and report', async () => {
  const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', '5', '--output-tokens', '50', '--concurrency', '6', '--queue', '10000', '--autoscale-delay-ms', '8000', '--autoscale-concurrency', '200']);
  try {
    const dir = tmp('spike');
    // the spike breaks the seed's latency thresholds on purpose: judged here by the recovery alone
    const r = await runCli(['run', 'scenarios/bench.ts', '-q', '-e', 'PROFILE=spike-short', '--no-thresholds', '--results-dir', dir], { env: { BASE_URL: sim.url }, timeoutMs: 150_000 });
    assert.equal(r.code, 0, r.stderr);
    const rec = r.summary.recovery;
    process.stdout.write(`# recovery ${rec?.recovery_s} s; baseline TTFT p95 ${rec?.baseline?.ttft_p95_ms} ms over ${rec?.baseline?.requests} requests; worst ${JSON.stringify(rec?.worst_window)}\n`);
    assert.ok(rec, 'a recovery section');
    assert.deepEqual([rec.spike.baseline_load, rec.spike.peak_load], [4, 40]);
    assert.equal(rec.recovered, true);
    assert.ok(Math.abs(rec.recovery_s - 8) <= 1.5, `recovery ${rec.recovery_s} s`);
    // the baseline is the simulator's 100 ms (never less) and far from the spike's worst window
    assert.ok(rec.baseline.ttft_p95_ms >= 100 && rec.baseline.ttft_p95_ms * 3 < rec.worst_window.ttft_p95_ms, `baseline ${rec.baseline.ttft_p95_ms}, worst ${rec.worst_window.ttft_p95_ms}`);
    assert.ok(rec.worst_window.ttft_p95_ms > 500 && rec.worst_window.at_s < 8, JSON.stringify(rec.worst_window));
    // the simulator's own account: it scaled 8 s after overload began
    const st = await (await fetch(`${sim.url}/sim/stats`)).json() as { overload_since_ms: number; scaled_at_ms: number; capacity: number };
    const took = st.scaled_at_ms - st.overload_since_ms;
    assert.ok(took >= 8000 - 1 && took / 8000 < 1.02 && st.capacity === 200, JSON.stringify(st));
    assert.match(readFileSync(join(dir, 'summary.txt'), 'utf8'), /█ RECOVERY[\s\S]*✓ recovered [\d.]+ s after the spike began/);
    assert.match(readFileSync(join(dir, 'report.html'), 'utf8'), /Recovery after spike/);
  } finally { await sim.stop(); }
});
