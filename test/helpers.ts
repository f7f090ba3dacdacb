// Helpers for end-to-end tests: run the real CLI, start the real simulator in its own process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIM_NODE_ARGS } from '../engine/gc-flags.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(ROOT, 'bin', 'llmload.js');

export interface CliResult { code: number | null; stdout: string; stderr: string; summary: any; dir: string; ms: number }

/** Runs `llmload ARGS…` to completion (killed after timeoutMs). `summary` is --summary-export's JSON. */
export async function runCli(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; onSpawn?: (p: ChildProcess) => void; summary?: boolean } = {}): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), 'llmload-test-'));
  const summaryFile = join(dir, 'summary.json');
  const full = args[0] === 'run' && opts.summary !== false ? [...args, '--summary-export', summaryFile] : args;
  const t0 = Date.now();
  const p = spawn(process.execPath, [CLI, ...full], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...(opts.env ?? {}) }, stdio: ['ignore', 'pipe', 'pipe'] });
  opts.onSpawn?.(p);
  let stdout = '', stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((r) => p.on('exit', (c) => r(c)));
  clearTimeout(timer);
  const summary = existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : null;
  return { code, stdout, stderr, summary, dir, ms: Date.now() - t0 };
}

/** Runs `fn` once a CLI process's stdout shows `marker` (a line the scenario prints when it has
 *  reached the state a test interrupts), instead of after a guessed delay: start-up time on a
 *  shared machine is not a constant. */
export function onMarker(p: ChildProcess, marker: string, fn: () => void): void {
  let out = '';
  const on = (d: Buffer) => {
    out += d;
    if (!out.includes(marker)) return;
    p.stdout!.off('data', on);
    fn();
  };
  p.stdout!.on('data', on);
}

export interface SimProcess { url: string; proc: ChildProcess; stop(): Promise<void> }

/** Starts `llmload sim` in a child process (so its CPU never skews the client under test). */
export async function startSimProcess(args: string[] = []): Promise<SimProcess> {
  const proc = spawn(process.execPath, [...(process.env.SIM_NODE_FLAGS?.split(' ').filter(Boolean) ?? SIM_NODE_ARGS), CLI, 'sim', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((res, rej) => {
    let out = '', err = '';
    const t = setTimeout(() => rej(new Error(`sim did not start: ${err}`)), 15_000);
    proc.stdout!.on('data', (d) => { out += d; const m = /listening on (\S+)/.exec(out); if (m) { clearTimeout(t); res(m[1]!); } });
    proc.stderr!.on('data', (d) => (err += d));
    proc.on('exit', (c) => { clearTimeout(t); rej(new Error(`sim exited ${c}: ${err}`)); });
  });
  proc.removeAllListeners('exit');
  return { url, proc, stop: () => new Promise<void>((r) => { if (proc.exitCode !== null) return r(); proc.once('exit', () => r()); proc.kill('SIGTERM'); }) };
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))]!;
}
export const median = (xs: number[]) => quantile(xs, 0.5);

export function tmp(name = 'x'): string { return join(mkdtempSync(join(tmpdir(), 'llmload-')), name); }

/** A credential for tests that plant one: made up per run, so nothing that looks like a key is
 *  committed (the redactor hides any value of a *KEY/*TOKEN variable of 6+ characters). */
export function plantedKey(tag: string): string {
  return `llmload-test-${tag}-${process.pid.toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}
