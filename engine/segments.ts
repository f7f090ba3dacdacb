// Execution segments (k6 semantics: https://grafana.com/docs/k6/latest/using-k6/k6-options/reference/#execution-segment).
// A segment "a:b" is a slice [a, b) of the test's work. Any set of segments that partition
// [0, 1) must together run exactly the unsegmented schedule, whichever host runs which, and
// without the hosts talking to each other. Two rules give that (docs/EXECUTORS.md):
//  - static counts (VUs, shared iterations): scale(N) = floor(N·b) − floor(N·a); the
//    floors telescope, so the shares of a partition sum to N exactly;
//  - streams of items (arrival-rate iterations): item i belongs to the segment containing
//    the point x_i = (i·G mod M)/M, a Weyl sequence with M = 720720 (lcm of 1..16) and G
//    coprime to M near M/φ. Every point lies in exactly one segment (exact partition), a
//    segment whose denominator divides M owns exactly (b−a)·M items of every M, and the
//    golden-ratio step spreads each segment's items evenly in time.

export interface Fraction { n: number; d: number }
export interface Segment { from: Fraction; to: Fraction }

export class SegmentError extends Error {}

const M = 720720;
const G = 445433; // coprime to 720720, ≈ M/φ (golden ratio), so points are well spread

function gcd(a: number, b: number): number { while (b) [a, b] = [b, a % b]; return Math.abs(a); }
function frac(n: number, d: number): Fraction { const g = gcd(n, d) || 1; return { n: n / g, d: d / g }; }

export function parseFraction(s: string): Fraction {
  const t = s.trim();
  let m = /^(\d+)\/(\d+)$/.exec(t);
  if (m) { const d = Number(m[2]); if (d === 0) throw new SegmentError(`bad fraction "${s}": zero denominator`); return frac(Number(m[1]), d); }
  m = /^(\d+)%$/.exec(t);
  if (m) return frac(Number(m[1]), 100);
  m = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (m) { const dec = m[2] ?? ''; const d = 10 ** dec.length; return frac(Number(m[1]) * d + (dec ? Number(dec) : 0), d); }
  throw new SegmentError(`bad fraction "${s}": use a/b, a decimal or a percentage, e.g. 1/3, 0.5, 25%`);
}

const val = (f: Fraction) => f.n / f.d;

/** "a:b" or "b" (meaning 0:b), k6's --execution-segment syntax. */
export function parseSegment(s: string): Segment {
  const parts = s.split(':');
  if (parts.length > 2) throw new SegmentError(`bad segment "${s}": use from:to, e.g. 0:1/3 or 1/3:2/3`);
  const from = parts.length === 2 ? parseFraction(parts[0]!) : { n: 0, d: 1 };
  const to = parseFraction(parts[parts.length - 1]!);
  if (!(val(from) >= 0 && val(to) <= 1 && val(from) < val(to))) throw new SegmentError(`bad segment "${s}": need 0 <= from < to <= 1`);
  return { from, to };
}

/** "0,1/3,2/3,1" — k6's --execution-segment-sequence. */
export function parseSequence(s: string): Fraction[] {
  const pts = s.split(',').map(parseFraction);
  for (let i = 1; i < pts.length; i++) if (val(pts[i]!) <= val(pts[i - 1]!)) throw new SegmentError(`bad segment sequence "${s}": points must increase`);
  if (pts.length < 2 || val(pts[0]!) !== 0 || val(pts[pts.length - 1]!) !== 1) throw new SegmentError(`bad segment sequence "${s}": must run from 0 to 1`);
  return pts;
}

export const FULL: Segment = { from: { n: 0, d: 1 }, to: { n: 1, d: 1 } };

export function segmentString(s: Segment): string {
  const f = (x: Fraction) => (x.n === 0 ? '0' : x.d === 1 ? String(x.n) : `${x.n}/${x.d}`);
  return `${f(s.from)}:${f(s.to)}`;
}

/** Splits a segment into k equal sub-segments (one per worker thread). */
export function split(seg: Segment, k: number): Segment[] {
  const a = seg.from, b = seg.to;
  const out: Segment[] = [];
  // a + (b−a)·i/k as an exact fraction
  const at = (i: number): Fraction => frac(a.n * b.d * k + (b.n * a.d - a.n * b.d) * i, a.d * b.d * k);
  for (let i = 0; i < k; i++) out.push({ from: at(i), to: at(i + 1) });
  return out;
}

/** Exact share of a static count: floor(N·to) − floor(N·from), in integer arithmetic. */
export function scale(n: number, seg: Segment): number {
  const fl = (f: Fraction) => Math.floor((n * f.n) / f.d);
  return fl(seg.to) - fl(seg.from);
}

/** Whether the i-th item of a stream (0-based) belongs to this segment. */
export function owns(i: number, seg: Segment): boolean {
  const x = Number((BigInt(i) * BigInt(G)) % BigInt(M));
  // compare x/M with from and to exactly: x·d vs n·M
  return x * seg.from.d >= seg.from.n * M && x * seg.to.d < seg.to.n * M;
}

/** Fast path for owns() with a precomputed [lo, hi) window on the M-grid. */
export function ownership(seg: Segment): (i: number) => boolean {
  const lo = Math.ceil((seg.from.n * M) / seg.from.d);
  const hi = Math.ceil((seg.to.n * M) / seg.to.d);
  return (i: number) => {
    // i·G mod M without overflow: i < 2^53 / G would be ~2e10 items; split i to stay exact
    const x = ((i % M) * G) % M;
    return x >= lo && x < hi;
  };
}

/**
 * A striped VU count: how many of the global VUs 0…n−1 a thread owns, growing with n (never
 * dipping as scale() can: floor(5·0.8) − floor(5·0.5) = 2, then 1 at n = 6). The shards of a
 * sequence take the global indices in a pattern that repeats every L (the lcm of the
 * sequence's denominators), built by smooth weighted round robin, so every prefix gives each
 * shard its exact share ± 1 (50/30/20: 2/1/1 at n = 4, 10/6/4 at n = 20); a shard's threads
 * then take its indices in turn. L beyond 100,000 falls back to the arrivals' Weyl striping.
 */
export function stripedCounter(sequence: Fraction[] | null, shard: Segment, thread: number, threads: number): (n: number) => number {
  const pts = sequence ?? [{ n: 0, d: 1 }, shard.from, shard.to, { n: 1, d: 1 }].filter((p, i, a) => i === 0 || val(p) > val(a[i - 1]!));
  const mine = pts.findIndex((p, i) => i + 1 < pts.length && val(p) === val(shard.from) && val(pts[i + 1]!) === val(shard.to));
  const L = pts.reduce((l, p) => (l * p.d) / gcd(l, p.d), 1);
  let shardCount: (n: number) => number;
  if (mine < 0 || L > 100_000) {
    const own = ownership(shard);
    const prefix = [0];
    shardCount = (n) => { while (prefix.length <= n) prefix.push(prefix[prefix.length - 1]! + (own(prefix.length - 1) ? 1 : 0)); return prefix[n]!; };
  } else {
    const w = pts.slice(1).map((to, i) => Math.round((val(to) - val(pts[i]!)) * L));
    const cur = w.map(() => 0);
    const perCycle: number[] = [0]; // perCycle[j]: how many of the first j indices of a cycle are mine
    for (let j = 0; j < L; j++) {
      let best = 0;
      for (let k = 0; k < w.length; k++) { cur[k]! += w[k]!; if (cur[k]! > cur[best]!) best = k; }
      cur[best]! -= L;
      perCycle.push(perCycle[j]! + (best === mine ? 1 : 0));
    }
    shardCount = (n) => Math.floor(n / L) * perCycle[L]! + perCycle[n % L]!;
  }
  return (n) => Math.floor((shardCount(n) + threads - 1 - thread) / threads);
}
