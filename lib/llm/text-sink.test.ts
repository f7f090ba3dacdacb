import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextSink } from './text-sink.ts';

test('TextSink: many deltas, multi-byte text, growth across the buffer size', () => {
  const parts = ['Hello', ' 世界', ' 🚀', '', ' naïve', 'x'.repeat(5000), ' ✅'];
  const sink = new TextSink();
  let expected = '';
  for (let k = 0; k < 50; k++) for (const p of parts) { sink.append(p); expected += p; }
  assert.equal(sink.toString(), expected);
  assert.equal(sink.length, Buffer.byteLength(expected));
  assert.equal(new TextSink().toString(), '');
});

test('TextSink.bytes(): what was appended, across growth from the initial size; empty when nothing was', () => {
  assert.equal(new TextSink().bytes().length, 0);
  const sink = new TextSink(16);
  const parts: Buffer[] = [];
  for (let i = 0; i < 50; i++) {
    const chunk = Buffer.from(`data: {"i":${i},"s":"é✓"}\n\n`);
    // appended from a range of a larger buffer, as the connection's read buffer hands it over
    const wide = Buffer.concat([Buffer.from('xx'), chunk, Buffer.from('yy')]);
    sink.appendBytes(wide, 2, 2 + chunk.length);
    parts.push(chunk);
  }
  assert.deepEqual(sink.bytes(), Buffer.concat(parts));
  assert.equal(sink.bytes().toString('utf8'), Buffer.concat(parts).toString('utf8'));
});
