// The Runtime (lib/runtime.ts) as the engine implements it, in the main thread (init, setup,
// teardown) and in every worker thread (iterations). Context per iteration travels in an
// AsyncLocalStorage, so thousands of async VUs share one event loop without mixing tags.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Runtime, VuState, Tags, MetricType, Contains } from '../lib/runtime.ts';
import { Collector } from './metrics/collector.ts';
import { BUILTINS } from './metrics/types.ts';
import { now } from './clock.ts';
import { warming, warmupInstalled, WARMUP_TAG } from '../lib/llm/warmup.ts';
import { sharedTags, tagsKey } from '../lib/llm/shared-tags.ts';

export interface RuntimeHooks {
  onAbortTest(reason: string): void;
  log(level: 'info' | 'warn' | 'error', msg: string): void;
}

export class EngineRuntime implements Runtime {
  readonly als = new AsyncLocalStorage<VuState>();
  readonly collector: Collector;
  options: Record<string, unknown> = {};
  scriptDir?: string;
  renderSummary?: Runtime['renderSummary'];
  request?: Runtime['request'];
  private baseEnv: Record<string, string>;
  get env(): Record<string, string> { return this.als.getStore()?.env ?? this.baseEnv; }
  set env(e: Record<string, string>) { this.baseEnv = e; }
  /** `collector`: where samples go; a k6-mode VU thread forwards them to its host (engine/k6) */
  constructor(env: Record<string, string>, private hooks: RuntimeHooks, private info: { testid: string; segment: string; instance: number }, private baseTags: Tags = {}, collector?: Collector) {
    this.baseEnv = env;
    this.collector = collector ?? new Collector();
    for (const d of BUILTINS) this.collector.declare(d);
  }
  declare(name: string, type: MetricType, contains: Contains): void { this.collector.declare({ name, type, contains }); }
  // merged tag objects are cached per caller's tags object, for the iteration tags and group
  // they were merged with — what the merge depends on, not the iteration itself — so repeated
  // samples with the same tags (every ITL gap of a request; with lib/llm's shared tag objects,
  // every request like the last) allocate nothing and find their series in the collector's
  // per-object cache (docs/PERFORMANCE.md, "The whole process")
  private merged = new WeakMap<object, { base: Tags; group: string; t: Tags }>();
  private warmupOn: boolean | undefined;
  add(name: string, value: number, tags?: Tags): void {
    // the warm-up's samples, and every sample of a call that started in it, are not recorded
    // (looked up once: without --warmup, the default, a sample — one per streamed token —
    // costs a field read here, not a global lookup and a tag probe)
    if ((this.warmupOn ??= warmupInstalled()) && (warming() || (tags && tags[WARMUP_TAG] !== undefined))) return;
    const st = this.als.getStore();
    const base = st ? st.tags : this.baseTags;
    const group = st ? st.group : '';
    const key: object = tags ?? base;
    const c = this.merged.get(key);
    let t: Tags;
    if (c && c.base === base && c.group === group) t = c.t;
    else {
      if (group) t = tags ? { ...base, group, ...tags } : { ...base, group };
      else t = tags ? { ...base, ...tags } : base;
      this.merged.set(key, { base, group, t });
    }
    this.collector.add(name, value, t);
  }
  state(): VuState | undefined { return this.als.getStore(); }
  runGroup<T>(name: string, fn: () => T): T {
    const st = this.als.getStore();
    const path = (st?.group ?? '') + '::' + name;
    const t0 = now();
    const next = st ? { ...st, group: path } : undefined;
    const finish = () => { if (next) this.als.run(next, () => this.add('group_duration', now() - t0)); };
    const r = next ? this.als.run(next, fn) : fn();
    if (r && typeof (r as { then?: unknown }).then === 'function') return (r as unknown as Promise<unknown>).then((v) => { finish(); return v; }, (e) => { finish(); throw e; }) as T;
    finish();
    return r;
  }
  check(name: string, ok: boolean, tags?: Tags): void {
    const st = this.als.getStore();
    this.collector.check(st?.group ?? '', name, ok);
    // one shared tags object per check (and its extra tags): a fresh one per call cost a merge,
    // a series key and lookup each time (lib/llm/shared-tags.ts)
    this.add('checks', ok ? 1 : 0, sharedTags(tags ? `c\0${name}\0${tagsKey(tags)}` : `c\0${name}`, () => (tags ? { check: name, ...tags } : { check: name })));
  }
  now(): number { return now(); }
  abortTest(reason: string): void { this.hooks.onAbortTest(reason); }
  log(level: 'info' | 'warn' | 'error', msg: string): void { this.hooks.log(level, msg); }
  testInfo() { return this.info; }
}
