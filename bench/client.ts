// Client benchmarks (issue #4): CPU per streamed output event, TTFT error versus the
// simulator's ground truth, memory per open stream, at 100, 1,000 and 5,000 concurrent streams.
import { readFileSync } from 'node:fs';
import { chat } from '../lib/llm/index.ts';
import { startSimProcess, tmp } from '../test/helpers.ts';
import { fmt, median, quantile } from './lib.ts';
import type { GroundTruth } from '../sim/server.ts';

export async function clientBench(): Promise<string[]> {
  const rows = ['| concurrent streams | requests | output events | client CPU µs/event | TTFT error p50 | TTFT error p99 | heap per open stream |', '|---:|---:|---:|---:|---:|---:|---:|'];
  for (const n of [100, 1000, 5000]) {
    const gt = tmp('gt.jsonl');
    // ITL grows with the stream count so that client and simulator (sharing the machine's
    // cores) stay near 20,000 events/s; 100 tokens per request amortise per-request work
    const itl = n <= 100 ? 10 : n <= 1000 ? 50 : 250;
    const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', String(itl), '--output-tokens', '100', '--ground-truth', gt]);
    const provider = { name: 'sim', baseUrl: sim.url, dialect: 'openai-chat' as const };
    const call = () => chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 200, stream: true }, { provider, timeouts: { total: '120s', headers: '60s' } });
    await Promise.all(Array.from({ length: Math.min(n, 200) }, call)); // warm the pool and the JIT
    globalThis.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let heapPeak = heap0;
    const probe = setInterval(() => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed); }, 20);
    const cpu0 = process.cpuUsage();
    const results = await Promise.all(Array.from({ length: n }, async (_, i) => {
      // arrivals spread over 2 s: the figure is about N open streams, not a connection storm
      // (1,000 new connections within 200 ms kept the client saturated for the first second)
      await new Promise((r) => setTimeout(r, (i * 2000) / n));
      const out = [];
      for (let k = 0; k < (n >= 5000 ? 1 : 2); k++) out.push(await call());
      return out;
    })).then((x) => x.flat());
    const cpu = process.cpuUsage(cpu0);
    clearInterval(probe);
    await new Promise((r) => setTimeout(r, 300));
    const truth = new Map<string, GroundTruth>(readFileSync(gt, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((g: GroundTruth) => [g.id, g]));
    const errs: number[] = [];
    let events = 0;
    for (const r of results) {
      if (!r.ok) continue;
      events += r.timings.itlMs.length + 1;
      const g = truth.get(r.headers['x-request-id']!);
      if (g && g.first_token_ms !== null && r.timings.ttftMs !== null) errs.push(r.timings.ttftMs - (g.first_token_ms - g.arrival_ms));
    }
    const failed = results.filter((r) => !r.ok).length;
    rows.push(`| ${n} (ITL ${itl} ms) | ${results.length}${failed ? ` (${failed} failed)` : ''} | ${events} | ${fmt(((cpu.user + cpu.system) / events), 2)} | ${fmt(median(errs), 3)} ms | ${fmt(quantile(errs, 0.99), 3)} ms | ${fmt((heapPeak - heap0) / n / 1024, 1)} KB |`);
    await sim.stop();
  }
  rows.push('', 'TTFT error = the client\'s TTFT − the simulator\'s recorded (first-token write − request arrival), same machine clock: network, parsing and event-loop delay on both sides. Client CPU is the whole benchmark process (requests, SSE parsing, dialect reading, timing) divided by output events.');
  return rows;
}
