import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrefixCache, BLOCK_CHARS } from './prefix-cache.ts';

test('prefix cache: a shared prefix hits block by block, a changed early block misses the rest, LRU capacity', () => {
  const c = new PrefixCache(100);
  const sys = 'S'.repeat(BLOCK_CHARS * 4);
  assert.equal(c.use(sys + 'user one '.repeat(100), 1000), 0, 'cold');
  const second = sys + 'user two '.repeat(100);
  // the 4 system blocks hit; the rest differs
  assert.equal(c.use(second, 1000), Math.floor((1000 * 4 * BLOCK_CHARS) / second.length));
  // a different first block: nothing after it counts, even equal text
  assert.equal(c.use('X'.repeat(BLOCK_CHARS) + sys.slice(BLOCK_CHARS), 500), 0);
  const small = new PrefixCache(2);
  small.use('a'.repeat(BLOCK_CHARS * 3), 30); // 3 blocks into a 2-block cache: the first is evicted
  assert.equal(small.use('a'.repeat(BLOCK_CHARS * 3), 30), 0, 'the first block was evicted: no prefix hit');
});
