// The start barrier: every shard loads its bundle and starts its VU threads, then waits for one
// wall-clock instant (--start-at) before its executors start. The shards never talk to each
// other; the assumption is clocks synchronised by NTP (cloud VMs and Kubernetes nodes are, to a
// few ms; docs/DISTRIBUTED.md). Each shard measures how far from the instant it started.
import { parseDuration } from '../../lib/duration.ts';
import { parseSequence, segmentString, type Segment } from '../segments.ts';
import { now } from '../clock.ts';
import { waitUntil } from '../../lib/wait.ts';
import type { StartReport } from './state.ts';

/** default tolerance: a shard that starts further than this from the instant says so */
export const START_TOLERANCE_MS = 100;

/** "2026-12-04T17:30:00Z" (RFC 3339) or "+30s" (from now) → epoch ms */
export function parseStartAt(s: string, tolerance?: string, nowMs: number = Date.now()): { targetEpochMs: number; toleranceMs: number } {
  const t = s.trim();
  let target: number;
  if (t.startsWith('+')) {
    try { target = nowMs + parseDuration(t.slice(1), '--start-at'); } catch { throw new Error(`invalid --start-at "${s}": use an RFC 3339 time (2026-12-04T17:30:00Z) or +DURATION (+30s)`); }
  } else {
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(t)) throw new Error(`invalid --start-at "${s}": use an RFC 3339 time with a zone (2026-12-04T17:30:00Z) or +DURATION (+30s)`);
    target = Date.parse(t);
    if (!Number.isFinite(target)) throw new Error(`invalid --start-at "${s}": not a date`);
  }
  let toleranceMs = START_TOLERANCE_MS;
  if (tolerance !== undefined) {
    try { toleranceMs = parseDuration(tolerance, '--start-tolerance'); } catch (e) { throw new Error((e as Error).message); }
  }
  return { targetEpochMs: target, toleranceMs };
}

/** waits for the executors' start (monotonic `startAt`) and reports the wall-clock skew */
export async function measureStart(b: { targetEpochMs: number; toleranceMs: number }, startAt: number): Promise<StartReport & { toleranceMs: number }> {
  await waitUntil(startAt, now);
  // sub-millisecond wall clock (Date.now() is whole milliseconds)
  const skew = Math.round((performance.timeOrigin + performance.now() - b.targetEpochMs) * 10) / 10;
  return { target: new Date(b.targetEpochMs).toISOString(), skew_ms: skew, tolerance_ms: b.toleranceMs, toleranceMs: b.toleranceMs, missed: Math.abs(skew) > b.toleranceMs };
}

/** --segment "a:b,b:c,…" with --shard-index i picks the i-th (an Indexed Job's pods share one
 *  command line and differ only in JOB_COMPLETION_INDEX) */
export function pickSegment(spec: string, index?: number): string {
  const list = spec.split(',').map((x) => x.trim()).filter(Boolean);
  if (index === undefined) {
    if (list.length > 1) throw new Error(`--segment lists ${list.length} segments: pick one with --shard-index N`);
    return list[0] ?? spec;
  }
  if (!(index >= 0 && index < list.length)) throw new Error(`--shard-index ${index} is outside the ${list.length} segments of --segment`);
  return list[index]!;
}

/** the segment must be one of the sequence's, and the names (if any) one per segment */
export function checkSequence(sequence: string, seg: Segment, names?: string): void {
  const pts = parseSequence(sequence);
  const segs = pts.slice(1).map((to, i) => segmentString({ from: pts[i]!, to }));
  if (!segs.includes(segmentString(seg))) throw new Error(`segment ${segmentString(seg)} is not one of the sequence's (${segs.join(', ')})`);
  if (names !== undefined && names.split(',').length !== segs.length) throw new Error(`--segment-names has ${names.split(',').length} names for the ${segs.length} segments of the sequence`);
}

/** the segments of a sequence, in order */
export function sequenceSegments(sequence: string): Segment[] {
  const pts = parseSequence(sequence);
  return pts.slice(1).map((to, i) => ({ from: pts[i]!, to }));
}
