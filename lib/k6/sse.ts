// `import sse from 'k6/x/sse'` with xk6-sse's API (docs/K6_COMPAT.md): sse.open(url, params,
// (client) => client.on('event', …)) blocks the VU until the stream ends or the script calls
// client.close(). The hosting thread reads the stream with our SSE parser, counts sse_event
// (xk6-sse's metric), and times chat-completions and messages streams as chat() does.
import { MN } from '../metric-names.ts';
import { needBridge, type SseMessage, type WireResponse } from './bridge.ts';
import { __toWire, durationMs, type Params } from './http.ts';
import { Counter } from '../metrics.ts';

// xk6-sse's metric: one per event received (recorded by the host as events arrive)
export const sseEvents = new Counter(MN.sseEvent);

type Handler = (arg?: unknown) => void;
export interface SseParams extends Params { method?: string; body?: string }
export interface SseEventArg { id: string; name: string; data: string }

export class Client {
  private handlers = new Map<string, Handler[]>();
  closed = false;
  on(event: 'open' | 'event' | 'error' | 'close', fn: Handler): void {
    if (!['open', 'event', 'error', 'close'].includes(event)) throw new Error(`unknown sse client event "${event}": use open, event, error or close`);
    const list = this.handlers.get(event) ?? [];
    list.push(fn);
    this.handlers.set(event, list);
  }
  close(): void { this.closed = true; }
  emit(event: string, arg?: unknown): void { for (const fn of this.handlers.get(event) ?? []) fn(arg); }
}

export interface SseResponse { status: number; headers: Record<string, string>; url: string; error: string; error_code: number; timings: WireResponse['timings'] }

export function open(url: string, params: SseParams | ((c: Client) => void) | null, setup?: (c: Client) => void): SseResponse {
  const p = typeof params === 'function' ? {} : (params ?? {});
  const fn = typeof params === 'function' ? params : setup;
  if (typeof fn !== 'function') throw new Error('sse.open(url, params, function (client) { … }) needs a setup function');
  const req = __toWire(p.method ?? 'GET', url, p.body ?? null, { ...p, timeout: p.timeout ?? durationMs('2m', 120_000) });
  req.sse = true;
  const client = new Client();
  fn(client);
  let response: WireResponse | null = null;
  const on = (m: SseMessage) => {
    switch (m.type) {
      case 'open': client.emit('open'); break;
      case 'event': client.emit('event', { id: m.id, name: m.name, data: m.data } satisfies SseEventArg); break;
      case 'error': { const msg = m.error; client.emit('error', { error: () => msg }); break; }
      case 'end': response = m.response; break;
    }
    return !client.closed;
  };
  const end = (): SseResponse => {
    client.emit('close');
    const r = response as WireResponse | null;
    return { status: r?.status ?? 0, headers: r?.headers ?? {}, url, error: r?.error ?? '', error_code: r?.error_code ?? 0, timings: r?.timings ?? { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 } };
  };
  const b = needBridge('sse.open()');
  // VUs sharing a thread (engine/k6/async/): a Promise the rewritten script awaits
  if (b.async) return b.sse(req, on).then(end) as unknown as SseResponse;
  b.sse(req, on);
  return end();
}

export default { open };
