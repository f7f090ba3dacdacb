// The live one-line progress display (TTY only), like k6's.
import type { MetricStore } from './metrics/store.ts';

export class Progress {
  private timer: NodeJS.Timeout | null = null;
  constructor(private on: boolean, private store: MetricStore, private elapsed: () => number, private spanMs: number) {}
  start(): void {
    if (!this.on) return;
    this.timer = setInterval(() => this.draw(), 1000);
    this.timer.unref();
  }
  private draw(): void {
    const e = this.elapsed() / 1000;
    const it = this.store.aggregate('iterations')?.sum ?? 0;
    const dropped = this.store.aggregate('dropped_iterations')?.sum ?? 0;
    const vus = this.store.aggregate('vus')?.last ?? 0;
    const line = `running (${e.toFixed(1)}s/${(this.spanMs / 1000).toFixed(0)}s max), ${vus} VUs, ${it} iterations, ${(it / Math.max(e, 0.001)).toFixed(1)} it/s, ${dropped} dropped`;
    process.stderr.write(`\r\x1b[2K${line}`);
  }
  stop(): void {
    if (this.timer) { clearInterval(this.timer); process.stderr.write('\r\x1b[2K'); }
  }
}
