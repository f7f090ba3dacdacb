import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestTags, sharedTags, tagsKey, withStatus } from './shared-tags.ts';

test('the same values give the same object; other values, or a caller\'s tags, another', () => {
  const a = requestTags('sim', 'gpt-4.1', true);
  assert.equal(requestTags('sim', 'gpt-4.1', true), a);
  assert.deepEqual(a, { provider: 'sim', model: 'gpt-4.1', stream: 'true' });
  assert.notEqual(requestTags('sim', 'gpt-4.1', false), a);
  assert.notEqual(requestTags('sim', 'gpt-4o', true), a);
  // a caller's tags win over ours (as before); the same tags in a fresh object of the caller's
  // (k6/http builds one per request) give the same shared object, other values another
  const own = requestTags('sim', 'gpt-4.1', true, { name: 'x', model: 'mine' });
  assert.deepEqual(own, { provider: 'sim', model: 'mine', stream: 'true', name: 'x' });
  assert.equal(requestTags('sim', 'gpt-4.1', true, { name: 'x' }), requestTags('sim', 'gpt-4.1', true, { name: 'x' }));
  assert.notEqual(requestTags('sim', 'gpt-4.1', true, { name: 'x' }), requestTags('sim', 'gpt-4.1', true, { name: 'y' }));
  // a name that looks like another tag's value does not collide: names and values are delimited
  assert.notEqual(requestTags('sim', 'gpt-4.1', true, { a: 'b' }), requestTags('sim', 'gpt-4.1', true, { ab: '' }));
  // an empty object of the caller's is no tags at all
  assert.equal(requestTags('sim', 'gpt-4.1', true, {}), a);
});

test('withStatus: shared per base and status, the base left as it was', () => {
  const a = requestTags('p', 'm', true);
  const s200 = withStatus(a, 200);
  assert.equal(withStatus(a, 200), s200);
  assert.deepEqual(s200, { provider: 'p', model: 'm', stream: 'true', status: '200' });
  assert.notEqual(withStatus(a, 429), s200);
  assert.equal(withStatus(a, 429).status, '429');
  assert.equal(a.status, undefined);
});

test('sharedTags: one object per key, built once', () => {
  let built = 0;
  const make = () => { built++; return { url: 'http://x/', name: 'n' }; };
  const a = sharedTags(`t\0${tagsKey({ name: 'n' })}`, make);
  assert.equal(sharedTags(`t\0${tagsKey({ name: 'n' })}`, make), a);
  assert.equal(built, 1);
  assert.deepEqual(a, { url: 'http://x/', name: 'n' });
  assert.equal(tagsKey({ a: '1', b: '2' }), 'a\x011\x02b\x012\x02');
});

test('model names made up per request do not grow the table without bound', () => {
  const first = requestTags('p', 'm-0', true);
  for (let i = 1; i <= 4100; i++) requestTags('p', `m-${i}`, true);
  // the table was cleared on the way: the first value set gets a new (equal) object
  const again = requestTags('p', 'm-0', true);
  assert.notEqual(again, first);
  assert.deepEqual(again, first);
});
