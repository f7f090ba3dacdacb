// One scheduler for every stream: a hashed timer wheel with 1 ms slots (Varghese & Lauck),
// driven by a single timer. Streams register their next due time; each tick fires every
// item that is due, and an item that is due several times over (a late tick) catches up in
// one call, so its writes batch. Sub-ms accuracy: a timer to ~2 ms before the next due item
// (absorbs libuv's ms-rounded poll timeout), then either event-loop turns (spin) or short
// thread naps to the exact time; see Precision.
import { monoMs } from '../lib/clock.ts';
import { Sketch } from '../lib/stats/sketch.ts';
export { monoMs };

export type Task = (now: number) => void;

interface Item { due: number; fn: Task }

/**
 * How the last ~2 ms before a due item are waited out.
 * - `nap` (default): short futex sleeps (Atomics.wait, ≤ 0.25 ms each, an event-loop turn
 *   between them). The CPU goes to real work only, and nothing is allocated while waiting.
 *   Writes go out ~0.08 ms after their due time (p50); waking a sleeping virtual CPU now
 *   and then takes 1–5 ms, so the tail is the machine's.
 * - `spin`: event-loop turns (setImmediate) until due. Writes go out within microseconds, but
 *   while any stream is active the simulator holds a core at 100 % and every turn makes
 *   garbage (a young-generation collection every ~2,000 turns in a bare loop); on a shared 2-core machine
 *   that costs the load generator its CPU. For dedicated hardware.
 * docs/PERFORMANCE.md has the figures.
 */
export type Precision = 'spin' | 'nap';

const SLOTS = 1 << 16; // 65.5 s horizon at 1 ms per slot; farther items wait in `far`
// Node's timers are ms-granular and can fire up to ~1 ms late; within this window of the next
// item the scheduler spins or naps instead of arming a timer
const NEAR_MS = 2;
const NAP_MS = 0.25;
const NAP = new Int32Array(new SharedArrayBuffer(4));


export class Scheduler {
  private wheel: Array<Item[] | undefined> = new Array(SLOTS);
  private far: Item[] = [];
  private count = 0;
  private cursor = Math.floor(monoMs()); // all slots before this one are processed
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity; // the item time the pending timer was armed for
  private imm: NodeJS.Immediate | null = null;
  private stopped = false;
  /** how late items fired (ms): the simulator's own accuracy, served at /v1/sim/stats; a
   * mergeable sketch, so that recording 10^6 firings adds no garbage and no unbounded array */
  lateness = new Sketch();

  constructor(readonly precision: Precision = 'nap') {}

  at(due: number, fn: Task): void {
    const item = { due, fn };
    const slot = Math.floor(due);
    if (slot < this.cursor) this.push(this.cursor, item);
    else if (slot - this.cursor >= SLOTS) this.far.push(item);
    else this.push(slot, item);
    this.count++;
    // an item earlier than the armed timer re-arms it
    if (this.timer && due < this.timerDue) { clearTimeout(this.timer); this.timer = null; this.timerDue = Infinity; }
    this.arm();
  }

  private push(slot: number, item: Item): void {
    const i = slot & (SLOTS - 1);
    const a = this.wheel[i];
    if (a) a.push(item); else this.wheel[i] = [item];
  }

  private onImmediate = () => { this.imm = null; this.tick(); };

  private arm(): void {
    if (this.stopped || this.imm || this.count === 0) return;
    const next = this.nextDue();
    const wait = next - monoMs();
    if (wait > NEAR_MS) {
      if (!this.timer) {
        this.timerDue = next;
        this.timer = setTimeout(() => { this.timer = null; this.timerDue = Infinity; this.tick(); }, Math.floor(wait - NEAR_MS + 0.2));
      }
      return;
    }
    if (this.timer) { clearTimeout(this.timer); this.timer = null; this.timerDue = Infinity; }
    // near the next item: nap (a futex sleep with a sub-ms timeout; an event-loop turn between
    // naps so I/O waits at most one nap) or spin (event-loop turns only)
    if (this.precision === 'nap' && wait > 0.01) Atomics.wait(NAP, 0, 0, Math.min(wait, NAP_MS));
    this.imm = setImmediate(this.onImmediate);
  }

  private nextDue(): number {
    if (this.far.length) return this.cursor; // re-check far items soon (rare)
    for (let s = this.cursor, n = 0; n < SLOTS; s++, n++) {
      const a = this.wheel[s & (SLOTS - 1)];
      if (a && a.length) {
        let min = Infinity;
        for (const it of a) if (it.due < min) min = it.due;
        return min;
      }
    }
    return this.cursor + SLOTS;
  }

  private tick(): void {
    const now = monoMs();
    const upto = Math.floor(now);
    if (this.far.length) {
      const keep: Item[] = [];
      for (const it of this.far) { if (Math.floor(it.due) - upto < SLOTS) this.push(Math.max(upto, Math.floor(it.due)), it); else keep.push(it); }
      this.far = keep;
    }
    for (let s = this.cursor; s <= upto; s++) {
      const i = s & (SLOTS - 1);
      const a = this.wheel[i];
      if (!a || a.length === 0) continue;
      if (s < upto) {
        this.wheel[i] = undefined;
        for (const it of a) this.fire(it, now);
      } else {
        // the current slot: fire what is due, keep the rest in place (no allocation: this
        // path runs on every spin turn)
        let keep = 0;
        const len = a.length;
        for (let k = 0; k < len; k++) {
          const it = a[k]!;
          if (it.due <= now) this.fire(it, now); else a[keep++] = it;
        }
        // fire() may have appended to this slot; keep those too
        for (let k = len; k < a.length; k++) a[keep++] = a[k]!;
        a.length = keep;
      }
    }
    this.cursor = upto;
    this.arm();
  }

  private fire(it: Item, now: number): void {
    this.count--;
    this.lateness.add(now - it.due);
    try { it.fn(now); } catch (e) { process.stderr.write(`sim: task failed: ${(e as Error).stack}\n`); }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.imm) clearImmediate(this.imm);
  }
}
