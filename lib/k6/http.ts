// `import http from 'k6/http'` with k6's blocking semantics (docs/K6_COMPAT.md):
// https://grafana.com/docs/k6/latest/javascript-api/k6-http/ . Calls block the VU through the
// bridge (lib/k6/bridge.ts); the hosting thread sends the request, records k6's http_req_*
// metrics and, for chat-completions and messages endpoints, the llm_* metrics (engine/k6).
import { needBridge, type WireRequest, type WireResponse } from './bridge.ts';
import { runtime } from '../runtime.ts';
import { parseDuration } from '../duration.ts';
// the metrics the host records for these requests (http_req_*, llm_*) are declared wherever the
// script is imported, so thresholds on them validate in the main thread
import { M } from '../llm/metrics.ts';
void M;

type Body = string | ArrayBuffer | Uint8Array | Record<string, unknown> | null | undefined;
export interface Params {
  headers?: Record<string, string | number>;
  tags?: Record<string, string>;
  timeout?: string | number;
  responseType?: 'text' | 'binary' | 'none';
  redirects?: number;
  compression?: string;
  responseCallback?: ResponseCallback | null;
  auth?: string;
  cookies?: Record<string, unknown>;
  jar?: unknown;
}
interface ResponseCallback { __expected: Array<number | { min: number; max: number }> }

let globalCallback: ResponseCallback | null | undefined;

/** http.expectedStatuses(200, { min: 300, max: 399 }): a response callback (k6) */
export function expectedStatuses(...s: Array<number | { min: number; max: number }>): ResponseCallback {
  for (const x of s) {
    if (typeof x === 'number' ? !Number.isInteger(x) : !(Number.isInteger(x?.min) && Number.isInteger(x?.max))) throw new Error('expectedStatuses takes status codes (integers) or { min, max } ranges');
  }
  return { __expected: s };
}
export function setResponseCallback(cb: ResponseCallback | null): void {
  if (cb !== null && !(cb && Array.isArray(cb.__expected))) throw new Error('setResponseCallback takes the result of http.expectedStatuses(...) or null (as in k6)');
  globalCallback = cb;
}

/** params.timeout: a number is milliseconds (k6), a string a k6 duration */
export function durationMs(v: string | number | undefined, def: number): number {
  if (v === undefined || v === null) return def;
  return typeof v === 'number' ? v : parseDuration(v.trim(), 'timeout');
}

function formEncode(o: Record<string, unknown>): string {
  return Object.entries(o).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/** a URL from http.url`…${x}…`: requests through it are tagged name=<the template> (k6) */
export class URLTemplate {
  constructor(readonly url: string, readonly name: string) {}
  toString(): string { return this.url; }
}
export function url(strings: TemplateStringsArray, ...vals: unknown[]): URLTemplate {
  let u = '', n = '';
  strings.forEach((s, i) => { u += s; n += s; if (i < vals.length) { u += String(vals[i]); n += '${}'; } });
  return new URLTemplate(u, n);
}

function toWire(method: string, target: string | URLTemplate, body: Body, params: Params = {}): WireRequest {
  const u = String(target);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
  let b: string | Uint8Array | null = null;
  if (body === undefined || body === null) b = null;
  else if (typeof body === 'string') b = body;
  else if (body instanceof ArrayBuffer) b = new Uint8Array(body);
  else if (body instanceof Uint8Array) b = body;
  else if (typeof body === 'object') {
    b = formEncode(body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(params.tags ?? {})) tags[k] = String(v);
  if (target instanceof URLTemplate && !tags.name) tags.name = target.name;
  const cb = params.responseCallback !== undefined ? params.responseCallback : globalCallback;
  const opts = runtime().options as { maxRedirects?: number };
  return {
    method: method.toUpperCase(), url: u, body: b, headers, tags,
    timeoutMs: durationMs(params.timeout, 60_000),
    responseType: params.responseType ?? ((opts as { discardResponseBodies?: boolean }).discardResponseBodies ? 'none' : 'text'),
    redirects: params.redirects ?? opts.maxRedirects ?? 10,
    compression: params.compression ?? null,
    expected: cb === undefined ? null : cb === null ? [] : cb.__expected,
  };
}

function getPath(v: unknown, path: string): unknown {
  // k6 takes a gjson selector; dots and array indexes (a.b.0.c) cover what scripts use
  let cur = v;
  for (const part of path.split('.').filter(Boolean)) {
    if (cur === null || cur === undefined) return undefined;
    if (part === '#' && Array.isArray(cur)) return cur.length;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export class Response {
  status: number; status_text: string; url: string; proto: string;
  headers: Record<string, string>;
  timings: WireResponse['timings'] & { duration: number };
  error: string; error_code: number; remote_ip: string; remote_port: number;
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  cookies: Record<string, unknown[]> = {};
  // a text body arrives as bytes and becomes a string when the script first reads `body`: most
  // scripts only check the status of a streamed completion (~15 KB of SSE), and a string per
  // response was the largest allocation of a k6 request (docs/PERFORMANCE.md, "k6 scripts at scale")
  #body: string | ArrayBuffer | null;
  #bytes: Uint8Array | null = null;
  constructor(w: WireResponse, req: WireRequest) {
    this.status = w.status; this.status_text = w.status_text; this.url = w.url; this.proto = w.proto;
    this.headers = w.headers; this.timings = w.timings; this.error = w.error; this.error_code = w.error_code;
    this.remote_ip = w.remote_ip; this.remote_port = w.remote_port;
    const b = w.body;
    if (b instanceof Uint8Array && w.text) { this.#body = null; this.#bytes = b; }
    else this.#body = b instanceof Uint8Array ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer : b;
    this.request = { method: req.method, url: req.url, headers: req.headers, body: typeof req.body === 'string' ? req.body : '' };
  }
  /** the body: a string (responseType "text", the default), an ArrayBuffer ("binary") or null ("none") */
  get body(): string | ArrayBuffer | null {
    const b = this.#bytes;
    if (b) { this.#body = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8'); this.#bytes = null; }
    return this.#body;
  }
  set body(v: string | ArrayBuffer | null) { this.#body = v; this.#bytes = null; }
  /** JSON.stringify(res) shows the body too, as it does in k6 (a getter is not an own property) */
  toJSON(): object { return { ...this, body: this.body }; }
  json(selector?: string): unknown {
    if (typeof this.body !== 'string') throw new Error(`the response body is ${this.body === null ? 'empty (responseType "none"?)' : 'binary'}: json() needs a text body`);
    const v = JSON.parse(this.body);
    return selector ? getPath(v, selector) : v;
  }
  html(): never { throw new Error('Response.html() is not supported by llmload (docs/K6_COMPAT.md)'); }
}

// With VUs sharing a thread (engine/k6/async/) these return Promises, which the rewritten
// script awaits where k6 blocks; the types say what the script sees after that await.
export function request(method: string, u: string | URLTemplate, body?: Body, params?: Params): Response {
  const req = toWire(method, u, body, params);
  const b = needBridge('http.request()');
  if (b.async) return b.http([req]).then((w) => new Response(w[0]!, req)) as unknown as Response;
  return new Response(b.http([req])[0]!, req);
}
export function asyncRequest(method: string, u: string | URLTemplate, body?: Body, params?: Params): Promise<Response> {
  const req = toWire(method, u, body, params);
  return needBridge('http.asyncRequest()').httpAsync(req).then((w) => new Response(w, req));
}
export const get = (u: string | URLTemplate, params?: Params) => request('GET', u, null, params);
export const head = (u: string | URLTemplate, params?: Params) => request('HEAD', u, null, params);
export const post = (u: string | URLTemplate, body?: Body, params?: Params) => request('POST', u, body, params);
export const put = (u: string | URLTemplate, body?: Body, params?: Params) => request('PUT', u, body, params);
export const patch = (u: string | URLTemplate, body?: Body, params?: Params) => request('PATCH', u, body, params);
export const del = (u: string | URLTemplate, body?: Body, params?: Params) => request('DELETE', u, body, params);
export const options = (u: string | URLTemplate, body?: Body, params?: Params) => request('OPTIONS', u, body, params);

type BatchItem = string | URLTemplate | [string, string | URLTemplate, Body?, Params?] | { method?: string; url: string | URLTemplate; body?: Body; params?: Params };
function batchWire(it: BatchItem): WireRequest {
  if (typeof it === 'string' || it instanceof URLTemplate) return toWire('GET', it, null);
  if (Array.isArray(it)) return toWire(it[0], it[1], it[2], it[3]);
  return toWire(it.method ?? 'GET', it.url, it.body, it.params);
}
/** http.batch: the requests run in parallel; the VU blocks until all have answered */
export function batch(reqs: BatchItem[] | Record<string, BatchItem>): Response[] | Record<string, Response> {
  const keys = Array.isArray(reqs) ? null : Object.keys(reqs);
  const items = Array.isArray(reqs) ? reqs : keys!.map((k) => (reqs as Record<string, BatchItem>)[k]!);
  const wires = items.map(batchWire);
  const shape = (ws: WireResponse[]) => {
    const res = ws.map((w, i) => new Response(w, wires[i]!));
    return keys ? Object.fromEntries(keys.map((k, i) => [k, res[i]!])) : res;
  };
  const b = needBridge('http.batch()');
  if (b.async) return b.http(wires).then(shape) as unknown as Response[];
  return shape(b.http(wires));
}

export function file(): never { throw new Error('http.file() (multipart uploads) is not supported by llmload yet (docs/K6_COMPAT.md)'); }
export function cookieJar(): never { throw new Error('cookie jars are not supported by llmload (docs/K6_COMPAT.md)'); }

const http = { request, asyncRequest, get, head, post, put, patch, del, options, batch, expectedStatuses, setResponseCallback, url, file, cookieJar };
export default http;
export { toWire as __toWire };
