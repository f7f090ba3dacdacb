// Raw timestamps recorded where they happen (process.hrtime.bigint, ns); every derived
// number comes from these afterwards (docs/METRICS.md).
export interface RawTimings {
  /** chat() handed the request to the transport */
  queued: bigint;
  /** the transport began writing it on a connected socket: TTFT and e2e start here, so
   *  connection set-up and pool waits (client-side) are not charged to the server */
  dispatch: bigint;
  headers: bigint | null;
  firstByte: bigint | null;
  firstOutput: bigint | null;
  lastOutput: bigint | null;
  end: bigint | null;
  /** arrival time of every output event, in order (for ITL) */
  outputs: bigint[];
}

export interface Timings {
  /** absolute times, ms on the process's monotonic clock (hrtime / 1e6) */
  queued: number; connectMs: number; dispatch: number; headers: number | null; firstOutput: number | null; lastOutput: number | null; end: number | null;
  ttftMs: number | null; e2eMs: number | null; itlMs: number[]; tpotMs: number | null; decodeMs: number | null;
}

const ms = (t: bigint | null) => (t === null ? null : Number(t) / 1e6);
const diff = (a: bigint | null, b: bigint) => (a === null ? null : Number(a - b) / 1e6);

export function derive(t: RawTimings, outputTokens: number | null): Timings {
  const itl: number[] = [];
  for (let i = 1; i < t.outputs.length; i++) itl.push(Number(t.outputs[i]! - t.outputs[i - 1]!) / 1e6);
  const ttft = diff(t.firstOutput, t.dispatch);
  const e2e = diff(t.end, t.dispatch);
  // TPOT = (e2e − ttft) / (output_tokens − 1): the mean time per output token after the first
  const tpot = ttft !== null && e2e !== null && outputTokens !== null && outputTokens > 1 ? (e2e - ttft) / (outputTokens - 1) : null;
  return {
    queued: ms(t.queued)!, connectMs: Number(t.dispatch - t.queued) / 1e6, dispatch: ms(t.dispatch)!, headers: ms(t.headers), firstOutput: ms(t.firstOutput), lastOutput: ms(t.lastOutput), end: ms(t.end),
    ttftMs: ttft, e2eMs: e2e, itlMs: itl, tpotMs: tpot, decodeMs: ttft !== null && e2e !== null ? e2e - ttft : null,
  };
}
