// One HTTP attempt of an LLM call: send, read the stream (or JSON) through the dialect's
// reader, stamp raw timings where they happen, classify the failure. chat() loops over attempts
// (retries); k6/http and k6/x/sse requests to LLM endpoints (engine/k6) make exactly one.
import { SseParser } from './sse.ts';
import { dialect as getDialect } from './dialects/index.ts';
import { classifyHttpError, RETRYABLE } from './errors.ts';
import type { RawTimings } from './timing.ts';
import type { Transport } from './transport.ts';
import { monoMs } from '../clock.ts';
import type { EventVerdict, LlmError, ReadResult } from './types.ts';
import type { ConnectTiming } from './connect-timing.ts';

/** a non-streamed response larger than this ends the call as malformed (a completion is KBs) */
export const MAX_JSON_BODY = 32 << 20;

export interface AttemptTimeouts { connect: number; headers: number; idle: number; total: number }

/** Extras a caller may ask of one attempt; chat() asks none (its hot path stays as it was). */
export interface AttemptExtras {
  /** every body chunk as it arrives (k6/http keeps the body, k6/x/sse parses its events):
   *  buf[start, end), valid during the call only (a transport may read into one buffer per
   *  connection, lib/llm/h1/connection.ts): copy what you keep */
  onChunk?(buf: Buffer, start: number, end: number, at: number): void;
  /** the response's status and headers as they arrive (k6/x/sse fires `open` here) */
  onHeaders?(status: number, headers: Record<string, string>): void;
  method?: string;
}

export interface Attempt {
  status: number;
  headers: Record<string, string>;
  read: ReadResult | null;
  raw: RawTimings;
  error: (LlmError & { retry: boolean; retryAfterMs: number | null }) | null;
  bytesIn: number;
  /** connection set-up this attempt waited for (null: it reused a pooled connection) */
  connect: ConnectTiming | null;
  /** times the request went out again on a new connection because the server closed the reused
   *  one before answering (the idle-close race; not a retry, not an error: llm_conn_resends) */
  resent: number;
}

export function attemptOnce(transport: Transport, url: URL, headers: Record<string, string>, body: string, stream: boolean, dialectName: string, t: AttemptTimeouts, signal: AbortSignal | undefined, extras?: AttemptExtras): Promise<Attempt> {
  const d = getDialect(dialectName);
  return new Promise<Attempt>((resolve) => {
    const t0 = monoMs();
    const raw: RawTimings = { queued: t0, dispatch: t0, headers: null, firstByte: null, firstOutput: null, firstAnswer: null, lastOutput: null, end: null, outputs: [] };
    const a: Attempt = { status: 0, headers: {}, read: null, raw, error: null, bytesIn: 0, connect: null, resent: 0 };
    const onChunk = extras?.onChunk;
    let reader = stream ? d.stream() : null;
    let errBody = '';
    let jsonBody = '';
    let isError = false;
    let isSse = false;
    let now: number = raw.dispatch;
    let fatal = false;
    // a limit broken (SSE line or event, JSON body: lib/llm/sse.ts SSE_LIMITS, MAX_JSON_BODY)
    let tooBig: string | null = null;
    let req: { abort(): void } | null = null;
    const verdict = (v: EventVerdict) => {
      if (v.output) {
        if (raw.firstOutput === null) raw.firstOutput = now;
        if (!v.reasoning && raw.firstAnswer === null) raw.firstAnswer = now;
        raw.lastOutput = now;
        raw.outputs.push(now);
      }
      if (v.fatal) { fatal = true; parser.stopped = true; raw.end = now; finishRead(); req?.abort(); }
    };
    const parser = new SseParser({
      event: (e) => { if (!fatal && reader) verdict(reader.onEvent(e.event, e.data)); },
      // no fatal/reader guard needed: a fatal verdict stops the parser, and nothing is pushed
      // once the reader is dropped (onHeaders, before any data)
      overflow: (what) => { if (fatal) return; tooBig = what; fatal = true; raw.end = now; finishRead(); req?.abort(); },
      bytes: reader?.onDataBytes ? (buf, s, e, es, ee) => {
        const v = reader!.onDataBytes!(buf, s, e, es, ee);
        if (!v) return false;
        verdict(v);
        return true;
      } : undefined,
    });
    let finished = false;
    const finishRead = () => {
      if (finished) return;
      finished = true;
      if (isError) {
        const info = classifyHttpError(a.status, a.headers, errBody);
        a.error = { kind: info.kind, message: info.message, status: a.status, retry: info.retry, retryAfterMs: info.retryAfterMs };
      } else if (reader) {
        a.read = reader.finish();
      } else {
        try { a.read = d.parseJson(jsonBody); }
        catch { a.read = null; a.error = { kind: 'protocol', message: `response is not valid JSON: ${jsonBody.slice(0, 120)}`, status: a.status, retry: false, retryAfterMs: null }; }
        if (a.read && a.read.outputEvents > 0 && raw.end) { raw.firstOutput = raw.end; raw.lastOutput = raw.end; if (a.read.content || a.read.toolCalls.length) raw.firstAnswer = raw.end; }
      }
      if (tooBig) a.error = { kind: 'protocol', message: `malformed response: ${tooBig}`, status: a.status, retry: false, retryAfterMs: null };
      resolve(a);
    };
    req = transport.send({ url, method: extras?.method ?? 'POST', headers, body, connectTimeoutMs: t.connect, headersTimeoutMs: t.headers, idleTimeoutMs: t.idle, totalTimeoutMs: t.total, signal }, {
      // a re-sent request (onResent) is timed from its second dispatch; the first try's few
      // milliseconds land in http_req_blocked (queued → dispatch), as a connection wait does
      onSent(at, connect) { raw.dispatch = at; a.connect = connect ?? null; },
      onResent() { a.resent++; },
      onHeaders(status, h, at) {
        raw.headers = at;
        a.status = status;
        a.headers = h;
        isError = status >= 300;
        isSse = (h['content-type'] ?? '').includes('text/event-stream');
        if (!isError && stream && !isSse) reader = null; // server ignored stream:true; read JSON
        extras?.onHeaders?.(status, h);
      },
      onData(buf, s, e, at) {
        if (raw.firstByte === null) raw.firstByte = at;
        a.bytesIn += e - s;
        if (onChunk) onChunk(buf, s, e, at);
        now = at;
        if (isError) { if (errBody.length < 65536) errBody += buf.toString('utf8', s, e); return; }
        if (fatal) return; // the call is over (a fatal event, a limit); what still arrives is dropped
        if (reader) parser.push(buf, s, e);
        else {
          jsonBody += buf.toString('utf8', s, e);
          if (jsonBody.length > MAX_JSON_BODY && !fatal) { tooBig = `a JSON body over ${MAX_JSON_BODY} bytes`; jsonBody = ''; fatal = true; raw.end = at; finishRead(); req?.abort(); }
        }
      },
      onEnd(at) {
        if (fatal) return;
        raw.end = at;
        now = at;
        if (reader) parser.end();
        finishRead();
      },
      onError(kind, message, at, connectPhase) {
        if (finished) return;
        raw.end = at;
        finished = true;
        // a reset or stall after HTTP 200 keeps what was read so far (content is partial)
        if (reader && a.status && !isError) a.read = reader.finish();
        a.error = { kind, message, status: a.status || undefined, retry: RETRYABLE.has(kind) || connectPhase, retryAfterMs: null };
        resolve(a);
      },
    });
  });
}
