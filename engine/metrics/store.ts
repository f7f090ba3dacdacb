// Main-thread metric store: merges snapshots from worker threads (and from shard summaries)
// into whole-run aggregates per series and into 1-second interval buckets for outputs,
// thresholds and the report. Merging is exact for counters, rates and gauges' min/max, and
// for trends up to the sketch's bucket width (engine/metrics/sketch.ts).
import { Sketch } from '../../lib/stats/sketch.ts';
import { tagsKey, BUILTINS, type AggData, type MetricDef, type Snapshot, type Tags, type CheckSnap, type SeriesSnap } from './types.ts';
import type { SketchData } from '../../lib/stats/sketch.ts';
import { MN } from '../../lib/metric-names.ts';

export class Agg {
  constructor(readonly kind: MetricDef['type']) {}
  sum = 0; n = 0; // counter
  last = 0; min = Infinity; max = -Infinity; // gauge
  trues = 0; total = 0; // rate
  sk: Sketch | null = null;
  merge(d: AggData): void {
    switch (d.t) {
      case 'counter': this.sum += d.sum; this.n += d.n; break;
      case 'gauge': this.last = d.last; this.min = Math.min(this.min, d.min); this.max = Math.max(this.max, d.max); break;
      case 'rate': this.trues += d.trues; this.total += d.total; break;
      case 'trend': (this.sk ??= new Sketch()).merge(d.sk); break;
    }
  }
  mergeAgg(o: Agg): void {
    this.sum += o.sum; this.n += o.n;
    if (o.min !== Infinity || o.max !== -Infinity) { this.last = o.last; this.min = Math.min(this.min, o.min); this.max = Math.max(this.max, o.max); }
    this.trues += o.trues; this.total += o.total;
    if (o.sk) (this.sk ??= new Sketch()).merge(o.sk);
  }
  get empty(): boolean { return this.n === 0 && this.total === 0 && this.min === Infinity && !(this.sk && this.sk.count); }
}

export interface Series { name: string; tags: Tags; key: string; agg: Agg }
export interface Interval { at: number; series: Map<string, Series>; gauges?: Map<string, Map<string, number>> }

/** One second of a run, as the report (over time) and the health verdict need it. */
export interface IntervalDigest {
  at: number;
  rps: number; vus: number; streams: number; rate_limited: number; output_tokens: number;
  errors: Record<string, number>;
  /** the merged TTFT sketch of the second, trimmed (null: no TTFT in it) */
  ttft: SketchData | null;
  /** the process's CPU % in the second (one thread samples it), null: not sampled */
  cpu: number | null;
}

export function digestOf(iv: Interval): IntervalDigest {
  const d: IntervalDigest = { at: iv.at, rps: 0, vus: 0, streams: 0, rate_limited: 0, output_tokens: 0, errors: {}, ttft: null, cpu: null };
  let ttft: Sketch | null = null;
  for (const s of iv.series.values()) {
    const a = s.agg;
    switch (s.name) {
      case MN.httpReqs: d.rps += a.sum; break;
      case MN.vus: d.vus += a.last; break;
      case MN.activeStreams: d.streams += a.last; break;
      case MN.rateLimited: d.rate_limited += a.sum; break;
      case MN.outputTokens: d.output_tokens += a.sum; break;
      case MN.generatorCpuPercent: d.cpu = a.last; break;
      case MN.requests: if (s.tags.error_kind) d.errors[s.tags.error_kind] = (d.errors[s.tags.error_kind] ?? 0) + a.sum; break;
      case MN.ttft: if (a.sk) (ttft ??= new Sketch()).merge(a.sk); break;
    }
  }
  if (ttft && ttft.count) { ttft.compact(); d.ttft = ttft.toJSON(); }
  return d;
}

export class MetricStore {
  readonly defs = new Map<string, MetricDef>();
  readonly series = new Map<string, Series>();
  readonly intervals = new Map<number, Interval>();
  readonly checks = new Map<string, CheckSnap>();
  /** gauges are per-thread: the run's value is the sum of the latest value of every source */
  private gaugeSources = new Map<string, Map<string, number>>();
  /** each thread's timing-error bound per second (generator_timing_error: one value a second
   *  from each timestamp-taking thread), so a verdict over its limit can say which ran late */
  readonly timingErrorBySource = new Map<string, number[]>();
  constructor() { for (const d of BUILTINS) this.defs.set(d.name, d); }

  declare(d: MetricDef): void { if (!this.defs.has(d.name)) this.defs.set(d.name, d); }

  ingest(snap: Snapshot, source = 'main', keepIntervals = true): SeriesSnap[] {
    for (const d of snap.defs) this.declare(d);
    for (const c of snap.checks) {
      const k = c.path + '\x00' + c.name;
      const o = this.checks.get(k);
      if (o) { o.passes += c.passes; o.fails += c.fails; } else this.checks.set(k, { ...c });
    }
    const out: SeriesSnap[] = [];
    for (const s of snap.series) {
      let agg = s.agg;
      if (s.name === MN.generatorTimingError && agg.t === 'trend' && agg.sk.count) {
        const xs = this.timingErrorBySource.get(source) ?? [];
        this.timingErrorBySource.set(source, xs);
        xs.push(agg.sk.max);
      }
      const key = s.name + '\x00' + tagsKey(s.tags);
      if (agg.t === 'gauge') {
        // sum the latest value across sources (e.g. vus per worker)
        let src = this.gaugeSources.get(key);
        if (!src) this.gaugeSources.set(key, (src = new Map()));
        src.set(source, agg.last);
        let total = 0;
        for (const v of src.values()) total += v;
        agg = { t: 'gauge', last: total, min: total, max: total };
      }
      this.mergeInto(this.series, key, s.name, s.tags, agg);
      if (keepIntervals) {
        let iv = this.intervals.get(snap.at);
        if (!iv) this.intervals.set(snap.at, (iv = { at: snap.at, series: new Map() }));
        if (s.agg.t === 'gauge') {
          // within an interval a gauge is the sum over the sources that reported in it
          const g = ((iv.gauges ??= new Map()).get(key) ?? new Map<string, number>());
          iv.gauges.set(key, g);
          g.set(source, s.agg.last);
          let sum = 0;
          for (const v of g.values()) sum += v;
          this.mergeInto(iv.series, key, s.name, s.tags, { t: 'gauge', last: sum, min: sum, max: sum }, true);
        } else this.mergeInto(iv.series, key, s.name, s.tags, agg, true);
      }
      out.push({ name: s.name, tags: s.tags, agg });
    }
    return out;
  }

  /** one tags object per distinct tag set: each snapshot from a thread brings new copies, and
   *  every interval kept them all (a long run's intervals held thousands of equal objects) */
  private tagsByKey = new Map<string, Tags>();

  /** per-second digests of closed intervals: what the report and the health verdict read
   *  back, a few hundred bytes per second however many series the run has */
  readonly digests = new Map<number, IntervalDigest>();

  /** A closed interval (sent to the outputs, no thread will add to it) is reduced to its
   *  digest and dropped. Keeping every interval's series made a long run's memory grow with
   *  its length: a 30-minute soak's runner went 264 → 613 MB, ~93 KB of heap per second in the
   *  main thread (docs/PERFORMANCE.md, "Soak"). */
  closeInterval(at: number): void {
    const iv = this.intervals.get(at);
    if (!iv) return;
    this.digests.set(at, digestOf(iv));
    this.intervals.delete(at);
  }

  /** every second's digest, closed or not, in time order */
  allDigests(): IntervalDigest[] {
    const out = new Map(this.digests);
    for (const [at, iv] of this.intervals) out.set(at, digestOf(iv));
    return [...out.values()].sort((a, b) => a.at - b.at);
  }

  /** adds another run's digests (a shard's, shifted onto this store's clock) */
  mergeDigest(d: IntervalDigest): void {
    const o = this.digests.get(d.at);
    if (!o) { this.digests.set(d.at, { ...d, errors: { ...d.errors }, ttft: d.ttft ? { ...d.ttft, bins: [...d.ttft.bins] } : null }); return; }
    o.rps += d.rps; o.vus += d.vus; o.streams += d.streams; o.rate_limited += d.rate_limited; o.output_tokens += d.output_tokens;
    o.cpu = o.cpu === null ? d.cpu : d.cpu === null ? o.cpu : Math.max(o.cpu, d.cpu);
    for (const [k, v] of Object.entries(d.errors)) o.errors[k] = (o.errors[k] ?? 0) + v;
    if (d.ttft) { const sk = o.ttft ? Sketch.from(o.ttft) : new Sketch(); sk.merge(d.ttft); sk.compact(); o.ttft = sk.toJSON(); }
  }

  private mergeInto(m: Map<string, Series>, key: string, name: string, tags: Tags, agg: AggData, gaugeReplace = false): void {
    let s = m.get(key);
    const def = this.defs.get(name);
    if (!s) {
      const tk = key.slice(name.length + 1);
      let shared = this.tagsByKey.get(tk);
      if (!shared) this.tagsByKey.set(tk, (shared = tags));
      m.set(key, (s = { name, tags: shared, key, agg: new Agg(def?.type ?? (agg.t as MetricDef['type'])) }));
    }
    if (gaugeReplace && agg.t === 'gauge') { s.agg.last = agg.last; s.agg.min = Math.min(s.agg.min, agg.min); s.agg.max = Math.max(s.agg.max, agg.max); return; }
    s.agg.merge(agg);
  }

  /** Aggregate of a metric over all series whose tags include `filter` (k6 submetrics). */
  aggregate(name: string, filter: Tags = {}, from: Map<string, Series> = this.series): Agg | null {
    const def = this.defs.get(name);
    if (!def) return null;
    const out = new Agg(def.type);
    const fk = Object.entries(filter);
    let any = false;
    let gaugeLast = 0;
    for (const s of from.values()) {
      if (s.name !== name) continue;
      if (fk.some(([k, v]) => s.tags[k] !== v)) continue;
      any = true;
      if (def.type === 'gauge') gaugeLast += s.agg.last;
      out.mergeAgg(s.agg);
    }
    if (def.type === 'gauge' && any) out.last = gaugeLast;
    return out;
  }

  /** Distinct values of a tag for a metric (for per-model tables). */
  tagValues(name: string, tag: string): string[] {
    const set = new Set<string>();
    for (const s of this.series.values()) if (s.name === name && s.tags[tag] !== undefined) set.add(s.tags[tag]!);
    return [...set].sort();
  }
}
