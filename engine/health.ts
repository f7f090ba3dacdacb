// Generator health: is llmload itself the bottleneck? Judged from the load generator's own
// event-loop lag, CPU and the lag between planned and actual iteration starts
// (thresholds in docs/METRICS.md, "Generator health").
import type { MetricStore } from './metrics/store.ts';
import { MN } from '../lib/metric-names.ts';
import { Sketch } from '../lib/stats/sketch.ts';

export interface HealthVerdict { ok: boolean; verdict: string; reasons: string[]; timing_error_p99_ms: number; timing_error_limit_ms: number; cpu_percent_avg: number; cpu_percent_max: number; event_loop_lag_p99_ms: number; start_lag_p99_ms: number | null; dropped_iterations: number; cores: number }

export const LIMITS = { eventLoopLagMs: 50, startLagMs: 25, cpuPercentOfCores: 85, timingErrorMs: 5 };

export function judgeHealth(store: MetricStore, cores: number, workers: number, timingErrorLimitMs: number = LIMITS.timingErrorMs): HealthVerdict {
  const cpu: number[] = [];
  for (const d of store.allDigests()) if (d.cpu !== null) cpu.push(d.cpu);
  const lag = store.aggregate(MN.generatorEventLoopLag);
  const start = store.aggregate(MN.iterationStartLag);
  const dropped = store.aggregate(MN.droppedIterations)?.sum ?? 0;
  const cpuAvg = cpu.length ? cpu.reduce((a, b) => a + b, 0) / cpu.length : 0;
  const cpuMax = cpu.length ? Math.max(...cpu) : 0;
  const lagP99 = lag?.sk?.count ? lag.sk.quantile(0.99) : 0;
  const startP99 = start?.sk?.count ? start.sk.quantile(0.99) : null;
  // the timing-error bound: p99 over every timestamp-taking thread's seconds of max(event-loop
  // delay p99, longest GC pause) — how late a callback that read a token could have run
  const te = store.aggregate(MN.generatorTimingError);
  const teP99 = te?.sk?.count ? te.sk.quantile(0.99) : 0;
  const reasons: string[] = [];
  if (teP99 > timingErrorLimitMs) reasons.push(`timing-error bound ${teP99.toFixed(1)} ms > ${timingErrorLimitMs} ms: the threads that take timestamps ran late (event-loop delay or GC pauses), so latencies read up to that much high${lateThreads(store, timingErrorLimitMs)}`);
  const usable = Math.min(cores, workers + 1) * 100;
  if (cpuMax > (usable * LIMITS.cpuPercentOfCores) / 100) reasons.push(`generator CPU peaked at ${cpuMax.toFixed(0)}% (of ${usable}% usable with ${workers} worker thread${workers > 1 ? 's' : ''})`);
  if (lagP99 > LIMITS.eventLoopLagMs) reasons.push(`event-loop lag p99 ${lagP99.toFixed(1)} ms > ${LIMITS.eventLoopLagMs} ms: timings are inflated by the generator`);
  if (startP99 !== null && startP99 > LIMITS.startLagMs) reasons.push(`iteration start lag p99 ${startP99.toFixed(1)} ms > ${LIMITS.startLagMs} ms: the schedule is not kept`);
  if (dropped > 0) reasons.push(`${dropped} iterations dropped: no free VU (raise preAllocatedVUs/maxVUs, or the target is slower than the arrival rate)`);
  const overloaded = reasons.some((r) => !r.includes('dropped'));
  return {
    ok: reasons.length === 0,
    verdict: reasons.length === 0 ? 'healthy: the generator kept up; results reflect the target' : overloaded ? 'OVERLOADED: the generator, not the target, limited this run' : 'warning: see reasons',
    reasons, timing_error_p99_ms: round(teP99), timing_error_limit_ms: timingErrorLimitMs, cpu_percent_avg: round(cpuAvg), cpu_percent_max: round(cpuMax), event_loop_lag_p99_ms: round(lagP99), start_lag_p99_ms: startP99 === null ? null : round(startP99), dropped_iterations: dropped, cores,
  };
}
/** which threads ran late: those whose own seconds' bound exceeded the limit at their p99 */
function lateThreads(store: MetricStore, limit: number): string {
  const late: string[] = [];
  for (const [src, xs] of store.timingErrorBySource) {
    // the same quantile as the run's bound (a sketch over the thread's seconds)
    const sk = new Sketch();
    for (const x of xs) sk.add(x);
    const p99 = sk.quantile(0.99);
    const worst = Math.max(...xs);
    if (p99 > limit) late.push(`${src === 'main' ? 'the main thread' : `worker thread ${src.replace(/^w/, '')}`} (p99 ${p99.toFixed(1)} ms, worst second ${worst.toFixed(1)} ms, ${xs.filter((x) => x > limit).length} of ${xs.length} s over)`);
  }
  return late.length ? `; late: ${late.join(', ')}` : '';
}

function round(x: number): number { return Math.round(x * 100) / 100; }
