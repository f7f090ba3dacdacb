// Custom metrics with k6's API: https://grafana.com/docs/k6/latest/javascript-api/k6-metrics/
import { runtime, type Contains, type MetricType, type Tags } from './runtime.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

abstract class Metric {
  readonly name: string;
  readonly type: MetricType;
  readonly contains: Contains;
  /** isTime: k6's flag; lib's own built-ins pass their registered Contains (lib/metric-names.ts) */
  constructor(name: string, type: MetricType, isTime: boolean | Contains = false) {
    if (!NAME.test(name)) throw new Error(`invalid metric name "${name}": use letters, digits and _ (max 128), starting with a letter or _`);
    this.name = name;
    this.type = type;
    this.contains = typeof isTime === 'string' ? isTime : isTime ? 'time' : 'default';
    runtime().declare(name, type, this.contains);
  }
  add(value: number | boolean, tags?: Tags): void {
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
    if (!Number.isFinite(v)) return; // k6 ignores NaN with a warning; we drop it silently
    // the engine caches series by tags object; a script may mutate and reuse its object, so
    // it gets a copy (lib/llm passes objects it never mutates via addShared)
    runtime().add(this.name, v, tags ? { ...tags } : undefined);
  }

  /** For tag objects that are never mutated after this call (lib's own metrics). */
  addShared(value: number | boolean, tags?: Tags): void {
    const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
    if (!Number.isFinite(v)) return;
    runtime().add(this.name, v, tags);
  }
}

export class Counter extends Metric { constructor(name: string, isTime: boolean | Contains = false) { super(name, 'counter', isTime); } }
export class Gauge extends Metric { constructor(name: string, isTime: boolean | Contains = false) { super(name, 'gauge', isTime); } }
export class Rate extends Metric { constructor(name: string) { super(name, 'rate'); } }
export class Trend extends Metric { constructor(name: string, isTime: boolean | Contains = false) { super(name, 'trend', isTime); } }
