// Executes k6/http and k6/x/sse requests for a blocked VU thread, on the hosting thread's event
// loop (docs/K6_COMPAT.md). Records k6's http_req_* metrics with k6's tags; a request to a
// chat-completions or messages endpoint is also read by the dialect's reader and recorded as
// chat() records it (lib/llm/outcome.ts): TTFT and ITL stamped on arrival, tokens, cost, error
// kinds. The body goes out exactly as the script wrote it (no include_usage added: k6 sends
// what it is given).
import { gzipSync, deflateSync, brotliCompressSync, gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { WireRequest, WireResponse, SseMessage } from '../../lib/k6/bridge.ts';
import { attemptOnce, type AttemptTimeouts } from '../../lib/llm/attempt.ts';
import { recordOutcome } from '../../lib/llm/outcome.ts';
import { recordEmbedOutcome } from '../../lib/llm/embed.ts';
import { budgetExhausted } from '../../lib/llm/spend.ts';
import { phases, type RawTimings } from '../../lib/llm/timing.ts';
import { M, recordPhases } from '../../lib/llm/metrics.ts';
import { undiciTransport } from '../../lib/llm/transport.ts';
import { runTransport } from '../../lib/llm/chat.ts';
import { requestTags, sharedTags, tagsKey, withStatus } from '../../lib/llm/shared-tags.ts';
import { dialect as getDialect } from '../../lib/llm/dialects/index.ts';
import { SseParser } from '../../lib/llm/sse.ts';
import { TextSink } from '../../lib/llm/text-sink.ts';
import { Memo } from '../../lib/memo.ts';
import type { ConnectTiming } from '../../lib/llm/connect-timing.ts';
import type { ErrorKind } from '../../lib/llm/types.ts';
import { PROVIDERS } from '../../lib/providers/registry.ts';
import { monoMs } from '../../lib/clock.ts';
import { runtime, type Tags } from '../../lib/runtime.ts';
import { applyRedirects, type RedirectRule } from './redirect.ts';

export interface HostContext {
  redirects: RedirectRule[];
  env: Record<string, string>;
  userAgent: string;
  /** cached on first use */
  simOrigin?: string | null;
}

/** The metrics lib/llm records, declared in this runtime (the host never imports the script's
 *  copy of lib, which declares them where the script runs). */
export function declareHttpMetrics(): void {
  const rt = runtime();
  for (const m of Object.values(M)) rt.declare(m.name, m.type, m.contains);
  rt.declare('sse_event', 'counter', 'default');
}

// Go's CanonicalMIMEHeaderKey, as k6 shows response headers: "retry-after" → "Retry-After"
export function canonicalHeader(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

const canonical = new Memo<string>(1024);
// "200 OK", once per status code
const statusLines: Record<number, string> = {};
const statusLine = (status: number) => (statusLines[status] ??= status ? `${status} ${STATUS_TEXT[status] ?? ''}`.trim() : '');

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 413: 'Payload Too Large', 422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout', 529: 'Overloaded' };

/** k6's error codes (https://grafana.com/docs/k6/latest/javascript-api/error-codes/) */
export function k6ErrorCode(status: number, kind: ErrorKind | null, message: string): { error: string; code: number } {
  if (kind) {
    switch (kind) {
      case 'timeout_total': case 'timeout_headers': case 'stall': return { error: 'request timeout', code: 1050 };
      case 'timeout_connect': return { error: `dial: i/o timeout`, code: 1211 };
      case 'aborted': return { error: 'request aborted (the iteration was interrupted)', code: 1000 };
      case 'network': return /ECONNREFUSED/.test(message) ? { error: `dial: connection refused`, code: 1212 } : /ENOTFOUND|EAI_AGAIN/.test(message) ? { error: `lookup: no such host`, code: 1101 } : { error: message, code: 1000 };
      default: return { error: message, code: 1000 };
    }
  }
  if (status >= 400 && status < 600) return { error: '', code: 1000 + status };
  return { error: '', code: 0 };
}

function isExpected(status: number, expected: WireRequest['expected']): boolean {
  if (expected === null) return status >= 200 && status < 400;
  return expected.some((e) => (typeof e === 'number' ? e === status : status >= e.min && status <= e.max));
}

// first match wins: /chat/completions before the text-completions path it ends like
const LLM_PATHS: Array<[RegExp, string]> = [[/\/chat\/completions\/?$/, 'openai-chat'], [/\/messages\/?$/, 'anthropic-messages'], [/\/responses\/?$/, 'openai-responses'], [/\/completions\/?$/, 'openai-completions'], [/\/embeddings\/?$/, 'openai-embeddings']];

interface LlmTarget { dialect: string; body: Record<string, unknown>; model: string; stream: boolean; provider: string; cnyPerUsd?: number }

// a script sends the same few bodies again and again (one prompt, or a list to pick from): the
// parsed body and the provider lookup are kept per body and target; a body made up per request
// misses and is parsed as before. Bodies over 16 KB are not kept (the memo's memory stays small).
const targets = new Memo<LlmTarget | null>(256);
const urls = new Memo<{ original: URL; u: URL }>(1024);
const MAX_MEMO_BODY = 16 * 1024;
// a kept body's first buffer: a streamed completion of ~50 tokens is ~15 KB of SSE. Each growth
// allocates a new native buffer, and V8 counts native memory towards starting a mark-compact:
// growing from 1 KB (1, 2, 4, … 32 KB: ~70 KB per request) brought 8–19 ms mark-compacts every
// 1.3–1.7 s at 200 VUs; from 16 KB, one 16 KB buffer per such request (`node --trace-gc`,
// docs/PERFORMANCE.md, "k6 scripts at scale")
const BODY_SINK_BYTES = 16 * 1024;
/** llmTarget, memoized: the result depends only on the body, the method, both URLs and the
 *  simulator's origin; it is read, never changed, by its users */
function llmTargetOf(req: WireRequest, original: URL, target: URL, simOrigin: string | null): LlmTarget | null {
  if (req.method !== 'POST' || typeof req.body !== 'string') return null;
  if (req.body.length > MAX_MEMO_BODY) return llmTarget(req, original, target, simOrigin);
  return targets.get(`${original.href}\0${target.origin}\0${simOrigin}\0${req.body}`, () => llmTarget(req, original, target, simOrigin));
}

/** Is this request an LLM call we can measure? Which provider does its (original) URL name? */
export function llmTarget(req: WireRequest, original: URL, target: URL, simOrigin: string | null): LlmTarget | null {
  if (req.method !== 'POST' || typeof req.body !== 'string') return null;
  const hit = LLM_PATHS.find(([re]) => re.test(original.pathname));
  if (!hit) return null;
  let body: unknown;
  try { body = JSON.parse(req.body); } catch { return null; }
  if (!body || typeof body !== 'object' || typeof (body as { model?: unknown }).model !== 'string') return null;
  const href = original.href;
  const known = Object.values(PROVIDERS).find((p) => p.name !== 'sim' && href.startsWith(p.baseUrl.replace(/\/+$/, '') + '/'));
  const provider = known ? known.name : simOrigin && target.origin === simOrigin ? 'sim' : original.hostname;
  const b = body as Record<string, unknown>;
  return { dialect: hit[1], body: b, model: String(b.model), stream: b.stream === true, provider, ...(known?.cnyPerUsd !== undefined ? { cnyPerUsd: known.cnyPerUsd } : {}) };
}

function compress(body: string | Uint8Array | null, how: string | null, headers: Record<string, string>): string | Buffer | null {
  if (body === null) return null;
  let buf: string | Buffer = typeof body === 'string' ? body : Buffer.from(body);
  if (!how) return buf;
  const algos = how.split(',').map((s) => s.trim()).filter(Boolean);
  for (const a of algos) {
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
    if (a === 'gzip') buf = gzipSync(b); else if (a === 'deflate') buf = deflateSync(b); else if (a === 'br') buf = brotliCompressSync(b);
    else throw new Error(`unknown compression "${a}": use gzip, deflate or br`);
  }
  headers['Content-Encoding'] = algos.join(', ');
  return buf;
}

function decompress(buf: Buffer, enc: string | undefined): Buffer {
  if (!enc) return buf;
  try {
    for (const a of enc.split(',').map((s) => s.trim().toLowerCase()).reverse()) {
      if (a === 'gzip' || a === 'x-gzip') buf = gunzipSync(buf); else if (a === 'deflate') buf = inflateSync(buf); else if (a === 'br') buf = brotliDecompressSync(buf);
    }
  } catch { /* k6 hands over what it got when decoding fails */ }
  return buf;
}

interface Exchange {
  status: number;
  headers: Record<string, string>;
  raw: RawTimings;
  connect: ConnectTiming | null;
  chunks: Buffer[];
  bytesIn: number;
  kind: ErrorKind | null;
  message: string;
}

function timeouts(ms: number): AttemptTimeouts {
  return { connect: Math.min(ms, 10_000), headers: ms, idle: ms, total: ms };
}

interface SseFeed { headers(status: number, h: Record<string, string>): void; chunk(c: Buffer, start: number, end: number): void; end(): void }

/** Parses a k6/x/sse response as it arrives and hands the script its events (xk6-sse's
 *  `open`, `event`, `error`), counting sse_event as xk6-sse does. */
function sseFeed(emit: (m: SseMessage) => void, tags: Tags): SseFeed {
  let live = false;
  const parser = new SseParser({ event: (e) => { runtime().add('sse_event', 1, tags); emit({ type: 'event', id: e.id, name: e.event, data: e.data }); } });
  return {
    headers(status, h) {
      live = status >= 200 && status < 300 && (h['content-type'] ?? '').includes('text/event-stream');
      if (live) emit({ type: 'open', status, headers: h });
      else emit({ type: 'error', error: `unexpected HTTP status ${status} (${h['content-type'] ?? 'no content type'}), not an event stream` });
    },
    chunk(c, start, end) { if (live) parser.push(c, start, end); },
    end() { if (live) parser.end(); live = false; },
  };
}

/** A plain HTTP exchange on the shared transport (no dialect); body kept when asked. */
function sendPlain(url: URL, method: string, headers: Record<string, string>, body: string | Buffer | null, t: AttemptTimeouts, signal: AbortSignal | undefined, keep: boolean, sse: SseFeed | null): Promise<Exchange> {
  return new Promise((resolve) => {
    const t0 = monoMs();
    const raw: RawTimings = { queued: t0, dispatch: t0, headers: null, firstByte: null, firstOutput: null, lastOutput: null, end: null, outputs: [] };
    const x: Exchange = { status: 0, headers: {}, raw, connect: null, chunks: [], bytesIn: 0, kind: null, message: '' };
    undiciTransport.send({ url, method, headers, body, connectTimeoutMs: t.connect, headersTimeoutMs: t.headers, idleTimeoutMs: t.idle, totalTimeoutMs: t.total, signal }, {
      onSent(at, connect) { raw.dispatch = at; x.connect = connect ?? null; },
      onHeaders(status, h, at) { raw.headers = at; x.status = status; x.headers = h; sse?.headers(status, h); },
      onData(buf, s, e, at) {
        if (raw.firstByte === null) raw.firstByte = at;
        x.bytesIn += e - s;
        // kept past the call: undici's chunks are Buffers of their own (Transport.reusesBuffers)
        const chunk = s === 0 && e === buf.length ? buf : buf.subarray(s, e);
        if (keep) x.chunks.push(chunk);
        sse?.chunk(buf, s, e);
      },
      onEnd(at) { raw.end = at; resolve(x); },
      onError(kind, message, at) { raw.end = at; x.kind = kind; x.message = message; resolve(x); },
    });
  });
}

/** `url`: what the script sees (its own URL); `target`: where the request went (remote_ip/port) */
function wireResponse(x: Exchange, url: string, target: URL, req: WireRequest): WireResponse {
  const p = phases(x.raw, x.connect);
  const { error, code } = k6ErrorCode(x.status, x.kind, x.message);
  const headers: Record<string, string> = {};
  for (const k in x.headers) headers[canonical.get(k, canonicalHeader)] = x.headers[k]!;
  let body: string | Uint8Array | null = null;
  let text = false;
  if (req.responseType !== 'none') {
    const buf = decompress(x.chunks.length === 1 ? x.chunks[0]! : Buffer.concat(x.chunks), x.headers['content-encoding']);
    // a text body stays bytes (off the JS heap) until the script reads it: a streamed
    // completion is ~15 KB of SSE that most scripts only check the status of, and as a string
    // it was the biggest allocation of a k6 request (docs/PERFORMANCE.md, "k6 scripts at scale")
    body = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    text = req.responseType !== 'binary';
  }
  return { status: x.status, status_text: statusLine(x.status), url, proto: x.status ? 'HTTP/1.1' : '', headers, body, ...(text ? { text } : {}), timings: p, error, error_code: code, remote_ip: x.status ? target.hostname : '', remote_port: x.status ? Number(target.port || (target.protocol === 'https:' ? 443 : 80)) : 0 };
}

/** k6's per-request samples: http_reqs, the phase trends, http_req_failed, data in and out */
function recordHttp(x: Exchange, res: WireResponse, req: WireRequest, originalUrl: string, sent: number): void {
  const expected = isExpected(x.status, req.expected);
  // one shared object per tag set (lib/llm/shared-tags.ts): a VU repeating a request repeats them
  const key = `h\0${originalUrl}\0${req.method}\0${x.status}\0${expected ? 1 : 0}\0${res.proto}\0${res.error_code}\0${tagsKey(req.tags)}`;
  const tags = sharedTags(key, () => ({ name: originalUrl, method: req.method, status: String(x.status), url: originalUrl, expected_response: String(expected), proto: res.proto, ...(res.error_code ? { error_code: String(res.error_code) } : {}), ...req.tags }));
  M.httpReqs.addShared(1, tags);
  recordPhases(res.timings, tags);
  M.httpFailed.addShared(!expected, tags);
  M.dataSent.addShared(sent, tags);
  M.dataReceived.addShared(x.bytesIn, tags);
}

function headerBytes(h: Record<string, string>): number { let n = 0; for (const k in h) n += k.length + h[k]!.length + 4; return n; }

/** A k6/x/sse stream: its events to `emit` as they arrive, `close()` for the script's
 *  client.close(); the iteration's signal ends it too. Shared by both VU hosts (a VU thread's,
 *  engine/k6/blocking-vu.ts, and VUs sharing a thread, engine/k6/async/host.ts). */
export function execSse(req: WireRequest, signal: AbortSignal | undefined, ctx: HostContext, emit: (m: SseMessage) => void): { response: Promise<WireResponse>; close(): void } {
  const closed = new AbortController();
  const both = signal ? AbortSignal.any([signal, closed.signal]) : closed.signal;
  return { response: execRequest(req, both, ctx, emit, closed.signal), close: () => closed.abort() };
}

/** Runs one request; with `onSse`, a k6/x/sse stream whose events are handed over as they
 *  arrive, `closed` aborting when the script called client.close(). */
export async function execRequest(req: WireRequest, signal: AbortSignal | undefined, ctx: HostContext, onSse?: (m: SseMessage) => void, closed?: AbortSignal): Promise<WireResponse> {
  // the built-in simulator's origin (it starts before the VUs, so BASE_URL is final here)
  const simOrigin = ctx.simOrigin !== undefined ? ctx.simOrigin : (ctx.simOrigin = ctx.env.BASE_URL ? new URL(ctx.env.BASE_URL).origin : null);
  let originalUrl = req.url;
  let u: URL;
  let original: URL;
  try {
    // parsed once per script URL (URL objects are only read after this, except for credentials)
    const p = urls.get(`${simOrigin}\0${req.url}`, () => { const o = new URL(req.url); return { original: o, u: new URL(applyRedirects(req.url, ctx.redirects, simOrigin)) }; });
    original = p.original;
    u = p.u.username ? new URL(p.u.href) : p.u;
  } catch (e) {
    return { status: 0, status_text: '', url: req.url, proto: '', headers: {}, body: null, timings: { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 }, error: `invalid URL "${req.url}": ${(e as Error).message}`, error_code: 1020, remote_ip: '', remote_port: 0 };
  }
  const headers: Record<string, string> = { ...req.headers };
  if (ctx.userAgent && !Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent')) headers['User-Agent'] = ctx.userAgent;
  if (u.username && !Object.keys(headers).some((k) => k.toLowerCase() === 'authorization')) {
    headers.Authorization = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
    u.username = ''; u.password = '';
  }
  const body = compress(req.body, req.compression, headers);
  const sent = (body ? (typeof body === 'string' ? Buffer.byteLength(body) : body.length) : 0) + headerBytes(headers) + u.pathname.length + 16;
  const t = timeouts(req.timeoutMs);
  const llm = llmTargetOf(req, original, u, simOrigin);

  // k6/x/sse: events go to the script as they arrive; `open` with the headers of a 2xx stream
  const sse = onSse ? sseFeed(onSse, sharedTags(`s\0${originalUrl}\0${tagsKey(req.tags)}`, () => ({ url: originalUrl, ...req.tags }))) : null;

  if (llm && budgetExhausted()) {
    await new Promise((r) => setTimeout(r, 100)); // no spinning VU while the run is being stopped
    return { status: 0, status_text: '', url: originalUrl, proto: '', headers: {}, body: null, timings: { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 }, error: 'not sent: --budget-usd is spent', error_code: 1000, remote_ip: '', remote_port: 0 };
  }
  if (llm) {
    const keep = req.responseType !== 'none' && !sse;
    // the body, copied out of the connection's read buffer into one growing native buffer:
    // no Buffer object per chunk for the scavenger to copy while the stream is open
    const sink = keep ? new TextSink(BODY_SINK_BYTES) : null;
    // the run's HTTP client, as chat() picks it: our reader by default, which costs a stream less
    // CPU and garbage than undici's (docs/PERFORMANCE.md)
    const a = await attemptOnce(runTransport(u), u, headers, req.body as string, llm.stream, llm.dialect, t, signal, {
      method: 'POST',
      onHeaders: (status, h) => sse?.headers(status, h),
      onChunk: (b, s, e) => { sink?.appendBytes(b, s, e); sse?.chunk(b, s, e); },
    });
    sse?.end();
    const d = getDialect(llm.dialect);
    const baseTags = requestTags(llm.provider, llm.model, llm.stream, req.tags);
    // a stream the script closed on purpose (client.close()) is not a failed LLM call: it gets
    // no llm_* samples, only its HTTP and sse_event ones (K6_COMPAT.md)
    const closedByScript = a.error?.kind === 'aborted' && closed?.aborted === true;
    // an embeddings call gets the embed() metrics (lib/llm/embed.ts), a chat-like one chat()'s
    if (llm.dialect === 'openai-embeddings') { if (!closedByScript) await recordEmbedOutcome(a, { providerName: llm.provider, seedModel: llm.model, wireModel: llm.model, ...(llm.cnyPerUsd !== undefined ? { cnyPerUsd: llm.cnyPerUsd } : {}), envCnyPerUsd: Number(ctx.env.CNY_PER_USD) || undefined, tags: sharedTags(`e\0${llm.provider}\0${llm.model}\0${tagsKey(req.tags)}`, () => ({ provider: llm.provider, model: llm.model, ...req.tags })), retries: 0, promptText: d.promptText(llm.body) }); }
    else if (!closedByScript) await recordOutcome(a, { providerName: llm.provider, ...(llm.cnyPerUsd !== undefined ? { cnyPerUsd: llm.cnyPerUsd } : {}), envCnyPerUsd: Number(ctx.env.CNY_PER_USD) || undefined, seedModel: llm.model, wireModel: llm.model, stream: llm.stream, dialect: d, prepared: llm.body, baseTags, retries: 0 });
    if (a.status === 429) M.rateLimited.addShared(1, withStatus(baseTags, 429));
    const transportError = a.error && !a.error.status ? a.error : null;
    const x: Exchange = { status: a.status, headers: a.headers, raw: a.raw, connect: a.connect, chunks: sink ? [sink.bytes()] : [], bytesIn: a.bytesIn, kind: transportError && !closedByScript ? transportError.kind : null, message: transportError ? transportError.message : '' };
    const res = wireResponse(x, originalUrl, u, req);
    recordHttp(x, res, req, originalUrl, sent);
    return res;
  }

  // plain HTTP: follow redirects as k6 does (each hop is its own http_reqs sample)
  let method = req.method;
  let b: string | Buffer | null = body;
  for (let hop = 0; ; hop++) {
    const x = await sendPlain(u, method, headers, b, t, signal, req.responseType !== 'none' && !sse, sse);
    sse?.end();
    if (x.kind === 'aborted' && closed?.aborted) x.kind = null;
    const res = wireResponse(x, u.href, u, req);
    recordHttp(x, res, req, originalUrl, sent);
    const loc = x.headers.location;
    if (!loc || ![301, 302, 303, 307, 308].includes(x.status) || hop >= req.redirects) return res;
    u = new URL(loc, u);
    originalUrl = u.href;
    if (x.status === 303 || ((x.status === 301 || x.status === 302) && method === 'POST')) { method = 'GET'; b = null; }
  }
}
