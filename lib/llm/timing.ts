// Raw timestamps recorded where they happen (lib/clock.ts monoMs: the monotonic clock in ms as
// a double, sub-µs resolution, no allocation); every derived
// number comes from these afterwards (docs/METRICS.md).
export interface RawTimings {
  /** chat() handed the request to the transport */
  queued: number;
  /** the transport began writing it on a connected socket: TTFT and e2e start here, so
   *  connection set-up and pool waits (client-side) are not charged to the server */
  dispatch: number;
  headers: number | null;
  firstByte: number | null;
  firstOutput: number | null;
  /** the first output that is answer, not reasoning (content or a tool call): TTFO */
  firstAnswer?: number | null;
  lastOutput: number | null;
  end: number | null;
  /** arrival time of every output event, in order (for ITL) */
  outputs: number[];
}

export interface Timings {
  /** absolute times, ms on the process's monotonic clock (hrtime / 1e6) */
  queued: number; connectMs: number; dispatch: number; headers: number | null; firstOutput: number | null; lastOutput: number | null; end: number | null;
  ttftMs: number | null;
  /** time to the first answer token (not reasoning); equals TTFT for a model that does not reason */
  ttfoMs: number | null;
  e2eMs: number | null; itlMs: number[]; tpotMs: number | null; decodeMs: number | null;
  /** output events of the stream (ITL is per event; tokens per event = output tokens / events) */
  outputEvents: number;
}

const ms = (t: number | null) => t;
const diff = (a: number | null, b: number) => (a === null ? null : a - b);

export function derive(t: RawTimings, outputTokens: number | null): Timings {
  const itl: number[] = [];
  for (let i = 1; i < t.outputs.length; i++) itl.push(t.outputs[i]! - t.outputs[i - 1]!);
  const ttft = diff(t.firstOutput, t.dispatch);
  const e2e = diff(t.end, t.dispatch);
  // decode: first output token to the last one — not to stream close: a usage chunk or [DONE]
  // sent late is not decoding, and must not make a provider look slower per token (vLLM's
  // serving benchmark measures the same way since 2024; docs/METRICS.md, "Definitions"). e2e
  // keeps ending at stream close.
  const decode = t.firstOutput !== null && t.lastOutput !== null ? t.lastOutput - t.firstOutput : null;
  // TPOT = decode / (output_tokens − 1): the mean time per output token after the first
  const tpot = decode !== null && outputTokens !== null && outputTokens > 1 ? decode / (outputTokens - 1) : null;
  return {
    queued: ms(t.queued)!, connectMs: t.dispatch - t.queued, dispatch: ms(t.dispatch)!, headers: ms(t.headers), firstOutput: ms(t.firstOutput), lastOutput: ms(t.lastOutput), end: ms(t.end),
    ttftMs: ttft, ttfoMs: diff(t.firstAnswer ?? null, t.dispatch), e2eMs: e2e, itlMs: itl, tpotMs: tpot, decodeMs: decode,
    outputEvents: t.outputs.length,
  };
}

/** k6's HTTP phases (ms), from raw stamps and the connection set-up the request waited for
 *  (docs/METRICS.md, "HTTP phases"). duration = sending + waiting + receiving, as in k6. */
export interface Phases { blocked: number; connecting: number; tls_handshaking: number; sending: number; waiting: number; receiving: number; duration: number }

export function phases(t: RawTimings, connect: { start: number; tcp: number; tls: number | null } | null): Phases {
  const connecting = connect ? Math.max(0, connect.tcp - connect.start) : 0;
  const tls = connect && connect.tls !== null ? Math.max(0, connect.tls - connect.tcp) : 0;
  // blocked: queued until written, less the set-up it waited for (pool wait, DNS)
  const blocked = Math.max(0, t.dispatch - t.queued - connecting - tls);
  // undici's handler API has no "request body written" event: the body of an LLM request is a
  // few KB written in one go, so sending is reported as 0 and counted in waiting (K6_COMPAT.md)
  const sending = 0;
  const waiting = t.headers !== null ? t.headers - t.dispatch : t.end !== null ? t.end - t.dispatch : 0;
  const receiving = t.headers !== null && t.end !== null ? t.end - t.headers : 0;
  return { blocked, connecting, tls_handshaking: tls, sending, waiting, receiving, duration: sending + waiting + receiving };
}
