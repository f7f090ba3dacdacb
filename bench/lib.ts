// Helpers for the performance benchmarks (not tests: they report figures, they do not assert).
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, CLI } from '../test/helpers.ts';

export interface RunOut { summary: any; ms: number; code: number | null; peakRssKb: number; cpuMs: number; stderr: string }

/** Runs the CLI, sampling its RSS and reading its CPU time from /proc before it exits. */
export async function runMeasured(args: string[], env: Record<string, string> = {}): Promise<RunOut> {
  const dir = mkdtempSync(join(tmpdir(), 'llmload-perf-'));
  const summaryFile = join(dir, 'summary.json');
  const t0 = Date.now();
  const p = spawn(process.execPath, [CLI, ...args, '--summary-export', summaryFile, '-q', '--no-summary'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  let peak = 0;
  let cpuMs = 0;
  const tick = 1e3 / 100; // USER_HZ = 100 on Linux
  const sample = setInterval(() => {
    try {
      const st = readFileSync(`/proc/${p.pid}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+)/.exec(st);
      if (m) peak = Math.max(peak, Number(m[1]));
      const f = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpuMs = (Number(f[11]) + Number(f[12])) * tick; // utime + stime of the llmload process
    } catch { /* exited */ }
  }, 200);
  const code = await new Promise<number | null>((r) => p.on('exit', r));
  clearInterval(sample);
  let summary = null;
  try { summary = JSON.parse(readFileSync(summaryFile, 'utf8')); } catch { /* none */ }
  return { summary, ms: Date.now() - t0, code, peakRssKb: peak, cpuMs, stderr };
}

export const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
export { median, quantile } from '../test/helpers.ts';
