// The host's side of one k6-mode VU (docs/K6_COMPAT.md, "Blocking semantics"): starts its
// thread (engine/k6/vu-thread.ts), runs iterations there, and serves its blocking calls —
// HTTP requests, SSE streams — on this thread's event loop, then wakes it with Atomics.notify.
// Samples the VU thread recorded arrive in batches and join this thread's collector.
import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VuState } from '../../lib/runtime.ts';
import type { SseMessage } from '../../lib/k6/bridge.ts';
import type { RequestRecord } from '../../lib/llm/types.ts';
import type { EngineRuntime } from '../vu-runtime.ts';
import { ingest } from './forwarder.ts';
import { redactingLines } from '../redact.ts';
import { execRequest, execSse, type HostContext } from './http-exec.ts';
import type { VuThreadInit, ToVu, FromVu, SyncCall, SyncAnswer, AsyncCall, AsyncAnswer, WireState } from './protocol.ts';

const here = dirname(fileURLToPath(import.meta.url));
// dist/worker.js and dist/cli.js sit next to dist/vu-thread.js; from source (tests) the built one is used
const VU_THREAD = [join(here, 'vu-thread.js'), resolve(here, '..', '..', 'dist', 'vu-thread.js')].find((p) => existsSync(p)) ?? join(here, 'vu-thread.js');

/** what the VU thread is started with (less the channels, made here), and the host's hooks */
export interface BlockingVuOptions extends Omit<VuThreadInit, 'signals' | 'syncPort' | 'asyncPort' | 'requestLog'> {
  rt: EngineRuntime;
  ctx: HostContext;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
  abortTest(reason: string): void;
}

export interface IterationEnd { error?: string; result?: unknown }

export class BlockingVu {
  private readonly w: Worker;
  private readonly sig: Int32Array;
  private readonly sync: MessagePort;
  private readonly asyncPort: MessagePort;
  readonly ready: Promise<void>;
  private current: { state: VuState; done: (r: IterationEnd) => void } | null = null;
  private sseClose: { close(): void } | null = null;
  private exited = false;
  private readonly onRequest: ((r: RequestRecord) => void) | undefined;

  constructor(private o: BlockingVuOptions) {
    this.onRequest = o.rt.request ? (r) => o.rt.request!(r) : undefined;
    const signals = new SharedArrayBuffer(8);
    this.sig = new Int32Array(signals);
    const s = new MessageChannel();
    const a = new MessageChannel();
    this.sync = s.port1;
    this.asyncPort = a.port1;
    const init: VuThreadInit = { bundlePath: o.bundlePath, originHr: o.originHr, env: o.env, setupData: o.setupData, testInfo: o.testInfo, tags: o.tags, rawOptions: o.rawOptions, scriptDir: o.scriptDir, requestLog: !!o.rt.request, spend: o.spend, warmup: o.warmup ?? null, cursors: o.cursors, signals, syncPort: s.port2, asyncPort: a.port2 };
    this.w = new Worker(VU_THREAD, { workerData: init, transferList: [s.port2, a.port2], stdout: true, stderr: true });
    // the script's console output goes through the redactor (a server may echo a key)
    // one pipe per VU thread into this thread's stdout and stderr is the design: each adds an
    // 'unpipe', 'error', 'close' and 'finish' listener there, so the cap grows with the VUs
    // (Node's default of 10 printed MaxListenersExceededWarning eight times at 24 VUs)
    for (const s of [process.stdout, process.stderr]) s.setMaxListeners(s.getMaxListeners() + 1);
    this.w.stdout.pipe(redactingLines(o.env)).pipe(process.stdout, { end: false });
    this.w.stderr.pipe(redactingLines(o.env)).pipe(process.stderr, { end: false });
    let onReady!: () => void, onFail!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => { onReady = res; onFail = rej; });
    this.ready.catch(() => {});
    this.w.on('message', (m: FromVu) => {
      switch (m.type) {
        case 'ready': onReady(); break;
        case 'fatal': onFail(new Error(m.msg)); break;
        case 'samples': ingest(o.rt.collector, m.batch, this.onRequest); break;
        case 'log': o.log(m.level, m.msg); break;
        case 'abortTest': o.abortTest(m.reason); break;
        case 'done': {
          ingest(o.rt.collector, m.batch, this.onRequest);
          const c = this.current;
          this.current = null;
          c?.done({ ...(m.error !== undefined ? { error: m.error } : {}), ...(m.result !== undefined ? { result: m.result } : {}) });
          break;
        }
      }
    });
    this.w.on('error', (e) => { onFail(e); this.finish({ error: e.stack ?? String(e) }); });
    this.w.on('exit', () => { this.exited = true; onFail(new Error('VU thread exited')); this.finish({ error: 'VU thread exited' }); });
    this.sync.on('message', (m: SyncCall) => { void this.serve(m); });
    this.asyncPort.on('message', (m: AsyncCall) => { void this.serveAsync(m); });
  }

  private finish(r: IterationEnd): void { const c = this.current; this.current = null; c?.done(r); }

  /** posts on the sync port, then bumps the counter and wakes the VU thread */
  private answer(m: SyncAnswer | SseMessage): void {
    this.sync.postMessage(m);
    Atomics.add(this.sig, 0, 1);
    Atomics.notify(this.sig, 0);
  }

  private withState<T>(group: string, fn: () => Promise<T>): Promise<T> {
    const st = this.current?.state;
    return st ? this.o.rt.als.run({ ...st, group }, fn) : fn();
  }

  private async serve(m: SyncCall): Promise<void> {
    if (m.op === 'sse-close') { this.sseClose?.close(); return; }
    ingest(this.o.rt.collector, m.batch, this.onRequest);
    const signal = this.current?.state.signal;
    if (m.op === 'http') {
      const res = await this.withState(m.group, () => Promise.all(m.reqs.map((r) => execRequest(r, signal, this.o.ctx))));
      this.answer({ res });
      return;
    }
    // sse: events go over as they arrive, then the response
    const response = await this.withState(m.group, () => {
      const s = execSse(m.req, signal, this.o.ctx, (e) => this.answer(e));
      this.sseClose = s;
      return s.response;
    });
    this.sseClose = null;
    this.answer({ type: 'end', response });
  }

  private async serveAsync(m: AsyncCall): Promise<void> {
    ingest(this.o.rt.collector, m.batch, this.onRequest);
    const res = await this.withState(m.group, () => execRequest(m.req, this.current?.state.signal, this.o.ctx));
    this.asyncPort.postMessage({ id: m.id, res } satisfies AsyncAnswer);
  }

  /** Runs `fn` of the script in the VU thread; resolves when it returns (never rejects). */
  async run(fn: string, state: VuState, arg: Extract<ToVu, { type: 'iter' }>['arg'], given?: unknown): Promise<IterationEnd> {
    try { await this.ready; } catch (e) { return { error: (e as Error).message }; }
    if (this.exited) return { error: 'VU thread exited' };
    const { signal, pending, ...wire } = state;
    void pending;
    const onAbort = () => this.interrupt();
    signal.addEventListener('abort', onAbort, { once: true });
    const r = await new Promise<IterationEnd>((done) => {
      this.current = { state, done };
      this.w.postMessage({ type: 'iter', fn, state: wire as WireState, arg, ...(arg === 'given' ? { given } : {}) } satisfies ToVu);
    });
    signal.removeEventListener('abort', onAbort);
    return r;
  }

  /** Interrupts the running iteration: its blocking call returns and the iteration ends. */
  interrupt(): void {
    Atomics.store(this.sig, 1, 1);
    Atomics.add(this.sig, 0, 1);
    Atomics.notify(this.sig, 0);
    this.w.postMessage({ type: 'interrupt' } satisfies ToVu);
  }

  async terminate(): Promise<void> {
    this.interrupt();
    this.sync.close();
    this.asyncPort.close();
    await this.w.terminate();
  }
}
