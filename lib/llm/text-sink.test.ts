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
