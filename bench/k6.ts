// k6 mode's cost (issue #20): a thread per VU blocks on the bridge; what does a VU cost in
// memory and CPU, and how many does one machine hold? The same closed-loop load (stream one
// completion, think 1 s) in k6 mode and in the native async mode, whole process, against the
// built-in simulator (fast profile: 100 ms TTFT, 10 ms ITL, 50 tokens) in its own process.
// Each configuration runs twice, for S and 3·S seconds: the difference is the steady-state cost
// per request (start-up — bundling, the type check, starting and initializing VU threads —
// is the same in both and cancels); the short run's remainder is the start-up cost.
import { runMeasured, fmt } from './lib.ts';

export async function k6Bench(): Promise<string[]> {
  const rows = ['| mode | VUs | peak RSS (MB) | RSS per VU (MB, marginal) | requests (S / 3S) | CPU per request, steady (ms) | start-up CPU (s) | TTFT p50 / p99 (ms, 3S) | generator (3S) |', '|---|---|---|---|---|---|---|---|---|'];
  const S = Number(process.env.K6_BENCH_SECONDS ?? 5);
  for (const mode of ['k6', 'native'] as const) {
    let prev: { vus: number; rss: number } | null = null;
    for (const vus of [20, 100, 200]) {
      const script = mode === 'k6' ? 'bench/scenarios/k6-vu.js' : 'bench/scenarios/native-vu.ts';
      const run = (s: number) => runMeasured(['run', script, '-u', String(vus), '-d', `${s}s`, ...(mode === 'k6' ? ['--redirect', 'https://api.bench.invalid/v1=sim'] : [])], { SIM_PROFILE: 'fast' });
      const short = await run(S);
      const long = await run(3 * S);
      const reqs = (r: typeof short) => r.summary?.metrics?.llm_requests?.values?.count ?? 0;
      const steady = (long.cpuMs - short.cpuMs) / Math.max(1, reqs(long) - reqs(short));
      const startup = (short.cpuMs - steady * reqs(short)) / 1000;
      const rssMb = long.peakRssKb / 1024;
      const marginal = prev ? (rssMb - prev.rss) / (vus - prev.vus) : NaN;
      prev = { vus, rss: rssMb };
      const ttft = long.summary?.metrics?.llm_ttft?.values;
      rows.push(`| ${mode} | ${vus} | ${fmt(rssMb, 0)} | ${Number.isFinite(marginal) ? fmt(marginal, 2) : '–'} | ${reqs(short)} / ${reqs(long)} | ${fmt(steady, 2)} | ${fmt(startup, 1)} | ${ttft ? `${fmt(ttft.med, 1)} / ${fmt(ttft['p(99)'], 1)}` : '–'} | ${(long.summary?.generator?.verdict ?? '?').split(':')[0]} |`);
    }
  }
  return rows;
}
