// Simulator benchmark (issue #5): streamed events per second per core and the lateness of
// token writes, at 1,000 and 5,000 concurrent streams with ITL 10 ms. The simulator runs in
// this process; the load comes from a lean raw-HTTP client in a child process.
import { spawn } from 'node:child_process';
import { startSim } from '../sim/server.ts';
import { fmt, quantile } from './lib.ts';

export async function simBench(): Promise<string[]> {
  const rows = ['| concurrent streams, framing | events written | sim CPU s | events/s per core of sim CPU | write lateness p50 | p99 | max |', '|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [n, framing] of [[1000, 'chunked'], [1000, 'length'], [5000, 'chunked'], [5000, 'length']] as const) {
    const sim = await startSim({ ttftMs: 50, itlMs: 10, outputTokens: 300, framing });
    sim.scheduler.recordLateness = true;
    const u = new URL(sim.url);
    const client = `const http=require('http');const agent=new http.Agent({keepAlive:true,maxSockets:Infinity});let done=0;
      const one=()=>new Promise(res=>{const q=http.request({agent,host:'${u.hostname}',port:${u.port},path:'/v1/chat/completions',method:'POST',headers:{'content-type':'application/json'}},r=>{r.resume();r.on('end',res);r.on('error',res)});q.on('error',res);q.end('{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],"max_tokens":300,"stream":true}')});
      Promise.all(Array.from({length:${n}},(_, i)=>new Promise(r=>setTimeout(r,i*1000/${n})).then(one))).then(()=>process.exit(0));`;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const p = spawn(process.execPath, ['-e', client], { stdio: 'ignore' });
    await new Promise((r) => p.on('exit', r));
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    const late = sim.stats().lateness;
    const cpuS = (cpu.user + cpu.system) / 1e6;
    rows.push(`| ${n}, ${framing} | ${late.length} | ${fmt(cpuS, 2)} (of ${fmt(wall, 1)} s wall) | ${fmt(late.length / cpuS, 0)} | ${fmt(quantile(late, 0.5), 3)} ms | ${fmt(quantile(late, 0.99), 3)} ms | ${fmt(late.reduce((a, b) => (b > a ? b : a), 0), 2)} ms |`);
    await sim.close();
  }
  return rows;
}
