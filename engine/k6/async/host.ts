// The bridge for k6 VUs that share a worker thread (docs/K6_COMPAT.md, "Many VUs per thread"):
// the rewritten script awaits http.*, sse.open and sleep, and this thread does their I/O with
// the same transport, timing and dialect readers as a VU thread's host (engine/k6/http-exec.ts)
// — minus the thread, the MessagePort hop and the Atomics wake-up. Samples go straight to this
// thread's collector, inside the iteration's async context (its tags, group and signal).
import type { AsyncBridge, SseMessage, WireRequest, WireResponse } from '../../../lib/k6/bridge.ts';
import type { EngineRuntime } from '../../vu-runtime.ts';
import { execRequest, type HostContext } from '../http-exec.ts';
import { waitUntil } from '../../clock.ts';
import { PRECISE_BELOW_MS } from '../../../lib/wait.ts';

/** ends an interrupted iteration at its blocking call (k6: ramp-down, gracefulStop over, Ctrl+C);
 *  the worker drops errors of iterations whose VU was stopped */
export class Interrupted extends Error { constructor() { super('iteration interrupted'); } }

export function asyncBridge(rt: EngineRuntime, ctx: HostContext): AsyncBridge {
  const signal = () => rt.state()?.signal;
  const live = (s: AbortSignal | undefined) => { if (s?.aborted) throw new Interrupted(); };
  return {
    async: true,
    async http(reqs: WireRequest[]): Promise<WireResponse[]> {
      const s = signal();
      live(s);
      const res = await Promise.all(reqs.map((r) => execRequest(r, s, ctx)));
      live(s);
      return res;
    },
    httpAsync(req: WireRequest): Promise<WireResponse> { return execRequest(req, signal(), ctx); },
    async sse(req: WireRequest, on: (m: SseMessage) => boolean | void): Promise<void> {
      const s = signal();
      live(s);
      // the script's client.close() stops the stream; so does the iteration's end
      const closed = new AbortController();
      const both = s ? AbortSignal.any([s, closed.signal]) : closed.signal;
      let open = true;
      const response = await execRequest(req, both, ctx, (m) => { if (open && on(m) === false) { open = false; closed.abort(); } }, closed.signal);
      on({ type: 'end', response });
      live(s);
    },
    async sleep(ms: number): Promise<void> {
      const s = signal();
      live(s);
      await waitUntil(rt.now() + ms, s, ms < PRECISE_BELOW_MS ? 'precise' : 'timer');
      live(s);
    },
  };
}
