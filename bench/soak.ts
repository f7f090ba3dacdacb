// Soak (issue #17): the seed workload's PROFILE=soak (20 VUs) against the simulator for
// SOAK_MINUTES (default 30), the llmload process's resident memory sampled from /proc every
// 10 s. After a warm-up (the first 10 % of the run, at least 2 minutes) RSS must stay flat:
// growth under 10 %. Opt-in (`make perf ONLY=soak`): it takes half an hour.
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt } from './lib.ts';

function rssMb(pid: number): number | null {
  try { const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8')); return m ? Number(m[1]) / 1024 : null; } catch { return null; }
}

export async function soakBench(minutes = Number(process.env.SOAK_MINUTES ?? 30)): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'llmload-soak-'));
  const p = spawn(process.execPath, ['bin/llmload.js', 'run', 'scenarios/bench.ts', '-q', '--no-summary', '--results-dir', dir, '-e', 'PROFILE=soak', '-e', `DURATION=${minutes}m`], { stdio: 'ignore' });
  const samples: Array<[number, number]> = [];
  const t0 = Date.now();
  const timer = setInterval(() => { const r = rssMb(p.pid!); if (r !== null) samples.push([(Date.now() - t0) / 1000, r]); }, 10_000);
  await new Promise((r) => p.on('exit', r));
  clearInterval(timer);
  const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const requests = s.llm?.totals.requests ?? 0;
  const total = (Date.now() - t0) / 1000;
  const warm = Math.max(120, total * 0.1);
  const after = samples.filter(([t]) => t >= warm);
  const first = after[0]?.[1] ?? NaN, last = after[after.length - 1]?.[1] ?? NaN, peak = Math.max(...after.map(([, r]) => r));
  const reqAfter = requests * (1 - warm / total);
  const growth = ((last - first) / first) * 100;
  return [
    '| run | requests | RSS after warm-up | RSS at end | peak | growth | per 100k requests |', '|---|---:|---:|---:|---:|---:|---:|',
    `| PROFILE=soak, 20 VUs, ${minutes} min | ${requests} | ${fmt(first, 1)} MB | ${fmt(last, 1)} MB | ${fmt(peak, 1)} MB | ${fmt(growth, 1)} % | ${fmt(((last - first) / Math.max(reqAfter, 1)) * 100_000, 1)} MB |`,
    '', `Target: growth < 10 % after warm-up (the first ${fmt(warm / 60, 1)} min). ${growth < 10 ? '**Met.**' : '**Not met.**'} RSS of the llmload process (all its threads) from /proc/PID/status every 10 s; the simulator is a separate process.`,
  ];
}
