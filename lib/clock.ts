// The machine's monotonic clock in milliseconds, as a double: process.hrtime's base (so other
// processes on the host, e.g. the simulator's ground truth, can compare) read through
// performance.now() (no BigInt allocated per read: hot paths stamp every chunk, and BigInt
// garbage showed up as GC pauses in the timings; docs/PERFORMANCE.md).
//
// The offset between the two is calibrated once per thread from paired reads. One pair taken
// as it came was off by however long the thread was descheduled between its two reads: on a
// busy 2-core machine a client stamped first tokens 0.66–0.70 ms *before* the simulator wrote
// them (CI, 2026-12-06: "first token read 0.698 ms before it was written"). So: hrtime before
// and after performance.now(), 25 times; the pair with the narrowest bracket wins (a stall
// widens its bracket, it cannot narrow it), the offset taken at its midpoint.
function calibrate(): number {
  let width = Infinity, offset = 0;
  for (let i = 0; i < 25; i++) {
    const a = process.hrtime.bigint();
    const p = performance.now();
    const b = process.hrtime.bigint();
    const w = Number(b - a);
    if (w < width) { width = w; offset = (Number(a) + w / 2) / 1e6 - p; }
  }
  return offset;
}
const OFFSET = calibrate();
export function monoMs(): number { return performance.now() + OFFSET; }
