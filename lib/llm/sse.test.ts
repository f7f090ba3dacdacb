import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseEvent } from './sse.ts';
import { sseCases } from '../../test/wire-fixtures.ts';
import { dialect } from './dialects/index.ts';
import { isIncomplete } from './types.ts';

function parse(chunks: Uint8Array[]): { events: SseEvent[]; retry: number | null } {
  const events: SseEvent[] = [];
  let retry: number | null = null;
  const p = new SseParser({ event: (e) => events.push(e), retry: (ms) => { retry = ms; } });
  for (const c of chunks) p.push(c);
  p.end();
  return { events, retry };
}

function splitAt(buf: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) { out.push(buf.subarray(prev, c)); prev = c; }
  out.push(buf.subarray(prev));
  return out;
}

/** Reads chunks through the parser and a dialect's reader, as chat() does; `bytes` offers the
 * parser's byte path (the dialect's onDataBytes) when the dialect has one. */
export function readThrough(name: string, chunks: Uint8Array[], bytes = true, counts = { bytes: 0 }, feed = (p: SseParser, c: Uint8Array) => p.push(Buffer.from(c.buffer, c.byteOffset, c.length))) {
  const d = dialect(name);
  const r = d.stream();
  let i = 0, first = -1, stopped = false;
  const verdict = (v: { output: boolean; fatal?: boolean }) => {
    if (v.output && first < 0) first = i;
    if (v.fatal) { stopped = true; p.stopped = true; }
    i++;
  };
  const p = new SseParser({
    event: (e) => { if (!stopped) verdict(r.onEvent(e.event, e.data)); },
    bytes: bytes && r.onDataBytes ? (buf, s, e, es, ee) => {
      if (stopped) return true;
      const v = r.onDataBytes!(buf, s, e, es, ee);
      if (!v) return false;
      counts.bytes++;
      verdict(v);
      return true;
    } : undefined,
  });
  for (const c of chunks) { if (!stopped) feed(p, c); }
  if (!stopped) p.end();
  return { result: r.finish(), first };
}

/** Splits a stream after every blank line: the chunking a server that writes one event per
 * write produces, where the parser's byte path takes over after the first chunk. */
function eventChunks(body: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (let i = 1; i < body.length; i++) if (body[i] === 10 && body[i - 1] === 10) { out.push(body.subarray(prev, i + 1)); prev = i + 1; }
  if (prev < body.length) out.push(body.subarray(prev));
  return out;
}

const cases = sseCases();

test('every SSE conformance fixture dispatches exactly its events', () => {
  for (const c of cases.filter((c) => c.meta.events)) {
    const { events, retry } = parse([c.body]);
    assert.deepEqual(events, c.meta.events, c.name);
    if (c.meta.retry_ms !== undefined) assert.equal(retry, c.meta.retry_ms, c.name);
  }
});

function checkExpect(name: string, got: ReturnType<typeof readThrough>, e: any) {
  const r = got.result;
  assert.equal(r.content, e.content, `${name} content`);
  assert.equal(r.reasoning, e.reasoning, `${name} reasoning`);
  assert.deepEqual(r.toolCalls, e.tool_calls, `${name} tool_calls`);
  assert.equal(r.finishReason, e.finish_reason, `${name} finish_reason`);
  assert.deepEqual(r.usage, e.usage, `${name} usage`);
  assert.equal(r.outputEvents, e.output_events, `${name} output_events`);
  assert.equal(got.first, e.first_output_event, `${name} first_output_event`);
  assert.equal(r.done, e.done, `${name} done`);
  assert.equal(isIncomplete(r), e.incomplete, `${name} incomplete`);
  if (e.error === null) assert.equal(r.error, null, `${name} error`);
  else {
    assert.equal(r.error?.kind, e.error.kind, `${name} error kind`);
    assert.ok(r.error!.message.includes(e.error.message_contains), `${name} message "${r.error!.message}"`);
  }
}

test('every dialect fixture reads to its expected result', () => {
  for (const c of cases.filter((c) => c.meta.dialect)) checkExpect(c.name, readThrough(c.meta.dialect, [c.body]), c.meta.expect);
});

test('byte-at-a-time reads give identical results', () => {
  for (const c of cases) {
    const chunks = Array.from({ length: c.body.length }, (_, i) => c.body.subarray(i, i + 1));
    if (c.meta.dialect) checkExpect(c.name, readThrough(c.meta.dialect, chunks), c.meta.expect);
    else assert.deepEqual(parse(chunks).events, c.meta.events);
  }
});

test('property: random re-splits of every fixture give identical results (>=100k splits)', () => {
  let seed = 12345;
  const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
  let splits = 0;
  const rounds = Number(process.env.SSE_SPLIT_ROUNDS ?? 1200);
  for (const c of cases) {
    // the reference reads the whole body as text; the splits may take the byte path
    const ref = c.meta.dialect ? readThrough(c.meta.dialect, [c.body], false) : parse([c.body]);
    for (let k = 0; k < rounds; k++) {
      const n = 1 + Math.floor(rand() * 12);
      const cuts = Array.from({ length: n }, () => Math.floor(rand() * (c.body.length + 1)));
      splits += n;
      const chunks = splitAt(c.body, cuts);
      const got = c.meta.dialect ? readThrough(c.meta.dialect, chunks) : parse(chunks);
      assert.deepEqual(got, ref, `${c.name} cuts=${cuts}`);
    }
  }
  assert.ok(splits >= 100_000, `only ${splits} splits`);
});

test('CRLF split across reads is one line ending', () => {
  const enc = new TextEncoder();
  const { events } = parse([enc.encode('data: a\r'), enc.encode('\ndata: b\r\n\r\n')]);
  assert.deepEqual(events, [{ event: 'message', data: 'a\nb', id: '' }]);
});

test('event-aligned reads take the byte path where the dialect has one, with identical results', () => {
  let viaBytes = 0;
  for (const c of cases.filter((c) => c.meta.dialect)) {
    const counts = { bytes: 0 };
    const got = readThrough(c.meta.dialect, eventChunks(c.body), true, counts);
    assert.deepEqual(got, readThrough(c.meta.dialect, [c.body], false), c.name);
    checkExpect(c.name, got, c.meta.expect);
    viaBytes += counts.bytes;
  }
  assert.ok(viaBytes > 10, `the byte path read ${viaBytes} events`);
});

// our HTTP/1.1 reader hands the parser a range of one reused read buffer: bytes of earlier,
// longer reads lie after the range, and a CR sentinel right after it (lib/llm/h1/connection.ts)
test('ranges of a reused read buffer, stale bytes after them, read exactly like whole chunks', () => {
  let seed = 7;
  const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
  const stale = Buffer.from('data: {"choices":[{"index":0,"delta":{"content":"STALE"}}]}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"STALE"}}\n\n'.repeat(200));
  let viaBytes = 0;
  for (const c of cases.filter((c) => c.meta.dialect)) {
    const ref = readThrough(c.meta.dialect, [c.body], false);
    for (let k = 0; k < 40; k++) {
      const chunks = k === 0 ? eventChunks(c.body) : splitAt(c.body, Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * (c.body.length + 1))));
      const buf = Buffer.alloc(Math.max(65536, c.body.length + 64));
      stale.copy(buf);
      const counts = { bytes: 0 };
      const got = readThrough(c.meta.dialect, chunks, true, counts, (p, chunk) => {
        const off = Math.floor(rand() * 16); // a chunk-size line before the data
        buf.set(chunk, off);
        buf[off + chunk.length] = 13; // the reader's sentinel
        p.push(buf, off, off + chunk.length);
        stale.copy(buf, 0, 0, off + chunk.length + 1); // the next read finds stale bytes again
      });
      assert.deepEqual(got, ref, `${c.name} round ${k}`);
      viaBytes += counts.bytes;
    }
  }
  assert.ok(viaBytes > 10, `the byte path read ${viaBytes} events from ranges`);
});

const SHAPES = {
  'openai-chat': {
    head: (_i: number) => 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"',
    tails: ['"},"logprobs":null,"finish_reason":null}]}', '"},"logprobs":null,"finish_reason":null}],"usage":null}'],
    start: 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n',
    end: 'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
  },
  'anthropic-messages': {
    head: (i: number) => `event: content_block_delta\ndata: {"type":"content_block_delta","index":${i},"delta":{"type":"text_delta","text":"`,
    tails: ['"}}'],
    start: 'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","content":[],"model":"c","usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
    end: 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n',
  },
} as const;

test('byte path: content bytes are read exactly or handed to the text path (UTF-8, escapes, layouts), both dialects', () => {
  let seed = 99;
  const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
  const pieces = ['a', ' ', 'é', '负', '🚀', '"', '\\\\', '\\n', '\\u00e9', '}', ']', '{', '"error"', '\\r'];
  const enc = new TextEncoder();
  for (const [name, shape] of Object.entries(SHAPES)) {
    let viaBytes = 0;
    for (let round = 0; round < 500; round++) {
      const events: Uint8Array[] = [enc.encode(shape.start)];
      for (let k = 0; k < 6; k++) {
        let raw = '';
        for (let m = 0, n = Math.floor(rand() * 4); m < n; m++) raw += pieces[Math.floor(rand() * pieces.length)];
        // the piece is JSON string source: escape lone quotes so every event stays valid JSON
        raw = raw.replace(/(?<!\\)"/g, '\\"');
        const head = shape.head(rand() < 0.8 ? 0 : 1 + Math.floor(rand() * 20));
        let bytes = enc.encode(`${head}${raw}${shape.tails[Math.floor(rand() * shape.tails.length)]}\n\n`);
        if (rand() < 0.05) { // invalid UTF-8 inside the text: must not take the byte path
          const b = new Uint8Array(bytes.length + 1);
          const at = head.length;
          b.set(bytes.subarray(0, at)); b[at] = 0xe4; b.set(bytes.subarray(at), at + 1);
          bytes = b;
        }
        events.push(bytes);
      }
      events.push(enc.encode(shape.end));
      const counts = { bytes: 0 };
      const got = readThrough(name, events, true, counts);
      const all = new Uint8Array(events.reduce((n, e) => n + e.length, 0));
      let o = 0;
      for (const e of events) { all.set(e, o); o += e.length; }
      assert.deepEqual(got, readThrough(name, [all], false), `${name} round ${round}`);
      viaBytes += counts.bytes;
    }
    assert.ok(viaBytes > 300 && viaBytes < 3000, `${name}: the byte path read ${viaBytes} of 3,000 text events`);
  }
});

test('limits: a line that never ends, or an event whose data never ends, stops the parser with overflow', async () => {
  const { SseParser, SSE_LIMITS } = await import('./sse.ts');
  const saved = { ...SSE_LIMITS };
  SSE_LIMITS.lineBytes = 1000; SSE_LIMITS.eventDataBytes = 5000;
  try {
    const got: string[] = [];
    let events = 0;
    const p = new SseParser({ event: () => { events++; }, overflow: (w) => got.push(w) });
    p.push(Buffer.from('data: ok\n\n'));
    for (let i = 0; i < 20; i++) p.push(Buffer.from('x'.repeat(100)));
    assert.equal(events, 1);
    assert.equal(got.length, 1);
    assert.match(got[0]!, /SSE line longer than 1000 bytes/);
    assert.equal(p.stopped, true);
    const q: string[] = [];
    const p2 = new SseParser({ event: () => {}, overflow: (w) => q.push(w) });
    for (let i = 0; i < 100; i++) p2.push(Buffer.from(`data: ${'y'.repeat(90)}\n`)); // lines end, the event never does
    assert.equal(q.length, 1);
    assert.match(q[0]!, /more than 5000 bytes of data/);
  } finally { Object.assign(SSE_LIMITS, saved); }
});
