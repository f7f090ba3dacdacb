// Pure schedule math shared by the executors (docs/EXECUTORS.md has the formulas).
import type { Stage } from '../config/options.ts';
import { prng } from '../../lib/random.ts';
export { prng };

/** ramping-vus target at time t (ms from scenario start): linear within each stage, as k6. */
export function vusAt(t: number, startVUs: number, stages: Stage[]): number {
  let from = startVUs;
  let at = 0;
  for (const st of stages) {
    if (t < at + st.durationMs) {
      const f = st.durationMs === 0 ? 1 : (t - at) / st.durationMs;
      // k6 floors intermediate values: a VU starts once the line has reached it
      return Math.floor(from + (st.target - from) * f + 1e-9);
    }
    at += st.durationMs;
    from = st.target;
  }
  return from;
}


/** Gamma(k, 1) by Marsaglia & Tsang (2000), with the k < 1 boost Gamma(k) = Gamma(k+1)·U^(1/k) */
export function gamma(k: number, rand: () => number): number {
  if (k < 1) return gamma(k + 1, rand) * Math.pow(1 - rand(), 1 / k);
  const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      // a standard normal by Box–Muller
      x = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rand();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

interface Piece { t0: number; dur: number; r0: number; r1: number; cum0: number } // rates per ms

/**
 * Arrival i happens at Λ⁻¹(u_i), where Λ(t) = ∫₀ᵗ rate is the expected number of arrivals by
 * t and u_i = i (evenly spaced, k6's arrival-rate executors: the first at t = 0) or, with
 * `poisson`, u_i = E_1 + … + E_i with E ~ Exp(1) from a seeded PRNG (a Poisson process of the
 * same mean rate; for ramping rates this is the time-change construction of an
 * inhomogeneous Poisson process). With a burstiness k (vLLM's `--burstiness`), E ~ Gamma(k, 1/k):
 * mean 1 (the same rate), coefficient of variation 1/√k — k = 1 is Poisson, k < 1 burstier,
 * k > 1 smoother.
 */
export class ArrivalSchedule {
  private pieces: Piece[] = [];
  private total = 0;
  private u = 0;
  private i = 0;
  private readonly rand: (() => number) | null;
  readonly endMs: number;

  private readonly shape: number;

  /** `random`: false for even spacing, true for Poisson, or a gamma burstiness k > 0 */
  constructor(startRate: number, stages: Stage[], timeUnitMs: number, random: boolean | number, seed: number) {
    this.shape = random === true ? 1 : random === false ? 0 : random;
    let t = 0, r = startRate / timeUnitMs, cum = 0;
    for (const st of stages) {
      const r1 = st.target / timeUnitMs;
      this.pieces.push({ t0: t, dur: st.durationMs, r0: r, r1, cum0: cum });
      cum += ((r + r1) / 2) * st.durationMs;
      t += st.durationMs;
      r = r1;
    }
    this.total = cum;
    this.endMs = t;
    this.rand = this.shape > 0 ? prng(seed) : null;
    this.u = this.shape > 0 ? this.exp() : 0;
  }

  static constant(rate: number, durationMs: number, timeUnitMs: number, random: boolean | number, seed: number): ArrivalSchedule {
    return new ArrivalSchedule(rate, [{ durationMs, target: rate }], timeUnitMs, random, seed);
  }

  /** the next gap in expected-arrival units: Exp(1), or Gamma(k, 1/k) */
  private exp(): number { return this.shape === 1 ? -Math.log(1 - this.rand!()) : gamma(this.shape, this.rand!) / this.shape; }

  /** Index of the arrival that next() will return. */
  get index(): number { return this.i; }

  /** Time (ms from scenario start) of the next arrival, or null when the schedule is over. */
  next(): number | null {
    if (this.u >= this.total - 1e-9 && !(this.u === 0 && this.total > 0)) return null;
    const t = this.invert(this.u);
    if (t === null || t >= this.endMs) return null;
    this.i++;
    this.u = this.rand ? this.u + this.exp() : this.i;
    return t;
  }

  private invert(u: number): number | null {
    for (const p of this.pieces) {
      const cum1 = p.cum0 + ((p.r0 + p.r1) / 2) * p.dur;
      if (u < cum1 - 1e-12 || (u === 0 && p.r0 > 0)) {
        const x = u - p.cum0; // arrivals needed inside this piece
        const a = (p.r1 - p.r0) / (2 * p.dur); // cum(τ) = r0·τ + a·τ²
        let tau: number;
        if (Math.abs(a) < 1e-15) tau = p.r0 > 0 ? x / p.r0 : 0;
        else tau = (-p.r0 + Math.sqrt(Math.max(0, p.r0 * p.r0 + 4 * a * x))) / (2 * a);
        return p.t0 + tau;
      }
    }
    return null;
  }
}
