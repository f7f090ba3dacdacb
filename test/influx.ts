// A real InfluxDB 1.x (Debian's influxdb package) on free loopback ports with a temporary
// data dir, for tests and for scripts/influx-up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const p = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

export interface Influx { url: string; port: number; proc: ChildProcess; dir: string; stop(): Promise<void>; query(q: string, db?: string): Promise<any> }

/** `port`: listen there (a test that starts InfluxDB late, on the port a run already targets) */
export async function startInflux(opts: { port?: number } = {}): Promise<Influx> {
  const dir = mkdtempSync(join(tmpdir(), 'llmload-influx-'));
  const port = opts.port ?? await freePort();
  const rpc = await freePort();
  const conf = join(dir, 'influxdb.conf');
  writeFileSync(conf, `reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  log-enabled = false
[continuous_queries]
  enabled = false
`);
  const proc = spawn('influxd', ['-config', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => { err = (err + d).slice(-4000); });
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`influxd exited: ${err}`);
    try { const r = await fetch(`${url}/ping`); if (r.status === 204) break; } catch { /* not yet */ }
    if (Date.now() - t0 > 20_000) throw new Error(`influxd did not start: ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, port, proc, dir,
    stop: async () => {
      if (proc.exitCode === null) { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)); }
      rmSync(dir, { recursive: true, force: true });
    },
    query: async (q: string, db = 'llmload') => {
      const r = await fetch(`${url}/query?db=${encodeURIComponent(db)}&epoch=ms&q=${encodeURIComponent(q)}`);
      return r.json();
    },
  };
}
