// The LLM API simulator: OpenAI chat completions, Anthropic messages, /v1/models, /health
// and /v1/sim/clock, with latency profiles, a concurrency limit and queue, per-key rate
// limits, faults, and ground truth on the machine's monotonic clock (process.hrtime).
import { createServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { Scheduler, monoMs, type Precision } from './scheduler.ts';
import { PROFILES, profile as getProfile, type Profile } from './profiles.ts';
import { prng, sample, parseDist, type Rand } from './dist.ts';
import { Text, hash } from './text.ts';
import { Limiter, limitHeaders } from './ratelimit.ts';
import { openai, anthropic, responses, completions, GATEWAY_502, type Ctx } from './wire.ts';

/** the wire formats the simulator serves (sim/wire.ts) */
type Fmt = 'chat' | 'anthropic' | 'responses' | 'completions' | 'embeddings';
const ID_PREFIX: Record<Fmt, string> = { chat: 'chatcmpl-sim', anthropic: 'msg_sim', responses: 'resp_sim', completions: 'cmpl-sim', embeddings: 'emb-sim' };
import { parseFault, isFault, type FaultKind } from './faults.ts';
import { Sketch, type SketchData } from '../lib/stats/sketch.ts';
import { TokenThread } from './tokens.ts';
import { PrefixCache } from './prefix-cache.ts';

export interface SimOptions {
  port?: number;
  host?: string;
  profile?: string;
  config?: Partial<Profile>;
  ttftMs?: number;
  itlMs?: number;
  outputTokens?: string | number;
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  queue?: number;
  /** capacity model: `autoscaleDelayMs` after overload begins (a request finds every slot
   *  busy), the concurrency limit rises to `autoscaleConcurrency` (docs/METRICS.md, "Recovery") */
  autoscaleDelayMs?: number;
  autoscaleConcurrency?: number;
  faults?: string[];
  seed?: number;
  groundTruth?: string | 'memory';
  slowFirstByteMs?: number;
  stallMs?: number;
  /** ms between the last token and the stream's finish (usage chunk, [DONE] / message_stop) */
  tailMs?: number;
  /** wire quirks seen in the wild, for client tests: CRLF line ends, keep-alive comments, UTF-8 split across writes */
  quirks?: boolean;
  /** how writes wait out their last ~2 ms: nap (default: frees the CPU) or spin (µs-precise, holds a core); sim/scheduler.ts */
  precision?: Precision;
  /** a prompt cache of this many 256-character blocks (0 or absent: none; sim/prefix-cache.ts) */
  prefixCacheBlocks?: number;
  /** serve HTTPS with this PEM key and certificate */
  tls?: { key: string; cert: string };
  /** close a keep-alive connection after this long idle (ms; default 65 s) */
  idleTimeoutMs?: number;
  /** false: no `Keep-Alive: timeout=N` hint on any response, as uvicorn and many gateways do
   *  (streamed responses never carry one: they set `connection: keep-alive` themselves) */
  keepAliveHint?: boolean;
  /** 'chunked' (default, as real APIs) or 'length': Content-Length bodies, cheaper to write */
  framing?: 'chunked' | 'length';
  /** one of several processes sharing the port (`sim --processes`, sim/cluster.ts): its
   *  request ids carry this prefix so they stay unique across processes, the ground-truth file
   *  is appended to (the primary truncated it), and /v1/sim/stats answers the merged stats */
  process?: { prefix: string; mergedStats(reset: boolean): Promise<SimStats> };
}

export interface GroundTruth { id: string; path: string; stream: boolean; arrival_ms: number; start_ms: number | null; headers_ms: number | null; first_token_ms: number | null; token_ms: number[]; tokens: number; status: number; fault: string | null; input_tokens: number; content?: string; /** of input_tokens, served from the prefix cache (--prefix-cache) */ cached_tokens?: number; /** embeddings: vectors answered */ items?: number }

/** What /v1/sim/stats answers: is the simulator keeping up? (docs/METRICS.md, "Simulator") */
export interface SimStats {
  active: number; queued: number; requests: number;
  /** the concurrency limit now, when overload began and when the autoscaler raised it (monotonic ms) */
  capacity: number; overload_since_ms: number | null; scaled_at_ms: number | null;
  /** SSE events written (token deltas and framing events) since start or the last reset */
  events: number;
  /** the simulator process's own CPU since start or the last reset */
  cpu_ms: { user: number; system: number };
  /** how late scheduled writes went out, ms */
  lateness_ms: { count: number; p50: number; p90: number; p99: number; max: number };
  /** how near-due writes wait: nap (default) or spin; sim/scheduler.ts */
  precision: Precision;
  /** the simulator's garbage-collection pauses (a pause delays every write due during it) */
  gc: { count: number; total_ms: number; max_ms: number };
  /** how many processes these stats cover (`sim --processes`) */
  processes?: number;
  /** the lateness sketch itself (merging processes' stats); only between processes */
  lateness_sketch?: SketchData;
}

export interface Sim { url: string; port: number; close(): Promise<void>; groundTruth(): GroundTruth[]; stats(): SimStats; resetStats(): void; scheduler: Scheduler }

const MODELS = ['gpt-4.1', 'claude-sonnet-4.5', 'gemini-2.5-flash', 'deepseek-v3.2'];

export async function startSim(o: SimOptions = {}): Promise<Sim> {
  const base = getProfile(o.profile ?? 'fast');
  const p: Profile = { ...base, ...(o.config ?? {}) };
  if (o.ttftMs !== undefined) p.ttft = { kind: 'constant', value: o.ttftMs };
  if (o.itlMs !== undefined) p.itl = { kind: 'constant', value: o.itlMs };
  if (o.outputTokens !== undefined) p.outputTokens = typeof o.outputTokens === 'number' ? { kind: 'constant', value: o.outputTokens } : parseDist(o.outputTokens);
  if (o.concurrency !== undefined) { p.concurrency = o.concurrency; p.queue = o.queue ?? p.queue; }
  const faults = (o.faults ?? []).map(parseFault);
  const rand: Rand = prng(o.seed ?? 1);
  const sched = new Scheduler(o.precision ?? 'nap');
  const limiter = new Limiter(o.rpm ?? p.rpm, o.tpm ?? p.tpm);
  // both encodings load in the token thread before the first request
  const tokens = new TokenThread();
  for (const m of [...MODELS, 'gpt-4o']) await tokens.count(m, 'warm-up');
  const truths: GroundTruth[] = [];
  let gtFile: WriteStream | null = null;
  // appended to by each process of a cluster: a write of whole lines to an O_APPEND file lands
  // whole, so the processes' lines never interleave
  if (o.groundTruth && o.groundTruth !== 'memory') gtFile = createWriteStream(o.groundTruth, { flags: o.process ? 'a' : 'w' });
  const record = (g: GroundTruth) => { if (o.groundTruth === 'memory') truths.push(g); else if (gtFile) gtFile.write(JSON.stringify(g) + '\n'); };

  let active = 0;
  let requests = 0;
  let events = 0;
  let cpu0 = process.cpuUsage();
  const gc = { count: 0, total_ms: 0, max_ms: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) { gc.count++; gc.total_ms += e.duration; if (e.duration > gc.max_ms) gc.max_ms = e.duration; }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const stats = (): SimStats => {
    const c = process.cpuUsage(cpu0);
    const l = sched.lateness;
    const q = (x: number) => (l.count ? Math.round(l.quantile(x) * 1000) / 1000 : 0);
    return { active, queued: queue.length, requests, events, capacity: p.concurrency, overload_since_ms: overloadSince, scaled_at_ms: scaledAt, precision: sched.precision, cpu_ms: { user: c.user / 1000, system: c.system / 1000 }, lateness_ms: { count: l.count, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: l.count ? Math.round(l.max * 1000) / 1000 : 0 }, gc: { count: gc.count, total_ms: Math.round(gc.total_ms * 1000) / 1000, max_ms: Math.round(gc.max_ms * 1000) / 1000 } };
  };
  const resetStats = () => { events = 0; requests = 0; cpu0 = process.cpuUsage(); sched.lateness = new Sketch(); gc.count = 0; gc.total_ms = 0; gc.max_ms = 0; };
  let seq = 0;
  const queue: Array<() => void> = [];
  const release = () => { active--; const next = queue.shift(); if (next) { active++; next(); } };
  // the autoscaler: capacity rises a set delay after overload begins, once (no scale-in)
  let overloadSince: number | null = null;
  let scaledAt: number | null = null;
  const overloaded = () => {
    if (overloadSince !== null || o.autoscaleDelayMs === undefined || o.autoscaleConcurrency === undefined) return;
    overloadSince = monoMs();
    setTimeout(() => {
      p.concurrency = Math.max(p.concurrency, o.autoscaleConcurrency!);
      scaledAt = monoMs();
      while (active < p.concurrency && queue.length) { active++; queue.shift()!(); }
    }, o.autoscaleDelayMs).unref();
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const arrival = monoMs();
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8'), arrival));
  };
  // HTTPS when given a certificate (every provider is HTTPS: `make perf ONLY=https` measures
  // the client's TLS read path against this ground truth)
  const prefixCache = o.prefixCacheBlocks ? new PrefixCache(o.prefixCacheBlocks) : null;
  const server: Server = o.tls ? createHttpsServer({ key: o.tls.key, cert: o.tls.cert }, onRequest) : createServer(onRequest);
  server.keepAliveTimeout = o.idleTimeoutMs ?? 65_000;
  server.headersTimeout = Math.max(70_000, server.keepAliveTimeout + 5_000);
  server.requestTimeout = 0;

  function handle(req: IncomingMessage, res: ServerResponse, body: string, arrival: number): void {
    const url = (req.url ?? '/').split('?')[0]!;
    const rid = `req_sim${o.process?.prefix ?? ''}${(++seq).toString(36).padStart(8, '0')}`;
    res.setHeader('x-request-id', rid);
    // Node adds `Keep-Alive: timeout=N` unless a Connection header is set by hand
    if (o.keepAliveHint === false) res.setHeader('connection', 'keep-alive');
    if (req.method === 'GET' && url === '/health') return json(res, 200, JSON.stringify({ status: 'ok', active, queued: queue.length }));
    if (req.method === 'GET' && url === '/v1/sim/stats') {
      if (o.process) {
        void o.process.mergedStats((req.url ?? '').includes('reset=1')).then((st) => json(res, 200, JSON.stringify(st)), (e) => json(res, 500, openai.error(`merging the processes' stats failed: ${(e as Error).message}`, 'server_error', null)));
        return;
      }
      const st = stats();
      if ((req.url ?? '').includes('reset=1')) resetStats();
      return json(res, 200, JSON.stringify(st));
    }
    if (req.method === 'GET' && url === '/v1/sim/clock') return json(res, 200, JSON.stringify({ monotonic_ms: monoMs(), wall_ms: Date.now() }));
    if (req.method === 'GET' && (url === '/v1/models' || url === '/models')) {
      return json(res, 200, JSON.stringify({ object: 'list', data: MODELS.map((id) => ({ id, object: 'model', created: 1_767_225_600, owned_by: 'llmload-sim' })) }));
    }
    // the wire format: chat completions, Anthropic messages, the Responses API, text completions
    // (errors of the last two are OpenAI-shaped, as OpenAI's and vLLM's are)
    const path = url.replace(/^\/v1(?=\/)/, '');
    const fmt: Fmt | null = req.method !== 'POST' ? null : path === '/chat/completions' ? 'chat' : path === '/messages' ? 'anthropic' : path === '/responses' ? 'responses' : path === '/completions' ? 'completions' : path === '/embeddings' ? 'embeddings' : null;
    const isAnthropic = fmt === 'anthropic';
    if (!fmt) {
      return json(res, 404, openai.error(`Unknown request URL: ${req.method} ${url}. The simulator serves GET /v1/models, POST /v1/chat/completions, POST /v1/messages, POST /v1/responses, POST /v1/completions, POST /v1/embeddings, GET /health, GET /v1/sim/clock, GET /v1/sim/stats.`, 'invalid_request_error', 'unknown_url'));
    }
    const badRequest = (msg: string, param: string | null) => isAnthropic
      ? json(res, 400, anthropic.error('invalid_request_error', msg))
      : json(res, 400, openai.error(msg, 'invalid_request_error', null, param));
    let b: Record<string, any>;
    try { b = JSON.parse(body); } catch { return badRequest(`We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)`, null); }
    if (!b || typeof b !== 'object' || Array.isArray(b)) return badRequest('The request body must be a JSON object.', null);
    if (typeof b.model !== 'string' || !b.model) return badRequest(isAnthropic ? 'model: Field required' : "you must provide a model parameter", 'model');
    if (fmt === 'responses') { if (!(typeof b.input === 'string' || (Array.isArray(b.input) && b.input.length))) return badRequest("Missing required parameter: 'input'.", 'input'); }
    else if (fmt === 'embeddings') { if (!(typeof b.input === 'string' || (Array.isArray(b.input) && b.input.length))) return badRequest("Missing required parameter: 'input'.", 'input'); }
    else if (fmt === 'completions') { if (!(typeof b.prompt === 'string' || (Array.isArray(b.prompt) && b.prompt.length))) return badRequest("Missing required parameter: 'prompt'.", 'prompt'); }
    else if (!Array.isArray(b.messages) || b.messages.length === 0) return badRequest(isAnthropic ? 'messages: Field required' : "Missing required parameter: 'messages'.", 'messages');
    if (isAnthropic && typeof b.max_tokens !== 'number') return badRequest('max_tokens: Field required', 'max_tokens');
    const stream = b.stream === true && fmt !== 'embeddings';

    // fault: a header asks for one; otherwise each configured fault fires at its rate
    const hdr = req.headers['x-sim-fault'];
    let fault: FaultKind | null = isFault(typeof hdr === 'string' ? hdr : undefined) ? (hdr as FaultKind) : null;
    if (!fault) for (const f of faults) if (rand() < f.rate) { fault = f.kind; break; }
    if (!fault && p.errorRate > 0 && rand() < p.errorRate) fault = isAnthropic ? '529' : '500';

    // text of a content: a string, or text blocks (Anthropic's system and cache_control blocks,
    // OpenAI's content parts); anything else as JSON
    const textOf = (c: unknown): string => (typeof c === 'string' ? c : Array.isArray(c) && c.every((p) => p && typeof p.text === 'string') ? c.map((p) => p.text).join('') : JSON.stringify(c ?? ''));
    const promptText = fmt === 'embeddings' ? (typeof b.input === 'string' ? b.input : b.input.map(String).join('\n')) : fmt === 'responses' ? [typeof b.instructions === 'string' ? b.instructions : '', ...(typeof b.input === 'string' ? [b.input] : b.input.map((m: any) => textOf(m?.content)))].join('\n')
      : fmt === 'completions' ? (typeof b.prompt === 'string' ? b.prompt : b.prompt.map(String).join('\n'))
      : [b.system === undefined ? '' : textOf(b.system), ...b.messages.map((m: any) => textOf(m?.content))].join('\n');
    // counted in the token thread (sim/tokens.ts): synchronous for a prompt seen before
    const counted = tokens.count(b.model, promptText);
    if (typeof counted === 'number') return admit(counted);
    void counted.then(admit, () => admit(Math.ceil(promptText.length / 4)));

    function admit(inputTokens: number): void {
      const maxTokens = fmt === 'responses' ? (typeof b.max_output_tokens === 'number' ? b.max_output_tokens : 4096) : typeof b.max_tokens === 'number' ? b.max_tokens : typeof b.max_completion_tokens === 'number' ? b.max_completion_tokens : fmt === 'completions' ? 16 : 4096;
      const gt: GroundTruth = { id: rid, path: url, stream, arrival_ms: arrival, start_ms: null, headers_ms: null, first_token_ms: null, token_ms: [], tokens: 0, status: 0, fault, input_tokens: inputTokens };
      if (prefixCache) gt.cached_tokens = prefixCache.use(promptText, inputTokens);
      const finishGt = (status: number) => { gt.status = status; record(gt); };

      if (fault === 'reset_before_headers') { req.socket.destroy(); return finishGt(0); }
      if (fault === '429') {
        // a rate limit on demand: short retry hints so retry paths can be tested quickly
        res.setHeader('retry-after', '1');
        res.setHeader('retry-after-ms', '200');
        if (isAnthropic) json(res, 429, anthropic.error('rate_limit_error', 'This request would exceed the rate limit (simulated).'));
        else json(res, 429, openai.error('Rate limit reached (simulated). Please try again in 200ms.', 'requests', 'rate_limit_exceeded'));
        return finishGt(429);
      }
      if (fault === '500' || fault === '502' || fault === '503' || fault === '529') {
        const status = Number(fault);
        res.setHeader('retry-after', '1');
        if (status === 502) { res.writeHead(502, { 'content-type': 'text/html', server: 'nginx' }); res.end(GATEWAY_502); }
        else if (isAnthropic) json(res, status, anthropic.error(status === 500 ? 'api_error' : 'overloaded_error', status === 500 ? 'Internal server error' : 'Overloaded'));
        else json(res, status, openai.error(status === 500 ? 'The server had an error while processing your request. Sorry about that!' : 'The engine is currently overloaded, please try again later', 'server_error', null));
        return finishGt(status);
      }

      // rate limits per key (Bearer or x-api-key)
      const auth = req.headers.authorization ?? '';
      const key = auth.startsWith('Bearer ') ? auth.slice(7) : (req.headers['x-api-key'] as string | undefined) ?? 'anonymous';
      const lim = limiter.take(key, inputTokens + maxTokens, monoMs());
      const lh = limitHeaders(lim, isAnthropic, Date.now());
      for (const [k, v] of Object.entries(lh)) res.setHeader(k, v);
      if (!lim.ok) {
        const secs = (lim.retryAfterMs / 1000).toFixed(3).replace(/\.?0+$/, '');
        const msg = lim.which === 'requests'
          ? `Rate limit reached for ${b.model} on requests per min (RPM): Limit ${lim.req?.limit}. Please try again in ${secs}s.`
          : `Rate limit reached for ${b.model} on tokens per min (TPM): Limit ${lim.tok?.limit}, Requested ${inputTokens + maxTokens}. Please try again in ${secs}s.`;
        if (isAnthropic) json(res, 429, anthropic.error('rate_limit_error', msg));
        else json(res, 429, openai.error(msg, lim.which, 'rate_limit_exceeded'));
        return finishGt(429);
      }

      const enqueued = monoMs();
      const start = () => {
        gt.start_ms = monoMs();
        // TTFT counts from arrival; time spent queued for a slot adds to it
        generate(req, res, b, fmt!, stream, fault, arrival + (gt.start_ms - enqueued), inputTokens, maxTokens, gt, finishGt);
      };
      if (active < p.concurrency) { active++; start(); return; }
      overloaded();
      if (queue.length < p.queue) queue.push(start);
      else {
        // queue full: overloaded, the way each provider says it
        if (isAnthropic) json(res, 529, anthropic.error('overloaded_error', 'Overloaded'));
        else { res.setHeader('retry-after', '1'); json(res, 503, openai.error('The engine is currently overloaded, please try again later', 'server_error', null)); }
        finishGt(isAnthropic ? 529 : 503);
      }
    }
  }

  function generate(req: IncomingMessage, res: ServerResponse, b: Record<string, any>, fmt: Fmt, stream: boolean, fault: FaultKind | null, arrival: number, inputTokens: number, maxTokens: number, gt: GroundTruth, finishGt: (s: number) => void): void {
    const isAnthropic = fmt === 'anthropic';
    if (fmt === 'embeddings') return embedAnswer(res, b, arrival, inputTokens, gt, finishGt);
    const r = prng(hash(JSON.stringify(b.messages ?? b.input ?? b.prompt), o.seed ?? 1) ^ (++seq * 2654435761));
    // vLLM's output-length controls, as a load generator uses them to hold the answer's length:
    // ignore_eos generates up to max_tokens; min_tokens is a floor under the sampled length
    const floor = typeof b.min_tokens === 'number' ? Math.min(b.min_tokens, maxTokens) : 1;
    const n = b.ignore_eos === true ? maxTokens : Math.max(1, floor, Math.min(maxTokens, Math.round(sample(p.outputTokens, rand))));
    const reason = n >= maxTokens ? (isAnthropic ? 'max_tokens' : 'length') : isAnthropic ? 'end_turn' : 'stop';
    const text = new Text(n, r, o.quirks);
    const truncated = n >= maxTokens;
    const ctx: Ctx = { id: `${ID_PREFIX[fmt]}${gt.id.slice(7)}`, model: b.model, created: Math.floor(Date.now() / 1000), ...(gt.cached_tokens ? { cached: gt.cached_tokens } : {}) };
    const slow = 1 + p.slowdownPerStream * active;
    // prefill: only the tokens the prefix cache did not serve
    const ttft = sample(p.ttft, rand) + p.prefillMsPerToken * (inputTokens - (gt.cached_tokens ?? 0));
    let closed = false;
    let released = false;
    const rel = () => { if (!released) { released = true; release(); } };
    res.on('close', () => { closed = true; rel(); });
    const firstAt = arrival + ttft; // `arrival` here already includes queueing time
    const headersAt = fault === 'slow_first_byte' ? gt.start_ms! + (o.slowFirstByteMs ?? 5000) : gt.start_ms!;
    const includeUsage = b.stream_options?.include_usage === true;
    const faultAt = Math.floor(n / 2);
    // each format's pieces: what goes out with the headers, per token, and at the end
    const tokenOut = (k: number) => (fmt === 'chat' ? openai.tokenJson(ctx, text.json(k)) : isAnthropic ? anthropic.tokenJson(text.json(k)) : fmt === 'responses' ? responses.tokenJson(ctx, text.json(k), k) : completions.tokenJson(ctx, text.json(k)));
    const startOut = () => (isAnthropic ? anthropic.start(ctx, inputTokens) : fmt === 'responses' ? responses.start(ctx) : '');
    const endOut = () => (isAnthropic ? anthropic.end(reason, n)
      : fmt === 'responses' ? responses.end(ctx, text.join(), truncated, inputTokens, n, n)
      : fmt === 'completions' ? completions.finish(ctx, reason) + (includeUsage ? completions.usage(ctx, inputTokens, n) : '') + completions.done()
      : openai.finish(ctx, reason) + (includeUsage ? openai.usage(ctx, inputTokens, n) : '') + openai.done());

    if (!stream) {
      const endAt = Math.max(headersAt, firstAt + (n - 1) * sample(p.itl, rand) * slow);
      sched.at(endAt, (now) => {
        if (closed) return finishGt(0);
        void now;
        gt.headers_ms = gt.first_token_ms = monoMs(); gt.tokens = n;
        if (o.groundTruth) gt.content = text.join();
        const full = text.join();
        json(res, 200, isAnthropic ? anthropic.json(ctx, full, reason, inputTokens, n) : fmt === 'responses' ? responses.json(ctx, full, truncated, inputTokens, n) : fmt === 'completions' ? completions.json(ctx, full, reason, inputTokens, n) : openai.json(ctx, full, reason, inputTokens, n));
        rel();
        finishGt(200);
      });
      return;
    }

    if (o.groundTruth) gt.content = text.join();
    // Mid-stream writes go straight to the socket as one pre-framed string once the headers
    // are out: ServerResponse.write corks the socket and sends a three-part writev (chunk
    // size, data, CRLF) through a WriteWrap per call; a plain socket write of one string takes
    // libuv's try-write path (docs/PERFORMANCE.md). The last write goes through res.end so
    // Node frames the terminator and keeps its keep-alive bookkeeping.
    let direct: { sock: NonNullable<ServerResponse['socket']>; chunked: boolean } | null = null;
    const send = (s: string, end = false) => {
      if (direct && !end && direct.sock.writable) {
        direct.sock.write(direct.chunked ? `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n` : s);
        return;
      }
      if (!o.quirks) return end ? res.end(s) : res.write(s);
      // CRLF line ends, a keep-alive comment, and every write split inside a UTF-8 sequence
      const q = Buffer.from(': keep-alive\r\n\r\n' + s.replace(/\n/g, '\r\n'), 'utf8');
      let cut = q.findIndex((byte) => byte >= 0xc0); // first lead byte of a multi-byte char
      if (cut < 0) cut = q.length >> 1; else cut += 1;
      res.write(q.subarray(0, cut));
      return end ? res.end(q.subarray(cut)) : res.write(q.subarray(cut));
    };
    // --framing length: the whole body's size is known up front (no fault, no quirks), so it
    // goes out with Content-Length and no chunk framing: one plain write per tick instead of a
    // three-part writev (higher simulator throughput; chunked, like real APIs, is the default)
    let contentLength: number | undefined;
    if (o.framing === 'length' && !fault && !o.quirks) {
      let len = 0;
      for (let k = 0; k < n; k++) len += Buffer.byteLength(tokenOut(k));
      len += Buffer.byteLength(startOut()) + (fmt === 'chat' ? Buffer.byteLength(openai.role(ctx)) : 0) + Buffer.byteLength(endOut());
      contentLength = len;
    }
    let headersOut = false;
    const sendHeaders = (now: number) => {
      if (headersOut) return;
      headersOut = true;
      void now;
      gt.headers_ms = monoMs();
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...(contentLength !== undefined ? { 'content-length': String(contentLength) } : {}) });
      res.flushHeaders();
      // direct writes only when this response owns the socket (not a queued pipelined one)
      // and Node's framing is known
      const sock = res.socket;
      const chunked = (res as unknown as { chunkedEncoding?: unknown }).chunkedEncoding;
      if (!o.quirks && sock && (sock as unknown as { _httpMessage?: unknown })._httpMessage === res && typeof chunked === 'boolean') direct = { sock, chunked };
      if (isAnthropic) { send(anthropic.start(ctx, inputTokens)); events += 3; }
      else if (fmt === 'responses') { send(responses.start(ctx)); events += 4; }
      else if (o.quirks) send(': OPENROUTER PROCESSING\n\n');
    };
    if (headersAt < firstAt) sched.at(headersAt, sendHeaders);
    let i = 0;
    let tailed = false;
    let due = Math.max(firstAt, headersAt);
    const step = (now: number) => {
      if (closed) return finishGt(0);
      sendHeaders(now);
      // every token due by now goes out in one write (a late tick batches). Ground truth is
      // stamped when the write is handed to the socket, not at the tick: one tick serves every
      // due stream in turn, and with 100 streams in step the last write leaves 1–3 ms after the
      // tick began (measured: that spread showed up as client "TTFT error" in make perf whole)
      let out = '';
      let added = 0;
      const write = (s: string, end = false) => {
        if (added > 0) {
          const at = monoMs();
          if (gt.first_token_ms === null) gt.first_token_ms = at;
          if (o.groundTruth) for (let k = 0; k < added; k++) gt.token_ms.push(at);
          added = 0;
        }
        send(s, end);
      };
      if (i === 0 && fmt === 'chat') { out += openai.role(ctx); events++; }
      while (i < n && due <= now + 0.05) {
        if (i === faultAt && fault) {
          if (fault === 'reset_mid_stream') { if (out) write(out); gt.tokens = i; res.socket?.destroy(); rel(); return finishGt(200); }
          if (fault === 'stall') { if (out) write(out); gt.tokens = i; const stallEnd = now + (o.stallMs ?? 600_000); sched.at(stallEnd, () => { if (!closed) res.end(); rel(); }); return finishGt(200); }
          if (fault === 'malformed_sse') out += fmt === 'responses' ? responses.malformed(ctx) : 'data: {"id":"' + ctx.id + '","choices":[{"index":0,"delta":{"content":"B"\n\n';
          if (fault === 'cut_done') {
            out += isAnthropic ? anthropic.cut() : fmt === 'responses' ? responses.cut(ctx, inputTokens, i) : openai.done();
            write(out, true); gt.tokens = i; rel(); return finishGt(200);
          }
          if (fault === 'error_event') {
            out += isAnthropic ? anthropic.errorEvent('overloaded_error', 'Overloaded') : fmt === 'responses' ? responses.errorEvent('The server had an error while generating the response (simulated).') : openai.errorChunk('The server had an error while generating the response (simulated).');
            if (fmt === 'chat' || fmt === 'completions') out += openai.done();
            write(out, true); gt.tokens = i; rel(); return finishGt(200);
          }
        }
        out += tokenOut(i);
        events++;
        added++;
        i++;
        due += sample(p.itl, rand) * slow;
      }
      if (i >= n && o.tailMs && !tailed) {
        // --tail-ms: the last token now, the finish (usage, [DONE] / message_stop) later, as a
        // server that computes usage after decoding does: TPOT must not count it, e2e must
        tailed = true;
        if (out) write(out);
        // from the last token's write, not the tick: a tick that ran late wrote it late, and the
        // finish must still come a full --tail-ms after it (CI read a 198.3 ms gap once)
        sched.at(monoMs() + o.tailMs, step);
        return;
      }
      if (i >= n) {
        out += endOut();
        events += isAnthropic ? 3 : fmt === 'responses' ? 4 : includeUsage ? 3 : 2;
        gt.tokens = n;
        write(out, true);
        rel();
        return finishGt(200);
      }
      if (out) write(out);
      sched.at(due, step);
    };
    sched.at(due, step);
    void req;
  }

  /** an embeddings answer: after the profile's TTFT plus the prefill of the input (the work an
   *  embedding model does), one vector of `dimensions` (default 256) floats per input */
  function embedAnswer(res: ServerResponse, b: Record<string, any>, arrival: number, inputTokens: number, gt: GroundTruth, finishGt: (s: number) => void): void {
    const items = Array.isArray(b.input) ? b.input.length : 1;
    const dims = typeof b.dimensions === 'number' && b.dimensions > 0 ? Math.min(4096, Math.floor(b.dimensions)) : 256;
    const at = arrival + sample(p.ttft, rand) + p.prefillMsPerToken * inputTokens;
    let closed = false;
    res.on('close', () => { closed = true; release(); });
    sched.at(at, () => {
      if (closed) return finishGt(0);
      gt.headers_ms = gt.first_token_ms = monoMs();
      gt.items = items;
      const vec = Array.from({ length: dims }, (_, i) => Math.round(Math.sin(i + items) * 1e6) / 1e6);
      json(res, 200, JSON.stringify({ object: 'list', data: Array.from({ length: items }, (_, index) => ({ object: 'embedding', index, embedding: vec })), model: b.model, usage: { prompt_tokens: inputTokens, total_tokens: inputTokens } }));
      finishGt(200);
    });
  }

  function json(res: ServerResponse, status: number, body: string): void {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `${o.tls ? 'https' : 'http'}://${host}:${addr.port}/v1`,
    port: addr.port,
    scheduler: sched,
    groundTruth: () => truths,
    stats,
    resetStats,
    close: async () => {
      sched.stop();
      gcObserver.disconnect();
      await tokens.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (gtFile) await new Promise<void>((r) => gtFile!.end(r));
    },
  };
}

export { PROFILES };
