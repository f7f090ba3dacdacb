// While the run goes: each merged interval goes to the outputs once every worker has passed it,
// thresholds are evaluated live (abortOnFail after its delayAbortEval), and the caller's watch
// hook (the spend cap) may stop the run.
import { evaluate } from '../thresholds/evaluate.ts';
import { aggToData } from '../distributed/state.ts';
import { EXIT } from '../exitcodes.ts';
import type { MetricStore } from '../metrics/store.ts';
import type { Output } from '../outputs/types.ts';
import type { SeriesSnap } from '../metrics/types.ts';
import type { ResolvedOptions } from '../config/options.ts';
import type { RunControl, AbortReason } from './control.ts';

export class LiveIntervals {
  private emitted = new Set<number>();
  /** wall-clock epoch ms of the executors' start (interval `at` is ms after it) */
  t0Epoch: number;
  /** the clock's ms at the executors' start */
  startAt = 0;

  constructor(
    private readonly store: MetricStore,
    private readonly outputs: Output[],
    private readonly thresholds: ResolvedOptions['thresholds'],
    private readonly control: RunControl,
    private readonly watch: ((store: MetricStore) => AbortReason | null) | undefined,
    private readonly log: (s: string) => void,
    startedEpoch: number,
  ) { this.t0Epoch = startedEpoch; }

  /** sends every interval before `upTo` not yet sent, and closes it in the store */
  emit(upTo: number): void {
    const ats = [...this.store.intervals.keys()].filter((a) => a < upTo && !this.emitted.has(a)).sort((a, b) => a - b);
    for (const at of ats) {
      this.emitted.add(at);
      const iv = this.store.intervals.get(at)!;
      const series: SeriesSnap[] = [...iv.series.values()].map((s) => ({ name: s.name, tags: s.tags, agg: aggToData(s.agg) }));
      for (const o of this.outputs) o.interval(this.t0Epoch + at, series, this.store.defs);
      this.store.closeInterval(at);
    }
  }

  /** after each snapshot: emit what every live worker has passed, then judge thresholds */
  check(lastAt: number[], done: boolean[], elapsedMs: number): void {
    this.emit(Math.min(...lastAt.map((a, i) => (done[i] ? Infinity : a))));
    const res = evaluate(this.thresholds, this.store, elapsedMs / 1000);
    for (const r of res) {
      if (!r.ok && r.abortOnFail) {
        const spec = this.thresholds.find((t) => t.key.source === r.key)!.specs.find((s) => s.source === r.source)!;
        if (elapsedMs >= spec.delayAbortEvalMs && !this.control.abortReason) this.control.abort({ reason: `threshold ${r.key} '${r.source}' crossed (abortOnFail)`, code: EXIT.THRESHOLDS_FAILED });
      }
    }
    const w = this.watch?.(this.store);
    if (w && !this.control.abortReason) { this.log(`ABORT ${w.reason}`); this.control.abort(w); }
  }
}
