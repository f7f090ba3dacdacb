// One k6-mode VU: a thread that runs the script's functions synchronously, as k6 does. Its
// blocking calls (http.*, sse.open, sleep) go through the bridge to the hosting thread and
// wait with Atomics.wait (docs/K6_COMPAT.md, "Blocking semantics"). Async code in the script
// (an `async` default function, `await chat()`) still runs on this thread's own event loop
// between blocking calls.
import { parentPort, workerData, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { installRuntime, type VuState } from '../../lib/runtime.ts';
import { Interrupted, type Bridge, type WireRequest, type WireResponse, type SseMessage } from '../../lib/k6/bridge.ts';
import { EngineRuntime } from '../vu-runtime.ts';
import { now, setOrigin } from '../clock.ts';
import { Forwarder } from './forwarder.ts';
import { installSpend } from '../../lib/llm/spend.ts';
import { installWarmup } from '../../lib/llm/warmup.ts';
import { installCursors } from '../../lib/workload/cursors.ts';
import type { VuThreadInit, ToVu, FromVu, SyncCall, SyncAnswer, AsyncCall, AsyncAnswer } from './protocol.ts';

const init = workerData as VuThreadInit;
const port = parentPort!;
setOrigin(BigInt(init.originHr));
process.setSourceMapsEnabled(true);
const post = (m: FromVu) => port.postMessage(m);
const sig = new Int32Array(init.signals);
const sync: MessagePort = init.syncPort;
const asyncPort: MessagePort = init.asyncPort;

const fw = new Forwarder();
const rt = new EngineRuntime(init.env, {
  onAbortTest: (reason) => post({ type: 'abortTest', reason }),
  log: (level, msg) => post({ type: 'log', level, msg }),
}, init.testInfo, init.tags, fw);
rt.options = init.rawOptions;
rt.scriptDir = init.scriptDir;
if (init.requestLog) rt.request = (r) => fw.addRequest(r);
installRuntime(rt);
installSpend(init.spend);
installWarmup(init.warmup ?? null);
installCursors(init.cursors);

const interrupted = () => Atomics.load(sig, 1) === 1;

/** the next message on the sync port, blocking until the host posts one */
function receive<T>(): T {
  for (;;) {
    const m = receiveMessageOnPort(sync);
    if (m) return m.message as T;
    // read the counter before looking again: a message posted in between has bumped it, so the
    // wait below returns at once instead of sleeping past it
    const seen = Atomics.load(sig, 0);
    const again = receiveMessageOnPort(sync);
    if (again) return again.message as T;
    Atomics.wait(sig, 0, seen);
  }
}

const group = () => rt.state()?.group ?? '';

const bridge: Bridge = {
  http(reqs: WireRequest[]): WireResponse[] {
    if (interrupted()) throw new Interrupted();
    sync.postMessage({ op: 'http', reqs, group: group(), batch: fw.drain() } satisfies SyncCall);
    const a = receive<SyncAnswer>();
    if (interrupted()) throw new Interrupted();
    return a.res;
  },
  httpAsync(req: WireRequest): Promise<WireResponse> {
    return new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      asyncPort.postMessage({ id, req, group: group(), batch: fw.drain() } satisfies AsyncCall);
    });
  },
  sse(req: WireRequest, on: (m: SseMessage) => boolean | void): void {
    if (interrupted()) throw new Interrupted();
    sync.postMessage({ op: 'sse', req, group: group(), batch: fw.drain() } satisfies SyncCall);
    let open = true;
    for (;;) {
      const m = receive<SseMessage>();
      if (m.type === 'end') { if (m.response) on(m); break; }
      if (open && on(m) === false) { open = false; sync.postMessage({ op: 'sse-close' } satisfies SyncCall); }
      if (fw.size > 256) post({ type: 'samples', batch: fw.drain() });
    }
    if (interrupted()) throw new Interrupted();
  },
  sleep(ms: number): void {
    if (fw.size) post({ type: 'samples', batch: fw.drain() });
    const end = now() + ms;
    for (;;) {
      if (interrupted()) throw new Interrupted();
      const left = end - now();
      if (left <= 0) return;
      Atomics.wait(sig, 0, Atomics.load(sig, 0), left);
    }
  },
};
(globalThis as { __llmload_bridge?: Bridge }).__llmload_bridge = bridge;

let nextId = 1;
const waiting = new Map<number, (r: WireResponse) => void>();
asyncPort.on('message', (m: AsyncAnswer) => { const f = waiting.get(m.id); waiting.delete(m.id); f?.(m.res); });
asyncPort.unref();

let mod: Record<string, unknown>;
try {
  mod = await import(pathToFileURL(init.bundlePath).href);
  post({ type: 'ready' });
} catch (e) {
  post({ type: 'fatal', msg: (e as Error).stack ?? String(e) });
}

let ctl: AbortController | null = null;
port.on('message', (m: ToVu) => {
  if (m.type === 'interrupt') { ctl?.abort(); return; }
  if (m.type === 'iter') void iterate(m);
});

async function iterate(m: Extract<ToVu, { type: 'iter' }>): Promise<void> {
  Atomics.store(sig, 1, 0);
  ctl = new AbortController();
  const st: VuState = { ...m.state, signal: ctl.signal };
  const fn = mod[m.fn] as ((arg?: unknown) => unknown) | undefined;
  let error: string | undefined;
  let result: unknown;
  try {
    if (typeof fn !== 'function') throw new Error(`the script exports no function "${m.fn}"`);
    const arg = m.arg === 'setupData' ? init.setupData : m.arg === 'given' ? m.given : undefined;
    const r = rt.als.run(st, () => (m.arg === 'none' ? fn() : fn(arg)));
    result = r && typeof (r as Promise<unknown>).then === 'function' ? await r : r;
    if (result !== undefined) result = JSON.parse(JSON.stringify(result));
  } catch (e) {
    if (!(e instanceof Interrupted) && !interrupted()) error = e instanceof Error ? `${e.message}${e.stack ? '\n' + e.stack.split('\n').slice(1, 3).join('\n') : ''}` : String(e);
  }
  post({ type: 'done', ...(error !== undefined ? { error } : {}), ...(result !== undefined ? { result } : {}), batch: fw.drain() });
}
