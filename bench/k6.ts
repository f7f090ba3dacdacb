// k6 scripts at scale (issues #20, #31): what a k6-mode VU costs in memory, start-up CPU and
// timing accuracy, on the seed article's shape (bench/scenarios/k6-article.js: stream one
// completion, think 0.5–2.5 s), whole process, against the simulator in its own process (100 ms
// TTFT, 10 ms ITL, 50 tokens) writing its ground truth. Three VU models: k6 scripts with VUs
// sharing threads (the rewrite, engine/k6/async/), the same script with a thread per VU
// (--compat k6-threads), and a native scenario of the same shape for reference.
// Each configuration runs twice, for S and 3·S seconds: the difference is the steady-state cost
// per request (start-up — bundling, the type check, initializing VUs — is the same in both and
// cancels); the short run's remainder is the start-up cost. Marginal figures per VU are the
// differences between levels. TTFT error: the client's TTFT minus the simulator's own (first
// token written − request arrived), joined per request on its id (docs/METRICS.md).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimProcess, quantile } from '../test/helpers.ts';
import { runMeasured, fmt } from './lib.ts';
import { ttftErrors } from './whole.ts';

type Mode = 'k6' | 'k6-threads' | 'native';
const LEVELS: Record<Mode, number[]> = { k6: [100, 200, 1000], 'k6-threads': [100, 200], native: [100, 200, 1000] };

// the native scenario of the same shape, written next to the others at run time
const NATIVE = `import { check, sleep } from 'llmload';
import { chat } from 'llmload/llm';
export default async function () {
  const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Explain Kubernetes' }], max_tokens: 50, stream: true });
  check(r, { 'status 200': (x) => x.status === 200 });
  await sleep(0.5 + Math.random() * 2);
}
`;

export async function k6Bench(): Promise<string[]> {
  const rows = ['| VU model | VUs | peak RSS (MB) | RSS per VU (MB, marginal) | start-up CPU (s) | start-up per VU (ms, marginal) | requests (S / 3S) | CPU per request (ms) | TTFT p50 / p99 (ms) | TTFT error p50 / p99 (ms, per request) | timing-error bound | verdict | Node warnings |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|'];
  const S = Number(process.env.K6_BENCH_SECONDS ?? 8);
  const RAMP = Math.min(3, S / 2);
  const only = (process.env.K6_BENCH_MODES ?? 'k6,k6-threads,native').split(',') as Mode[];
  const dir = mkdtempSync(join(tmpdir(), 'llmload-k6bench-'));
  const native = join(dir, 'native-article.ts');
  writeFileSync(native, NATIVE);
  for (const mode of only) {
    let prev: { vus: number; rss: number; startup: number } | null = null;
    for (const vus of LEVELS[mode]) {
      const gt = join(dir, `gt-${mode}-${vus}.jsonl`);
      const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '50', '--ground-truth', gt]);
      try {
        const out = (s: number) => join(dir, `${mode}-${vus}-${s}`);
        // the article's shape ramps its users up (its stages); so does each run here: to the
        // level over RAMP s, then held, so the S and 3·S runs differ by the held part only
        const load = (s: number) => ['-s', `${RAMP}s:${vus}`, '-s', `${s - RAMP}s:${vus}`];
        const args = (s: number) => mode === 'native'
          ? ['run', native, ...load(s), '-e', `BASE_URL=${sim.url}`, '--results-dir', out(s)]
          : ['run', 'bench/scenarios/k6-article.js', ...load(s), '--redirect', `https://api.bench.invalid/v1=${sim.url}`, '--compat', mode, '--results-dir', out(s)];
        const short = await runMeasured(args(S));
        const long = await runMeasured(args(3 * S));
        await new Promise((r) => setTimeout(r, 300)); // the simulator's last ground-truth lines
        const reqs = (r: typeof short) => r.summary?.metrics?.llm_requests?.values?.count ?? 0;
        const steady = (long.cpuMs - short.cpuMs) / Math.max(1, reqs(long) - reqs(short));
        const startup = (short.cpuMs - steady * reqs(short)) / 1000;
        const rssMb = long.peakRssKb / 1024;
        const marginal = prev ? (rssMb - prev.rss) / (vus - prev.vus) : NaN;
        const startPerVu = prev ? ((startup - prev.startup) * 1000) / (vus - prev.vus) : NaN;
        prev = { vus, rss: rssMb, startup };
        const ttft = long.summary?.metrics?.llm_ttft?.values;
        const err = ttftErrors(out(3 * S), gt).map((j) => j.err);
        const g = long.summary?.generator;
        const warnings = (long.stderr.match(/Warning|\(node:\d+\)/g) ?? []).length + (short.stderr.match(/Warning|\(node:\d+\)/g) ?? []).length;
        const model = mode === 'k6' ? `k6, ${long.summary?.run?.k6_vus ?? '?'}` : mode;
        rows.push(`| ${model} | ${vus} | ${fmt(rssMb, 0)} | ${Number.isFinite(marginal) ? fmt(marginal, 2) : '–'} | ${fmt(startup, 1)} | ${Number.isFinite(startPerVu) ? fmt(startPerVu, 1) : '–'} | ${reqs(short)} / ${reqs(long)} | ${fmt(steady, 2)} | ${ttft ? `${fmt(ttft.med, 1)} / ${fmt(ttft['p(99)'], 1)}` : '–'} | ${err.length ? `${fmt(quantile(err, 0.5), 2)} / ${fmt(quantile(err, 0.99), 2)} (${err.length})` : '–'} | ${g ? `${g.timing_error_p99_ms} ms` : '?'} | ${(g?.verdict ?? '?').split(':')[0]} | ${warnings} |`);
      } finally { await sim.stop(); }
    }
  }
  rows.push('', `Command: \`make perf ONLY=k6\` (K6_BENCH_SECONDS=${S}, K6_BENCH_MODES to choose): each row is \`llmload run\` for ${S} s and ${3 * S} s (the VUs ramped up over the first ${RAMP} s, as the article's stages ramp them, then held) plus start-up and teardown; RSS and CPU of the llmload process from /proc (the simulator is a separate process on the same 2 cores). "k6, shared": the script as written, VUs sharing worker threads; "k6-threads": \`--compat k6-threads\`, a thread per VU (1,000 of them would need ~10 GB); "native": the same shape written with \`await chat()\`. Targets (issue #31), at 200 VUs: healthy verdict, ≤ 2.5 MB and ≤ 10 ms start-up CPU per VU, TTFT error p99 ≤ 10 ms; no Node warning.`);
  return rows;
}
