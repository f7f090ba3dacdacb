// A Collector that keeps samples for the host instead of aggregating them: a k6-mode VU thread
// blocks most of the time and cannot run the 1 s flush, so it hands its raw samples to the
// hosting thread with every bridge call, sleep and iteration end (engine/k6/vu-thread.ts).
import { Collector } from '../metrics/collector.ts';
import type { MetricDef, Tags } from '../metrics/types.ts';
import type { SampleBatch } from './protocol.ts';
import type { RequestRecord } from '../../lib/llm/types.ts';

export class Forwarder extends Collector {
  private pendingDefs: MetricDef[] = [];
  private s: Array<[string, number, Tags]> = [];
  private c: Array<[string, string, boolean]> = [];
  private r: RequestRecord[] = [];
  addRequest(rec: RequestRecord): void { this.r.push(rec); }
  override declare(def: MetricDef): void {
    const had = this.defs.has(def.name);
    super.declare(def); // same checks (a name declared twice with another type fails here)
    if (!had) this.pendingDefs.push(def);
  }
  override add(name: string, value: number, tags: Tags): void { this.s.push([name, value, tags]); }
  override check(path: string, name: string, ok: boolean): void { this.c.push([path, name, ok]); }
  get size(): number { return this.s.length + this.c.length + this.pendingDefs.length + this.r.length; }
  drain(): SampleBatch {
    const b = { defs: this.pendingDefs, s: this.s, c: this.c, r: this.r };
    this.pendingDefs = []; this.s = []; this.c = []; this.r = [];
    return b;
  }
}

/** The host's side: what a batch adds to its own collector. */
export function ingest(into: Collector, b: SampleBatch, onRequest?: (r: RequestRecord) => void): void {
  if (onRequest) for (const r of b.r) onRequest(r);
  for (const d of b.defs) into.declare(d);
  for (const [n, v, t] of b.s) into.add(n, v, t);
  for (const [g, n, ok] of b.c) into.check(g, n, ok);
}
