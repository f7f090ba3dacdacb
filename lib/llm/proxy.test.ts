import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bypassed, proxyFor, shownProxy } from './proxy.ts';

test('proxyFor: HTTPS_PROXY for https, HTTP_PROXY for http, lower case wins, scheme optional', () => {
  const env = { HTTPS_PROXY: 'http://a:3128', HTTP_PROXY: 'b:8080', https_proxy: 'http://c:3128' };
  assert.equal(proxyFor(new URL('https://api.openai.com/v1'), env)?.host, 'c:3128');
  assert.equal(proxyFor(new URL('http://127.0.0.1:8000/v1'), env)?.href, 'http://b:8080/');
  assert.equal(proxyFor(new URL('https://x'), {}), null);
  assert.throws(() => proxyFor(new URL('https://x'), { HTTPS_PROXY: 'http://[bad' }), /invalid proxy URL in HTTPS_PROXY/);
});

test('NO_PROXY: hosts, domains with and without a dot, ports, IPs, IPv6, *', () => {
  assert.equal(bypassed('127.0.0.1', '127.0.0.1', '8080'), true);
  assert.equal(bypassed('example.com', 'api.example.com', '443'), true);
  assert.equal(bypassed('example.com', 'example.com', '443'), true);
  assert.equal(bypassed('.example.com', 'example.com', '443'), true);
  assert.equal(bypassed('example.com', 'badexample.com', '443'), false);
  assert.equal(bypassed('*.example.com', 'a.example.com', '443'), true);
  assert.equal(bypassed('localhost:8080', 'localhost', '8080'), true);
  assert.equal(bypassed('localhost:8080', 'localhost', '9090'), false);
  assert.equal(bypassed('::1', '[::1]', '80'), true);
  assert.equal(bypassed('[::1]:80', '[::1]', '80'), true);
  assert.equal(bypassed('*', 'anything', '1'), true);
  assert.equal(bypassed(' a.com , b.com ', 'b.com', '1'), true);
  assert.equal(bypassed(undefined, 'x', '1'), false);
});

test('a proxy URL is shown without its password', () => {
  assert.equal(shownProxy(new URL('http://user:s3cret@proxy:3128')), 'http://user:***@proxy:3128');
  assert.equal(shownProxy(new URL('http://proxy:3128')), 'http://proxy:3128');
});
