// `llmload sim --processes N`: the simulator on N processes sharing one port (node:cluster; the
// primary accepts connections and hands them out in turn, each process serves its connections
// with its own event loop and scheduler), so one simulator can feed a load generator on a
// machine with many cores (one process tops out near 100k events/s; docs/PERFORMANCE.md).
// Ground truth: every process appends whole lines to the one file (request ids carry a
// per-process prefix, so they stay unique). /v1/sim/stats: whichever process gets the request
// asks the primary, which gathers every process's stats and merges them (sim/stats-merge.ts).
import cluster, { type Worker } from 'node:cluster';
import { writeFileSync } from 'node:fs';
import { startSim, type SimOptions, type SimStats } from './server.ts';
import { mergeSimStats } from './stats-merge.ts';

type ToPrimary = { type: 'listening'; url: string } | { type: 'stats?'; id: number; reset: boolean } | { type: 'stats-part'; id: number; stats: SimStats };
type ToChild = { type: 'stats'; id: number; stats: SimStats | null; error?: string } | { type: 'stats-part?'; id: number; reset: boolean } | { type: 'stop' };

export const isSimChild = (): boolean => cluster.isWorker && process.env.LLMLOAD_SIM_PROCESS !== undefined;

/** The primary: forks the processes, prints one "listening" line, merges stats, stops them all. */
export async function runPrimary(n: number, groundTruth: string | undefined, announce: (url: string) => void): Promise<void> {
  // the processes append: start from an empty file
  if (groundTruth && groundTruth !== 'memory') writeFileSync(groundTruth, '');
  const workers: Worker[] = [];
  let stopping = false;
  const urls: string[] = [];
  let nextId = 0;
  const gathering = new Map<number, { from: Worker; childId: number; parts: SimStats[] }>();
  const ready = new Promise<void>((resolve, reject) => {
    for (let i = 0; i < n; i++) {
      const w = cluster.fork({ LLMLOAD_SIM_PROCESS: String(i) });
      workers.push(w);
      w.on('exit', (code) => {
        if (stopping) return;
        // one process gone means a partial simulator: stop the rest and say so
        process.stderr.write(`llmload sim: process ${i} exited (${code}); stopping the others\n`);
        stopping = true;
        for (const o of workers) o.process.kill('SIGKILL');
        reject(new Error(`process ${i} exited`));
        process.exit(1);
      });
      w.on('message', (m: ToPrimary) => {
        if (m.type === 'listening') { urls.push(m.url); if (urls.length === n) resolve(); }
        else if (m.type === 'stats?') {
          const id = ++nextId;
          gathering.set(id, { from: w, childId: m.id, parts: [] });
          for (const o of workers) o.send({ type: 'stats-part?', id, reset: m.reset } satisfies ToChild);
        } else if (m.type === 'stats-part') {
          const g = gathering.get(m.id);
          if (!g) return;
          g.parts.push(m.stats);
          if (g.parts.length === workers.length) {
            gathering.delete(m.id);
            let msg: ToChild;
            try { msg = { type: 'stats', id: g.childId, stats: mergeSimStats(g.parts) }; } catch (e) { msg = { type: 'stats', id: g.childId, stats: null, error: (e as Error).message }; }
            g.from.send(msg);
          }
        }
      });
    }
  });
  await ready;
  if (new Set(urls).size !== 1) throw new Error(`the processes listen on different addresses: ${[...new Set(urls)].join(', ')}`);
  announce(urls[0]!);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // each process closes its server and flushes its ground truth before it exits
    await Promise.all(workers.map((w) => new Promise<void>((r) => { if (w.isDead()) return r(); w.once('exit', () => r()); w.send({ type: 'stop' } satisfies ToChild); })));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** One of the processes: the simulator as usual, with a request-id prefix and merged stats. */
export async function runChild(o: SimOptions): Promise<void> {
  const index = Number(process.env.LLMLOAD_SIM_PROCESS);
  let nextId = 0;
  const waiting = new Map<number, { resolve: (s: SimStats) => void; reject: (e: Error) => void }>();
  const sim = await startSim({
    ...o,
    process: {
      prefix: `p${index.toString(36)}_`,
      mergedStats: (reset) => new Promise<SimStats>((resolve, reject) => {
        const id = ++nextId;
        waiting.set(id, { resolve, reject });
        process.send!({ type: 'stats?', id, reset } satisfies ToPrimary);
      }),
    },
  });
  process.on('message', (m: ToChild) => {
    if (m.type === 'stats-part?') {
      const stats = { ...sim.stats(), lateness_sketch: sim.scheduler.lateness.toJSON() };
      if (m.reset) sim.resetStats();
      process.send!({ type: 'stats-part', id: m.id, stats } satisfies ToPrimary);
    } else if (m.type === 'stats') {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      if (m.stats) w?.resolve(m.stats); else w?.reject(new Error(m.error ?? 'no stats'));
    } else if (m.type === 'stop') {
      void sim.close().then(() => process.exit(0));
    }
  });
  // the primary handles the signals (a terminal's Ctrl-C reaches every process of the group)
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  // the primary is gone (killed): nothing would ever stop this process
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'listening', url: sim.url } satisfies ToPrimary);
}
