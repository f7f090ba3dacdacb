// Whole process, as a user measures (issue #16): `llmload run` on the closed loop — VUS streams
// each requesting one chat completion after another from a simulator that sends 100 tokens
// 10 ms apart after a 100 ms first token — timed by the shell (bash's `times`: user + system
// CPU of the finished process, every thread), at 1, 2 and 4 worker threads. CPU per streamed
// event = that CPU ÷ output tokens received; TTFT error per request = the client's TTFT minus
// the simulator's own (first token written − request arrived), joined on the request id.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, CLI, startSimProcess, quantile } from '../test/helpers.ts';
import { fmt } from './lib.ts';

export async function wholeBench(streams = Number(process.env.WHOLE_STREAMS ?? 100), seconds = Number(process.env.WHOLE_SECONDS ?? 20)): Promise<string[]> {
  const rows = ['| streams | workers | requests | events | CPU (user+sys) | µs CPU / event | TTFT error p50 / p99 (per request vs simulator) | timing-error bound | verdict |', '|---:|---:|---:|---:|---:|---:|---:|---:|---|'];
  for (const workers of [1, 2, 4]) {
    const dir = mkdtempSync(join(tmpdir(), 'llmload-whole-'));
    const gt = join(dir, 'gt.jsonl');
    const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '100', '--ground-truth', gt]);
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} run test/scenarios/closed-loop.ts -q --no-summary --workers ${workers} --results-dir ${dir}/r -e VUS=${streams} -e DURATION=${seconds}s -e BASE_URL=${sim.url} --no-typecheck; times`;
    const out = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8' });
    await sim.stop();
    // `times`: the shell's own line, then its children's "XmY.YYYs XmY.YYYs"
    const t = out.stdout.trim().split('\n').pop()!.match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/)!;
    const cpuS = Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4]);
    const s = JSON.parse(readFileSync(join(dir, 'r', 'summary.json'), 'utf8'));
    const events = s.metrics.llm_output_tokens.values.count;
    const truth = new Map<string, { arrival_ms: number; first_token_ms: number }>(readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g) => [g.id, g]));
    const errs: number[] = [];
    for (const l of gunzipSync(readFileSync(join(dir, 'r', 'requests.ndjson.gz'))).toString('utf8').trim().split('\n')) {
      const r = JSON.parse(l);
      const g = truth.get(r.req_id);
      if (g && r.ttft_ms !== null && g.first_token_ms) errs.push(r.ttft_ms - (g.first_token_ms - g.arrival_ms));
    }
    rows.push(`| ${streams} | ${workers} | ${s.llm.totals.requests} | ${events} | ${fmt(cpuS, 2)} s | ${fmt((cpuS / events) * 1e6, 1)} | ${fmt(quantile(errs, 0.5), 2)} / ${fmt(quantile(errs, 0.99), 2)} ms | ${s.generator.timing_error_p99_ms} ms | ${s.generator.verdict.split(':')[0]} |`);
  }
  rows.push('', `Command: \`make perf ONLY=whole\` (WHOLE_STREAMS, WHOLE_SECONDS to change): the CLI on test/scenarios/closed-loop.ts for ${seconds} s plus start-up and teardown, the simulator on the same cores in its own process. Targets (issue #16): ≤ 17 µs per event; 4 workers ≤ 1.2 × the 1-worker figure; TTFT error p99 ≤ 2 ms at 100 streams.`);
  return rows;
}
