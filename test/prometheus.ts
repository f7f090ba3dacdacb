// A real Prometheus (Debian's prometheus 2.42) on a free loopback port with a temporary
// storage dir, taking remote writes (--web.enable-remote-write-receiver) and native histograms.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './influx.ts';

export interface Prometheus { url: string; writeUrl: string; port: number; proc: ChildProcess; stop(): Promise<void>; query(q: string, time?: number): Promise<Array<{ metric: Record<string, string>; value?: [number, string]; histogram?: [number, { count: string; sum: string }] }>> }

export async function startPrometheus(opts: { port?: number } = {}): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'llmload-prom-'));
  const port = opts.port ?? await freePort();
  const conf = join(dir, 'prometheus.yml');
  // nothing to scrape: every sample arrives by remote write
  writeFileSync(conf, 'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\n');
  const proc = spawn('prometheus', [`--config.file=${conf}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--enable-feature=native-histograms', '--log.level=warn'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err = (err + d).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prometheus exited: ${err}`);
    try { const r = await fetch(`${url}/-/ready`); if (r.status === 200) break; } catch { /* not yet */ }
    if (Date.now() - t0 > 30_000) throw new Error(`prometheus did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, writeUrl: `${url}/api/v1/write`, port, proc,
    stop: async () => {
      if (proc.exitCode === null) { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)); }
      rmSync(dir, { recursive: true, force: true });
    },
    query: async (q: string, time?: number) => {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}${time ? `&time=${time / 1000}` : ''}`);
      const j = await r.json() as { status: string; error?: string; data: { result: any[] } };
      if (j.status !== 'success') throw new Error(`PromQL ${q}: ${j.error}`);
      return j.data.result;
    },
  };
}
