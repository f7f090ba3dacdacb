// --out json=FILE: one JSON line per metric series per 1-second interval. k6 writes a line per
// raw sample; we write the interval aggregate (docs/K6_COMPAT.md), which keeps files small at
// LLM token rates and is what the workers produce.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Output, RunMeta } from './types.ts';
import type { MetricDef, SeriesSnap } from '../metrics/types.ts';
import { Sketch } from '../../lib/stats/sketch.ts';

export class JsonOutput implements Output {
  readonly name = 'json';
  private ws!: WriteStream;
  private lines = 0;
  constructor(private file: string) {}
  async start(meta: RunMeta): Promise<void> {
    this.ws = createWriteStream(this.file);
    await new Promise<void>((res, rej) => { this.ws.once('open', () => res()); this.ws.once('error', rej); });
    this.ws.write(JSON.stringify({ type: 'Run', testid: meta.testid, startedAt: meta.startedAt, tags: meta.tags }) + '\n');
  }
  interval(at: number, series: SeriesSnap[], defs: Map<string, MetricDef>): void {
    const time = new Date(at).toISOString();
    let buf = '';
    for (const s of series) {
      const a = s.agg;
      let values: Record<string, number>;
      if (a.t === 'counter') values = { count: a.sum };
      else if (a.t === 'gauge') values = { value: a.last };
      else if (a.t === 'rate') values = { rate: a.total ? a.trues / a.total : 0, passes: a.trues, total: a.total };
      else { const sk = Sketch.from(a.sk); values = { count: sk.count, avg: sk.avg, min: sk.min, med: sk.quantile(0.5), max: sk.max, 'p(90)': sk.quantile(0.9), 'p(95)': sk.quantile(0.95), 'p(99)': sk.quantile(0.99) }; }
      buf += JSON.stringify({ type: 'Interval', metric: s.name, metricType: defs.get(s.name)?.type, time, tags: s.tags, values }) + '\n';
      this.lines++;
    }
    if (buf) this.ws.write(buf);
  }
  async stop(): Promise<Record<string, unknown>> {
    await new Promise<void>((res) => this.ws.end(res));
    return { file: this.file, lines: this.lines };
  }
}
