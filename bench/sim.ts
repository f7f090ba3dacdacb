// Simulator benchmark (issue #5): streamed events per second per core and the lateness of
// token writes, at 1,000 and 5,000 concurrent streams with ITL 10 ms. The simulator runs as
// users run it (`llmload sim`, its own process) and reports its CPU and lateness at
// /v1/sim/stats; the load comes from a lean raw-HTTP client in another process, run at a
// lower CPU priority (`nice`) so that on a small machine the figures are the simulator's and
// not the OS scheduler's choice between the two. A warm-up run first (JIT), then the measured
// run in three windows: ramp (streams arriving over 1 s), plateau (every stream open: the
// "at N concurrent streams" figure), tail (streams finishing). Three measured runs per
// configuration on one simulator; each cell is the median of the three (this machine's noise
// moved single runs by 20 %), events/s with its range.
import { spawn } from 'node:child_process';
import { startSimProcess } from '../test/helpers.ts';
import { fmt, median } from './lib.ts';
import type { SimStats } from '../sim/server.ts';

const TOKENS = 300;
const ITL = 10;
const TTFT = 50;
const RUNS = 3;

export async function simBench(): Promise<string[]> {
  const rows = ['| concurrent streams, framing | window | events written | sim CPU s (wall s) | events/s per core of sim CPU (range) | write lateness p50 | p90 | p99 | max | GC pauses (max) |', '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [n, framing] of [[1000, 'chunked'], [1000, 'length'], [5000, 'chunked']] as const) {
    const sim = await startSimProcess(['--ttft-ms', String(TTFT), '--itl-ms', String(ITL), '--output-tokens', String(TOKENS), '--framing', framing]);
    const stats = async (): Promise<SimStats> => (await fetch(`${sim.url}/sim/stats?reset=1`)).json() as Promise<SimStats>;
    const u = new URL(sim.url);
    // n streams arriving evenly over one second, one request each
    const load = (streams: number, tokens: number) => new Promise<void>((resolve) => {
      const client = `const http=require('http');const agent=new http.Agent({keepAlive:true,maxSockets:Infinity});
        const one=()=>new Promise(res=>{const q=http.request({agent,host:'${u.hostname}',port:${u.port},path:'/v1/chat/completions',method:'POST',headers:{'content-type':'application/json'}},r=>{r.resume();r.on('end',res);r.on('error',res)});q.on('error',res);q.end('{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"max_tokens":${tokens},"stream":true}')});
        Promise.all(Array.from({length:${streams}},(_, i)=>new Promise(r=>setTimeout(r,i*1000/${streams})).then(one))).then(()=>process.exit(0));`;
      spawn('nice', ['-n', '10', process.execPath, '-e', client], { stdio: 'ignore' }).on('exit', () => resolve());
    });
    await load(1000, 50); // warm-up
    const runs: Array<Map<string, [SimStats, number]>> = [];
    for (let run = 0; run < RUNS; run++) {
      await stats();
      const t0 = performance.now();
      const done = load(n, TOKENS);
      const windows = new Map<string, [SimStats, number]>();
      let last = t0;
      const cut = async (name: string) => { const s = await stats(); const now = performance.now(); windows.set(name, [s, (now - last) / 1000]); last = now; };
      // every stream is open from ~1 s + TTFT until the first one ends at TTFT + TOKENS × ITL
      const plateauEnd = TTFT + TOKENS * ITL - 50;
      await new Promise((r) => setTimeout(r, 1000 + TTFT + 250)); await cut('ramp');
      if (plateauEnd > performance.now() - t0 + 200) { await new Promise((r) => setTimeout(r, plateauEnd - (performance.now() - t0))); await cut('plateau'); }
      await done; await cut('tail');
      runs.push(windows);
    }
    await sim.stop();
    for (const name of ['ramp', 'plateau', 'tail']) {
      const ws = runs.map((w) => w.get(name)).filter((w): w is [SimStats, number] => !!w);
      if (!ws.length) continue;
      const med = (f: (s: SimStats, wall: number) => number) => median(ws.map(([s, wall]) => f(s, wall)));
      const cpuS = (s: SimStats) => (s.cpu_ms.user + s.cpu_ms.system) / 1000;
      const rates = ws.map(([s]) => s.events / cpuS(s));
      rows.push(`| ${n}, ${framing} | ${name} | ${fmt(med((s) => s.events), 0)} | ${fmt(med((s) => cpuS(s)), 2)} (${fmt(med((_, w) => w), 1)}) | ${fmt(median(rates), 0)} (${fmt(Math.min(...rates), 0)}–${fmt(Math.max(...rates), 0)}) | ${fmt(med((s) => s.lateness_ms.p50), 3)} ms | ${fmt(med((s) => s.lateness_ms.p90), 3)} ms | ${fmt(med((s) => s.lateness_ms.p99), 3)} ms | ${fmt(med((s) => s.lateness_ms.max), 2)} ms | ${fmt(med((s) => s.gc.count), 0)} (${fmt(med((s) => s.gc.max_ms), 1)} ms) |`);
    }
  }
  rows.push('', `Median of ${RUNS} runs on one simulator process (after a warm-up run), per window and column; events/s per core with the runs' range. Each stream: TTFT ${TTFT} ms, then ${TOKENS} tokens at ${ITL} ms (${1000 / ITL} events/s per stream). Events = SSE events written (token deltas plus the role, finish and [DONE] events); CPU = the simulator process's user + system time in the window; lateness = how long after its due time each scheduled write went out (all from /v1/sim/stats). At 5,000 streams the demand (500,000 events/s) is beyond one core: the simulator falls behind and its lateness grows — the figure shows where that happens.`);
  return rows;
}
