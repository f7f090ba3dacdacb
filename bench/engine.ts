// Engine benchmarks (issue #3): empty-iteration throughput and schedule lag of
// constant-arrival-rate on one worker; memory per idle VU; cost of one Trend sample.
import { runMeasured, fmt } from './lib.ts';
import { Collector } from '../engine/metrics/collector.ts';

export async function engineBench(): Promise<string[]> {
  const rows: string[] = [];
  rows.push('| rate (it/s, 1 worker) | achieved it/s | dropped | start lag p99 | CPU (ms per s of run) | CPU µs per iteration |', '|---:|---:|---:|---:|---:|---:|');
  for (const rate of [1000, 5000, 20000, 40000, 80000]) {
    const r = await runMeasured(['run', 'bench/scenarios/empty-arrival.ts', '--workers', '1'], { RATE: String(rate), DURATION: '10s', VUS: '5000' });
    const it = r.summary.metrics.iterations.values.count;
    const dropped = r.summary.metrics.dropped_iterations?.values.count ?? 0;
    const runS = r.summary.state.testRunDurationMs / 1000;
    const lag = r.summary.metrics.iteration_start_lag.values['p(99)'];
    rows.push(`| ${rate} | ${fmt(it / runS, 0)} | ${dropped} | ${fmt(lag, 2)} ms | ${fmt(r.cpuMs / runS, 0)} | ${fmt((r.cpuMs * 1000) / it, 2)} |`);
  }
  // memory per idle VU: RSS with 20,000 sleeping VUs minus RSS with 1,000, per VU
  const small = await runMeasured(['run', 'bench/scenarios/idle-vus.ts', '--workers', '1'], { VUS: '1000' });
  const big = await runMeasured(['run', 'bench/scenarios/idle-vus.ts', '--workers', '1'], { VUS: '20000' });
  const perVu = ((big.peakRssKb - small.peakRssKb) * 1024) / 19000;
  rows.push('', `Memory per idle VU (RSS at 20,000 sleeping VUs minus RSS at 1,000, per VU, one worker): **${fmt(perVu / 1024, 2)} KB** (${small.peakRssKb} KB → ${big.peakRssKb} KB).`);
  // one Trend sample: tagged add into the per-thread collector (the hot path)
  const c = new Collector();
  c.declare({ name: 'llm_ttft', type: 'trend', contains: 'time' });
  const tags = { scenario: 'default', provider: 'sim', model: 'gpt-4.1', stream: 'true', status: '200' };
  const N = 5_000_000;
  for (let i = 0; i < 200_000; i++) c.add('llm_ttft', 50 + (i % 1000), tags);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) c.add('llm_ttft', 50 + (i % 1000), tags);
  const ns = Number(process.hrtime.bigint() - t0) / N;
  rows.push('', `One Trend sample (\`Collector.add\` with a 5-tag set, series lookup included), mean of 5 M: **${fmt(ns, 1)} ns**.`);
  return rows;
}
