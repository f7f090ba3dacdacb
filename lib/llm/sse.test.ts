import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser, type SseEvent } from './sse.ts';
import { sseCases } from '../../test/fixtures.ts';
import { dialect } from './dialects/index.ts';

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

export function readThrough(name: string, chunks: Uint8Array[]) {
  const d = dialect(name);
  const r = d.stream();
  let i = 0, first = -1, stopped = false;
  const p = new SseParser({ event: (e) => {
    if (stopped) return;
    const v = r.onEvent(e.event, e.data);
    if (v.output && first < 0) first = i;
    if (v.fatal) { stopped = true; p.stopped = true; }
    i++;
  } });
  for (const c of chunks) { if (!stopped) p.push(c); }
  if (!stopped) p.end();
  return { result: r.finish(), first };
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
    const ref = c.meta.dialect ? readThrough(c.meta.dialect, [c.body]) : parse([c.body]);
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
