// The seed workload at the stress profile (200 VUs) against the simulator (issues #6, #7):
// the generator's own CPU and health verdict, and the cost of the InfluxDB output.
import { runMeasured, fmt } from './lib.ts';
import { startInflux } from '../test/influx.ts';
import { toLines } from '../engine/outputs/influxdb/line-protocol.ts';
import { gzipSync } from 'node:zlib';
import { Sketch } from '../lib/stats/sketch.ts';

export async function stressBench(durationS = 60): Promise<string[]> {
  const rows: string[] = [];
  const env = { PROFILE: 'stress', DURATION: `${durationS}s` };
  const off = await runMeasured(['run', 'scenarios/bench.ts'], env);
  const influx = await startInflux();
  const on = await runMeasured(['run', 'scenarios/bench.ts', '--out', `influxdb=${influx.url}/llmload`], env);
  await influx.stop();
  const pct = (r: typeof off) => (r.cpuMs / r.summary.state.testRunDurationMs) * 100;
  const g = off.summary.generator;
  rows.push('| run | requests | generator CPU (% of one core, whole run) | verdict | event-loop lag p99 | points written |', '|---|---:|---:|---|---:|---:|');
  rows.push(`| stress, 200 VUs, ${durationS + 10} s, no output | ${off.summary.llm.totals.requests} | ${fmt(pct(off))} % | ${g.verdict} | ${g.event_loop_lag_p99_ms} ms | – |`);
  rows.push(`| same, --out influxdb | ${on.summary.llm.totals.requests} | ${fmt(pct(on))} % | ${on.summary.generator.verdict} | ${on.summary.generator.event_loop_lag_p99_ms} ms | ${on.summary.outputs.influxdb.written} |`);
  const extra = pct(on) - pct(off);
  rows.push('', `InfluxDB output overhead: **${fmt(extra, 2)} percentage points of one core** (${fmt((extra / pct(off)) * 100, 1)} % of the generator's own CPU). Generator CPU is the llmload process's utime + stime from /proc over the run (the simulator is a separate process).`);
  // CPU per 1,000 points: line protocol + gzip, in this process
  const sk = new Sketch();
  for (let i = 0; i < 200; i++) sk.add(50 + i);
  const series = Array.from({ length: 1000 }, (_, i) => ({ name: 'llm_ttft', tags: { provider: 'sim', model: `m${i % 4}`, status: '200', scenario: 'bench', stream: 'true' }, agg: { t: 'trend' as const, sk: sk.toJSON() } }));
  const t0 = process.cpuUsage();
  for (let k = 0; k < 50; k++) gzipSync(toLines(series, Date.now(), { testid: 'x' }).join('\n'));
  const c = process.cpuUsage(t0);
  const perPointMs = (c.user + c.system) / 50 / 1000 / 1000;
  rows.push('', `CPU per 1,000 trend points (line protocol with 8 fields + gzip): **${fmt(perPointMs * 1000, 2)} ms**. Direct estimate of the output's cost at this load: ${fmt(on.summary.outputs.influxdb.written / on.summary.state.testRunDurationMs * 1000, 0)} points/s × that = **${fmt((on.summary.outputs.influxdb.written / on.summary.state.testRunDurationMs) * perPointMs * 100, 2)} percentage points of one core** (the on/off difference above also carries run-to-run noise of about a point).`);
  return rows;
}
