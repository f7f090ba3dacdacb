// Per-thread sample aggregation: the hot path. A sample costs one map lookup on
// (metric, tag set) and one aggregate update; every interval the thread hands its
// aggregates over as a Snapshot and starts fresh (docs/METRICS.md, "Pipeline").
import { Sketch } from '../../lib/stats/sketch.ts';
import { type AggData, type MetricDef, type Snapshot, type Tags, type CheckSnap } from './types.ts';

interface Live { name: string; tags: Tags; kind: MetricDef['type']; a: number; b: number; c: number; sk: Sketch | null }

export class Collector {
  readonly defs = new Map<string, MetricDef>();
  private newDefs: MetricDef[] = [];
  private series = new Map<string, Live>();
  private checks = new Map<string, CheckSnap>();

  declare(def: MetricDef): void {
    const old = this.defs.get(def.name);
    if (old) {
      if (old.type !== def.type) throw new Error(`metric "${def.name}" is already declared as a ${old.type}, not a ${def.type}`);
      return;
    }
    this.defs.set(def.name, def);
    this.newDefs.push(def);
  }

  // tag-set strings per tags object: callers reuse objects (an iteration's tags, a request's
  // tags for all its ITL samples), so most samples skip building the string
  private tagKeys = new WeakMap<Tags, string>();

  // series by tags object, then by metric name: a hit costs two lookups with short keys
  private byTags = new WeakMap<Tags, Map<string, Live>>();

  add(name: string, value: number, tags: Tags): void {
    let m = this.byTags.get(tags);
    let s = m?.get(name);
    if (s === undefined) {
      s = this.lookup(name, tags);
      if (!m) this.byTags.set(tags, (m = new Map()));
      m.set(name, s);
    }
    switch (s.kind) {
      case 'counter': s.a += value; s.b++; break;
      case 'gauge': s.a = value; if (value < s.b) s.b = value; if (value > s.c) s.c = value; break;
      case 'rate': if (value !== 0) s.a++; s.b++; break;
      case 'trend': s.sk!.add(value); break;
    }
  }

  private lookup(name: string, tags: Tags): Live {
    // the key keeps the tags' insertion order (no sort on the hot path): the same tag set in
    // another order only makes a second series here, which the main thread merges by the
    // sorted key (MetricStore), so totals are unaffected
    let tk = this.tagKeys.get(tags);
    if (tk === undefined) {
      tk = '';
      for (const k in tags) tk += k + '\x01' + tags[k] + '\x02';
      this.tagKeys.set(tags, tk);
    }
    const key = name + '\x00' + tk;
    let s = this.series.get(key);
    if (!s) {
      const def = this.defs.get(name);
      if (!def) throw new Error(`metric "${name}" was never declared`);
      s = { name, tags: { ...tags }, kind: def.type, a: 0, b: def.type === 'gauge' ? Infinity : 0, c: def.type === 'gauge' ? -Infinity : 0, sk: def.type === 'trend' ? new Sketch() : null };
      this.series.set(key, s);
    }
    return s;
  }

  check(path: string, name: string, ok: boolean): void {
    const key = path + '\x00' + name;
    let c = this.checks.get(key);
    if (!c) this.checks.set(key, (c = { path, name, passes: 0, fails: 0 }));
    if (ok) c.passes++; else c.fails++;
  }

  /** Takes everything recorded since the last call. */
  take(at: number): Snapshot {
    const series = [];
    for (const s of this.series.values()) {
      let agg: AggData;
      switch (s.kind) {
        case 'counter': agg = { t: 'counter', sum: s.a, n: s.b }; break;
        case 'gauge': agg = { t: 'gauge', last: s.a, min: s.b, max: s.c }; break;
        case 'rate': agg = { t: 'rate', trues: s.a, total: s.b }; break;
        default: agg = { t: 'trend', sk: s.sk!.toJSON() };
      }
      series.push({ name: s.name, tags: s.tags, agg });
    }
    this.series = new Map();
    this.byTags = new WeakMap();
    const checks = [...this.checks.values()];
    this.checks = new Map();
    const defs = this.newDefs;
    this.newDefs = [];
    return { at, defs, series, checks };
  }
}
