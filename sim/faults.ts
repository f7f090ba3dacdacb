// Faults on demand: by rate (--fault KIND:RATE) or per request (header x-sim-fault: KIND).
// cut_done: the stream stops halfway with a clean end ([DONE], or message_stop) and no
// finish_reason / stop_reason, as a self-hosted server that interrupts a running generation
// for a newer request does (issue #18): the client must report it incomplete.
export const FAULT_KINDS = ['429', '500', '502', '503', '529', 'reset_before_headers', 'reset_mid_stream', 'stall', 'malformed_sse', 'error_event', 'slow_first_byte', 'cut_done'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function parseFault(s: string): { kind: FaultKind; rate: number } {
  const i = s.lastIndexOf(':');
  const kind = (i < 0 ? s : s.slice(0, i)) as FaultKind;
  const rate = i < 0 ? 1 : Number(s.slice(i + 1));
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown fault kind "${kind}": valid kinds are ${FAULT_KINDS.join(', ')}`);
  if (!(rate >= 0 && rate <= 1)) throw new Error(`invalid fault rate in "${s}": use KIND:RATE with RATE in 0..1, e.g. 500:0.05`);
  return { kind, rate };
}

export function isFault(s: string | undefined): s is FaultKind { return !!s && (FAULT_KINDS as readonly string[]).includes(s); }
