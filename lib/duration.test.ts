import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, formatDuration } from './duration.ts';

test('parses k6 durations', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('1h2m3.5s'), 3_723_500);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration(2), 2000);
  assert.equal(parseDuration('2'), 2000);
});
test('rejects bad durations with the valid form', () => {
  assert.throws(() => parseDuration('5 m'), /invalid duration "5 m".*e\.g\. 30s/);
  assert.throws(() => parseDuration('abc'), /units: h, m, s, ms/);
  assert.throws(() => parseDuration(''), /invalid/);
  assert.throws(() => parseDuration(-1), /non-negative/);
});
test('formats', () => {
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(250), '250ms');
});
