// The machine's monotonic clock in milliseconds, as a double: process.hrtime's base (so other
// processes on the host, e.g. the simulator's ground truth, can compare) read through
// performance.now() (no BigInt allocated per read: hot paths stamp every chunk, and BigInt
// garbage showed up as GC pauses in the timings; docs/PERFORMANCE.md).
const OFFSET = Number(process.hrtime.bigint()) / 1e6 - performance.now();
export function monoMs(): number { return performance.now() + OFFSET; }
