// k6 mode's cost (issue #20): a thread per VU blocks on the bridge; what does a VU cost in
// memory and CPU, and how many does one machine hold? The same closed-loop load (stream one
// completion, think 1 s) in k6 mode and in the native async mode, whole process, against the
// built-in simulator (fast profile: 100 ms TTFT, 10 ms ITL, 50 tokens) in its own process.
import { runMeasured, fmt } from './lib.ts';

export async function k6Bench(): Promise<string[]> {
  const rows = ['| mode | VUs | peak RSS (MB) | RSS per VU (MB, marginal) | requests | CPU per request (ms) | TTFT p50 / p99 (ms) | generator |', '|---|---|---|---|---|---|---|---|'];
  const seconds = Number(process.env.K6_BENCH_SECONDS ?? 10);
  for (const mode of ['k6', 'native'] as const) {
    let prev: { vus: number; rss: number } | null = null;
    for (const vus of [20, 100, 200]) {
      const script = mode === 'k6' ? 'bench/scenarios/k6-vu.js' : 'bench/scenarios/native-vu.ts';
      const args = ['run', script, '-u', String(vus), '-d', `${seconds}s`, ...(mode === 'k6' ? ['--redirect', 'https://api.bench.invalid/v1=sim'] : [])];
      const r = await runMeasured(args, { SIM_PROFILE: 'fast' });
      const m = r.summary?.metrics ?? {};
      const reqs = m.llm_requests?.values?.count ?? 0;
      const rssMb = r.peakRssKb / 1024;
      const marginal = prev ? (rssMb - prev.rss) / (vus - prev.vus) : NaN;
      prev = { vus, rss: rssMb };
      const ttft = m.llm_ttft?.values;
      rows.push(`| ${mode} | ${vus} | ${fmt(rssMb, 0)} | ${prev && Number.isFinite(marginal) ? fmt(marginal, 2) : '–'} | ${reqs} | ${reqs ? fmt(r.cpuMs / reqs, 2) : '–'} | ${ttft ? `${fmt(ttft.med, 1)} / ${fmt(ttft['p(99)'], 1)}` : '–'} | ${(r.summary?.generator?.verdict ?? '?').split(':')[0]} |`);
    }
  }
  return rows;
}
