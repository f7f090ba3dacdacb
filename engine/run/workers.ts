// The VU worker threads: one per segment of this shard, each started with its WorkerInit, its
// console piped through the redactor, and its messages (ready, snapshot, log, abortTest,
// fatal, done) turned into calls on the run's state.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactingLines } from '../redact.ts';
import { memlogMain } from '../diagnostics.ts';
import type { MetricStore } from '../metrics/store.ts';
import type { ToMain, WorkerInit } from '../protocol.ts';
import type { RunControl } from './control.ts';

const here = dirname(fileURLToPath(import.meta.url));
// dist/worker.js beside the bundled CLI; from sources, the built one
const WORKER = [join(here, 'worker.js'), join(here, '..', 'worker.js'), resolve(here, '..', '..', 'dist', 'worker.js')].find((p) => existsSync(p))!;

export interface WorkerPool {
  /** every worker is ready (or failed: see fatal) */
  ready: Promise<void>;
  /** every worker is done */
  finished: Promise<void>;
  /** each worker's last snapshot interval (ms since the start) and whether it is done */
  lastAt: number[];
  done: boolean[];
  /** the first worker failure (a script error in a VU thread), if any */
  readonly fatal: string | null;
}

export function startWorkers(inits: WorkerInit[], env: Record<string, string>, store: MetricStore, control: RunControl, log: (s: string) => void, onSnapshot: () => void): WorkerPool {
  const lastAt: number[] = [];
  const done: boolean[] = [];
  let fatal: string | null = null;
  const readies: Promise<void>[] = [];
  const finished: Promise<void>[] = [];
  inits.forEach((init, i) => {
    // the threads' console output (the script's console.log, also from k6-mode VU threads, whose
    // output reaches this worker's) passes through the redactor: a server may echo a key
    const w = new Worker(WORKER, { workerData: init, stdout: true, stderr: true });
    // a pipe per worker into stdout/stderr by design (--workers may exceed Node's cap of 10)
    for (const s of [process.stdout, process.stderr]) s.setMaxListeners(s.getMaxListeners() + 1);
    w.stdout.pipe(redactingLines(env)).pipe(process.stdout, { end: false });
    w.stderr.pipe(redactingLines(env)).pipe(process.stderr, { end: false });
    control.workers.push(w);
    lastAt.push(-1);
    done.push(false);
    let onReady: () => void;
    readies.push(new Promise<void>((r) => (onReady = r)));
    finished.push(new Promise<void>((res) => {
      w.on('message', (m: ToMain) => {
        switch (m.type) {
          case 'ready': onReady(); break;
          case 'snapshot':
            store.ingest(m.snap, `w${i}`);
            lastAt[i] = m.snap.at;
            onSnapshot();
            if (i === 0) memlogMain(m.snap.at, store.intervals.size);
            break;
          case 'log': log(`${m.level === 'error' ? 'ERROR' : m.level === 'warn' ? 'WARN' : 'INFO'} ${m.msg}`); break;
          case 'abortTest': control.scriptAborted(m.reason); break;
          case 'configError': control.configError(m.message, m.code); break;
          case 'fatal': fatal ??= m.msg; onReady(); control.stopAll('abort'); break;
          case 'done': done[i] = true; res(); void w.terminate(); break;
        }
      });
      w.on('error', (e) => { fatal ??= e.stack ?? String(e); done[i] = true; onReady(); res(); });
      w.on('exit', () => { done[i] = true; onReady(); res(); });
    }));
  });
  return {
    ready: Promise.all(readies).then(() => {}),
    finished: Promise.all(finished).then(() => {}),
    lastAt, done,
    get fatal() { return fatal; },
  };
}
