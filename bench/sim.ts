// Simulator benchmark (issue #5): streamed events per second per core and the lateness of
// token writes, at 1,000 and 5,000 concurrent streams with ITL 10 ms. The simulator runs as
// users run it (`llmload sim`, its own process) and reports its CPU and lateness at
// /v1/sim/stats; the load comes from a lean raw-HTTP client in another process, run at a
// lower CPU priority (`nice`) so that on a small machine the figures are the simulator's and
// not the scheduler's choice between the two.
import { spawn } from 'node:child_process';
import { startSimProcess } from '../test/helpers.ts';
import { fmt } from './lib.ts';
import type { SimStats } from '../sim/server.ts';

const TOKENS = 300;

export async function simBench(): Promise<string[]> {
  const rows = ['| concurrent streams, framing | events written | sim CPU s (wall s) | events/s per core of sim CPU | write lateness p50 | p90 | p99 | max |', '|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [n, framing] of [[1000, 'chunked'], [1000, 'length'], [5000, 'chunked'], [5000, 'length']] as const) {
    const sim = await startSimProcess(['--ttft-ms', '50', '--itl-ms', '10', '--output-tokens', String(TOKENS), '--framing', framing]);
    const stats = async (reset = false): Promise<SimStats> => (await fetch(`${sim.url}/sim/stats${reset ? '?reset=1' : ''}`)).json() as Promise<SimStats>;
    const u = new URL(sim.url);
    // n streams arriving evenly over one second, one request each
    const client = `const http=require('http');const agent=new http.Agent({keepAlive:true,maxSockets:Infinity});
      const one=()=>new Promise(res=>{const q=http.request({agent,host:'${u.hostname}',port:${u.port},path:'/v1/chat/completions',method:'POST',headers:{'content-type':'application/json'}},r=>{r.resume();r.on('end',res);r.on('error',res)});q.on('error',res);q.end('{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"max_tokens":${TOKENS},"stream":true}')});
      Promise.all(Array.from({length:${n}},(_, i)=>new Promise(r=>setTimeout(r,i*1000/${n})).then(one))).then(()=>process.exit(0));`;
    await stats(true);
    const t0 = performance.now();
    const p = spawn('nice', ['-n', '10', process.execPath, '-e', client], { stdio: 'ignore' });
    await new Promise((r) => p.on('exit', r));
    const wall = (performance.now() - t0) / 1000;
    const s = await stats();
    await sim.stop();
    const cpuS = (s.cpu_ms.user + s.cpu_ms.system) / 1000;
    const l = s.lateness_ms;
    rows.push(`| ${n}, ${framing} | ${s.events} | ${fmt(cpuS, 2)} (${fmt(wall, 1)}) | ${fmt(s.events / cpuS, 0)} | ${fmt(l.p50, 3)} ms | ${fmt(l.p90, 3)} ms | ${fmt(l.p99, 3)} ms | ${fmt(l.max, 2)} ms |`);
  }
  rows.push('', `Each stream: TTFT 50 ms, then ${TOKENS} tokens at 10 ms. Events = SSE events written (token deltas plus the role, finish, usage and [DONE] events); CPU = the simulator process's user + system time over the load (from /v1/sim/stats, which also reports lateness: how long after its due time each scheduled write went out).`);
  return rows;
}
