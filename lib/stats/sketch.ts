// A mergeable log-bucket quantile sketch (the DDSketch idea: Masson, Rim & Lee, VLDB 2019,
// https://arxiv.org/abs/1908.10693). A positive value v goes to bucket ceil(log_γ v) with
// γ = (1+α)/(1−α); answering a quantile with the bucket's midpoint 2γ^i/(γ+1) is within
// relative error α of the true sample at that rank. Buckets are dense counts in a typed
// array that grows both ways, so add() is one log, one multiply and one increment, and
// merging two sketches (workers, intervals, shards) is adding arrays: exact, order-free.
// α = 0.5 % keeps quantiles within 1 % of exact even after interpolation differences.

export const ALPHA = 0.005;
const GAMMA = (1 + ALPHA) / (1 - ALPHA);
const INV_LN_GAMMA = 1 / Math.log(GAMMA);
const MIN_POSITIVE = 1e-6; // values below go to the zero bucket (ms-based metrics: < 1 ns is 0)

export interface SketchData { count: number; sum: number; min: number; max: number; zero: number; offset: number; bins: number[]; neg?: SketchData }

export class Sketch {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  zero = 0;
  private offset = 0; // bucket index of bins[0]
  private bins: Float64Array = new Float64Array(0);
  private neg: Sketch | null = null; // negative values, mirrored (rare: custom Trends only)

  add(v: number, n = 1): void {
    this.count += n;
    this.sum += v * n;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v < MIN_POSITIVE) {
      if (v > -MIN_POSITIVE) { this.zero += n; return; }
      (this.neg ??= new Sketch()).addBucket(bucketOf(-v), n);
      return;
    }
    this.addBucket(bucketOf(v), n);
  }

  private addBucket(k: number, n: number): void {
    let i = k - this.offset;
    if (i < 0 || i >= this.bins.length) { this.grow(k); i = k - this.offset; }
    this.bins[i]! += n;
  }

  private grow(k: number): void {
    const len = this.bins.length;
    if (len === 0) { this.offset = k - 64; this.bins = new Float64Array(128); return; }
    // grow toward k only, by what is needed plus a margin: the array never spans more than
    // the values seen (±64 buckets). (Doubling here once made a sketch fed ever smaller
    // values grow geometrically to a gigabyte; docs/PERFORMANCE.md.)
    const lo = Math.min(this.offset, k - 64);
    const hi = Math.max(this.offset + len, k + 65);
    const next = new Float64Array(hi - lo);
    next.set(this.bins, this.offset - lo);
    this.offset = lo;
    this.bins = next;
  }

  /** Value at quantile q in [0, 1] (k6's p(N) uses q = N/100). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    if (q <= 0) return this.min;
    if (q >= 1) return this.max;
    const rank = q * (this.count - 1);
    let seen = 0;
    const negCount = this.neg ? this.neg.count : 0;
    if (negCount > 0 && rank < negCount) {
      // walk negative buckets from the most negative (largest magnitude) up
      return -this.neg!.valueAtRankFromTop(rank);
    }
    seen += negCount;
    if (rank < seen + this.zero) return 0;
    seen += this.zero;
    const bins = this.bins;
    for (let i = 0; i < bins.length; i++) {
      seen += bins[i]!;
      if (seen > rank) return clamp(valueOf(i + this.offset), this.min, this.max);
    }
    return this.max;
  }

  private valueAtRankFromTop(rank: number): number {
    let seen = 0;
    for (let i = this.bins.length - 1; i >= 0; i--) {
      seen += this.bins[i]!;
      if (seen > rank) return valueOf(i + this.offset);
    }
    return this.min;
  }

  get avg(): number { return this.count ? this.sum / this.count : 0; }

  merge(o: Sketch | SketchData): void {
    const d = o instanceof Sketch ? o.toJSON() : o;
    if (d.count === 0) return;
    this.count += d.count;
    this.sum += d.sum;
    if (d.min < this.min) this.min = d.min;
    if (d.max > this.max) this.max = d.max;
    this.zero += d.zero;
    for (let i = 0; i < d.bins.length; i++) if (d.bins[i]) this.addBucket(d.offset + i, d.bins[i]!);
    if (d.neg && d.neg.count) (this.neg ??= new Sketch()).merge(d.neg);
  }

  toJSON(): SketchData {
    // trim empty edges so snapshots stay small
    let a = 0, b = this.bins.length;
    while (a < b && this.bins[a] === 0) a++;
    while (b > a && this.bins[b - 1] === 0) b--;
    const out: SketchData = { count: this.count, sum: this.sum, min: this.min, max: this.max, zero: this.zero, offset: this.offset + a, bins: Array.from(this.bins.subarray(a, b)) };
    if (this.neg && this.neg.count) out.neg = this.neg.toJSON();
    return out;
  }

  static from(d: SketchData): Sketch { const s = new Sketch(); s.merge(d); return s; }

  /** Drops the empty buckets around the used range: a sketch that will not grow again (a
   *  closed 1-second interval) shrinks from ≥ 1 KB (128 buckets and a margin) to its few
   *  used buckets. Measured: a 30-minute soak's runner grew 264 → 613 MB keeping every
   *  interval's sketches at full size (docs/PERFORMANCE.md). Adding after this still works. */
  compact(): void {
    let a = 0, b = this.bins.length;
    while (a < b && this.bins[a] === 0) a++;
    while (b > a && this.bins[b - 1] === 0) b--;
    if (a > 0 || b < this.bins.length) { this.bins = this.bins.slice(a, b); this.offset += a; }
    this.neg?.compact();
  }

  /** Non-empty buckets as [lower, upper, count] for histograms in reports. */
  buckets(): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    if (this.zero) out.push([0, 0, this.zero]);
    for (let i = 0; i < this.bins.length; i++) {
      const c = this.bins[i]!;
      if (c) { const k = i + this.offset; out.push([GAMMA ** (k - 1), GAMMA ** k, c]); }
    }
    return out;
  }
}

function bucketOf(v: number): number { return Math.ceil(Math.log(v) * INV_LN_GAMMA); }
function valueOf(k: number): number { return (2 * GAMMA ** k) / (GAMMA + 1); }
function clamp(v: number, lo: number, hi: number): number { return v < lo ? lo : v > hi ? hi : v; }
