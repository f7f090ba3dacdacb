// What every push output (InfluxDB, Prometheus remote write) does when its server is slow,
// down or gone: items queue in production order, a flusher sends them in batches on a cycle,
// a failed batch goes back to the front with its own age, and the queue is bounded by size
// and by age (the retry window). Nothing here blocks the run; what could not be delivered is
// counted, so that `written + lost == produced` holds at the end (docs/FAULTS.md).

export interface RetryQueueConfig {
  /** items per request */
  batch: number;
  /** items kept while the server is away; past it the oldest are lost */
  maxQueue: number;
  flushMs: number;
  /** how long an item may wait for the server before it is given up as lost */
  retryWindowMs: number;
  /** the final flush at the end of the run gives up after this long */
  stopTimeoutMs: number;
}

/** 'retry': network error, timeout, 5xx, 429 — try again next cycle; 'drop': the server
 *  refused the batch (4xx) and sending it again would not help */
export type SendResult = 'ok' | 'retry' | 'drop';

export interface RetryQueueHooks<T> {
  send(items: T[]): Promise<SendResult>;
  /** called before sending while not ready (ping, create the database); false: not yet */
  connect?(): Promise<boolean>;
}

/** a chunk of queued items and when it was produced (wall ms) */
interface Chunk<T> { at: number; items: T[] }

export interface RetryQueueCounts { produced: number; written: number; lost: number; batches: number; failed_batches: number; rejected_batches: number }

export class RetryQueue<T> {
  private queue: Chunk<T>[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  /** the server answered; until then every flush cycle calls connect() first */
  ready: boolean;
  produced = 0;
  written = 0;
  lost = 0;
  batches = 0;
  failedBatches = 0;
  rejectedBatches = 0;

  constructor(private cfg: RetryQueueConfig, private hooks: RetryQueueHooks<T>, private now: () => number = Date.now) {
    this.ready = !hooks.connect;
  }

  start(): void {
    this.timer = setInterval(() => { void this.flush(); }, this.cfg.flushMs);
    this.timer.unref();
  }

  push(items: T[]): void {
    if (!items.length) return;
    this.produced += items.length;
    this.queue.push({ at: this.now(), items });
    this.queued += items.length;
    this.trim();
    if (this.ready && this.queued >= this.cfg.batch) void this.flush();
  }

  /** bounded queue: the oldest items go first, when over the size or older than the window */
  private trim(): void {
    const oldest = this.now() - this.cfg.retryWindowMs;
    while (this.queue.length && (this.queued > this.cfg.maxQueue || this.queue[0]!.at < oldest)) {
      const c = this.queue[0]!;
      const drop = c.at < oldest ? c.items.length : Math.min(c.items.length, this.queued - this.cfg.maxQueue);
      c.items.splice(0, drop);
      this.queued -= drop;
      this.lost += drop;
      if (c.items.length === 0) this.queue.shift();
    }
  }

  /** up to n items from the front, as chunks that keep their production time */
  private take(n: number): Chunk<T>[] {
    const out: Chunk<T>[] = [];
    let got = 0;
    while (got < n && this.queue.length) {
      const c = this.queue[0]!;
      const part = c.items.splice(0, n - got);
      out.push({ at: c.at, items: part });
      got += part.length;
      if (c.items.length === 0) this.queue.shift();
    }
    this.queued -= got;
    return out;
  }

  flush(): Promise<void> {
    if (this.sending) return this.sending;
    this.trim();
    if (this.queued === 0) return Promise.resolve();
    this.sending = (async () => {
      if (!this.ready) {
        if (!(await this.hooks.connect!())) return;
        this.ready = true;
      }
      while (this.queued) {
        const chunks = this.take(this.cfg.batch);
        const batch = chunks.flatMap((c) => c.items);
        this.batches++;
        const r = await this.hooks.send(batch);
        if (r === 'ok') this.written += batch.length;
        else if (r === 'drop') { this.lost += batch.length; this.rejectedBatches++; }
        else {
          // back to the front, in order and with their own age; the next flush cycle tries
          // again, and trim() gives up what outlives the retry window
          this.queue.unshift(...chunks);
          this.queued += batch.length;
          this.failedBatches++;
          break;
        }
      }
    })().finally(() => { this.sending = null; });
    return this.sending;
  }

  /** the last items: a few tries within a bounded time, so a dead or hung server never holds
   *  the exit; what is still queued or in flight at the deadline is lost */
  async stop(): Promise<RetryQueueCounts> {
    if (this.timer) clearInterval(this.timer);
    const deadline = Date.now() + this.cfg.stopTimeoutMs;
    // (these timers stay referenced: undici's own timers are not, and a run whose last pending
    // work is a write to a hung server would otherwise end with its main promise unsettled)
    while (this.queued > 0 && Date.now() < deadline) {
      let t: NodeJS.Timeout | undefined;
      await Promise.race([this.flush(), new Promise((r) => { t = setTimeout(r, Math.max(1, deadline - Date.now())); })]);
      clearTimeout(t);
      if (this.queued > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, Math.min(250, Math.max(1, deadline - Date.now()))));
    }
    // a send still in flight at the deadline is given up: its items count as lost, not written
    if (this.sending) this.lost += this.produced - this.written - this.lost - this.queued;
    if (this.queued) { this.lost += this.queued; this.queue = []; this.queued = 0; }
    return { produced: this.produced, written: this.written, lost: this.lost, batches: this.batches, failed_batches: this.failedBatches, rejected_batches: this.rejectedBatches };
  }
}
