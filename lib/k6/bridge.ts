// The VU thread's side of the blocking bridge (engine/k6/, docs/K6_COMPAT.md): k6 scripts call
// http.post() or sleep() and get the answer back without `await`. Each k6-mode VU runs in a
// thread of its own; a blocking call posts a request to the thread that hosts the VU (which
// does the I/O on its event loop, timed as lib/llm times it) and waits on a shared counter
// with Atomics.wait until the answer is posted back. The engine installs the bridge on
// globalThis before it imports the script; lib/ only reads it here.
export interface WireRequest {
  method: string;
  url: string;
  body: string | Uint8Array | null;
  headers: Record<string, string>;
  tags: Record<string, string>;
  timeoutMs: number;
  responseType: 'text' | 'binary' | 'none';
  redirects: number;
  compression: string | null;
  /** expected statuses (http.setResponseCallback / expectedStatuses); null: k6's 200–399 */
  expected: Array<number | { min: number; max: number }> | null;
  /** the script asked for a raw SSE stream (k6/x/sse) */
  sse?: boolean;
}

export interface WireResponse {
  status: number;
  status_text: string;
  url: string;
  proto: string;
  headers: Record<string, string>;
  /** responseType "binary": the bytes; "text": the bytes too when `text` is set (decoded as UTF-8
   *  only if the script reads `res.body`), else a string; "none": null */
  body: string | Uint8Array | null;
  text?: boolean;
  timings: { blocked: number; connecting: number; tls_handshaking: number; sending: number; waiting: number; receiving: number; duration: number };
  error: string;
  error_code: number;
  remote_ip: string;
  remote_port: number;
}

/** What the SSE host posts back while a stream is open, then once at its end. */
export type SseMessage =
  | { type: 'open'; status: number; headers: Record<string, string> }
  | { type: 'event'; id: string; name: string; data: string }
  | { type: 'error'; error: string }
  | { type: 'end'; response: WireResponse };

/** thrown out of a blocking call when the host interrupted the iteration (gracefulStop over,
 *  ramp-down, hard stop): the iteration ends there, as in k6 (both VU models) */
export class Interrupted extends Error { constructor() { super('iteration interrupted'); } }

export interface Bridge {
  async?: false;
  /** one blocking round trip: a batch of requests in, their responses out */
  http(reqs: WireRequest[]): WireResponse[];
  /** the same, answered later: http.asyncRequest */
  httpAsync(req: WireRequest): Promise<WireResponse>;
  /** opens a stream and hands each message to `on` until it ends; `on` returns false to close */
  sse(req: WireRequest, on: (m: SseMessage) => boolean | void): void;
  /** blocks the VU for `ms` (k6's sleep) */
  sleep(ms: number): void;
}

/** The same calls, answered with Promises: many VUs share a thread, each VU's blocking calls
 *  awaited by the rewritten script (engine/k6/async/, docs/K6_COMPAT.md "Many VUs per thread").
 *  A call made after the iteration was interrupted (or one that it interrupted) rejects, which
 *  ends the iteration there, as a blocking call's return does in a thread of its own. */
export interface AsyncBridge {
  async: true;
  http(reqs: WireRequest[]): Promise<WireResponse[]>;
  httpAsync(req: WireRequest): Promise<WireResponse>;
  sse(req: WireRequest, on: (m: SseMessage) => boolean | void): Promise<void>;
  sleep(ms: number): Promise<void>;
}

export function bridge(): Bridge | AsyncBridge | undefined {
  return (globalThis as { __llmload_bridge?: Bridge | AsyncBridge }).__llmload_bridge;
}

export function needBridge(what: string): Bridge | AsyncBridge {
  const b = bridge();
  if (!b) throw new Error(`${what} can only be called inside a VU (the default function, setup or teardown), not in the init context or handleSummary`);
  return b;
}
