import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRedirects, applyRedirects } from './redirect.ts';

test('redirect: prefix at a path boundary, sim keeps the path, other URLs untouched', () => {
  const r = parseRedirects(['https://api.holysheep.ai/v1=sim', 'https://api.openai.com=http://127.0.0.1:9000/']);
  assert.equal(applyRedirects('https://api.holysheep.ai/v1/chat/completions', r, 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080/v1/chat/completions');
  assert.equal(applyRedirects('https://api.holysheep.ai/v1?x=1', r, 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080/v1?x=1');
  assert.equal(applyRedirects('https://api.holysheep.ai/v10/models', r, 'http://127.0.0.1:8080'), 'https://api.holysheep.ai/v10/models');
  assert.equal(applyRedirects('https://api.openai.com/v1/models', r, null), 'http://127.0.0.1:9000/v1/models');
  assert.equal(applyRedirects('https://example.com/', r, null), 'https://example.com/');
  assert.throws(() => applyRedirects('https://api.holysheep.ai/v1/x', r, null), /simulator is not running/);
});

test('redirect: bad rules name the fix', () => {
  assert.throws(() => parseRedirects(['nonsense']), /use FROM=TO/);
  assert.throws(() => parseRedirects(['api.x.com=sim']), /absolute http\(s\) URL/);
  assert.throws(() => parseRedirects(['https://a.com=ftp://b']), /TO must be an http\(s\) URL or "sim"/);
  assert.throws(() => parseRedirects(['https://a.com=']), /use FROM=TO/);
});
