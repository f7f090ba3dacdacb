// The bridge for k6 VUs that share a worker thread (docs/K6_COMPAT.md, "Many VUs per thread"):
// the rewritten script awaits http.*, sse.open and sleep, and this thread does their I/O with
// the same transport, timing and dialect readers as a VU thread's host (engine/k6/http-exec.ts)
// — minus the thread, the MessagePort hop and the Atomics wake-up. Samples go straight to this
// thread's collector, inside the iteration's async context (its tags, group and signal).
import { Interrupted, type AsyncBridge, type SseMessage, type WireRequest, type WireResponse } from '../../../lib/k6/bridge.ts';
import type { EngineRuntime } from '../../vu-runtime.ts';
import { execRequest, execSse, type HostContext } from '../http-exec.ts';
import { waitUntil } from '../../clock.ts';
import { PRECISE_BELOW_MS } from '../../../lib/wait.ts';

export function asyncBridge(rt: EngineRuntime, ctx: HostContext): AsyncBridge {
  // an interrupted iteration ends at its blocking call (the worker drops errors of iterations
  // whose VU was stopped)
  const live = (s: AbortSignal | undefined) => { if (s?.aborted) throw new Interrupted(); };
  /** runs a blocking call under the iteration's signal, ending the iteration if it was stopped */
  const blocking = async <T>(call: (s: AbortSignal | undefined) => Promise<T>): Promise<T> => {
    const s = rt.state()?.signal;
    live(s);
    const r = await call(s);
    live(s);
    return r;
  };
  return {
    async: true,
    http: (reqs: WireRequest[]) => blocking((s) => Promise.all(reqs.map((r) => execRequest(r, s, ctx)))),
    httpAsync: (req: WireRequest): Promise<WireResponse> => execRequest(req, rt.state()?.signal, ctx),
    sse: (req: WireRequest, on: (m: SseMessage) => boolean | void) => blocking(async (s) => {
      // the script's client.close() (`on` answers false) stops the stream: nothing after it
      let open = true;
      const stream = execSse(req, s, ctx, (m) => { if (open && on(m) === false) { open = false; stream.close(); } });
      on({ type: 'end', response: await stream.response });
    }),
    sleep: (ms: number) => blocking((s) => waitUntil(rt.now() + ms, s, ms < PRECISE_BELOW_MS ? 'precise' : 'timer')),
  };
}
