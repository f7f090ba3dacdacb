import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Md4 } from './md4.ts';
import crypto from './crypto.ts';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

// RFC 1320, appendix A.5 "Test suite"
const SUITE: Array<[string, string]> = [
  ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
  ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
  ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
  ['message digest', 'd9130a8164549fe818874806e1c7014b'],
  ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
  ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
];

test('md4: the RFC 1320 test suite, whole and fed a byte at a time', () => {
  for (const [input, want] of SUITE) {
    assert.equal(new Md4().update(Buffer.from(input)).digest().toString('hex'), want, JSON.stringify(input));
    const h = new Md4();
    for (const b of Buffer.from(input)) h.update(Buffer.from([b]));
    assert.equal(h.digest().toString('hex'), want, `${JSON.stringify(input)} byte by byte`);
  }
});

test('k6/crypto md4 and createHash("md4") answer on Node 20 (OpenSSL 3 has no md4)', () => {
  assert.equal(crypto.md4('abc', 'hex'), 'a448017aaf21d8525fc10ae87aa6729d');
  const h = crypto.createHash('md4');
  h.update('message ');
  h.update('digest');
  assert.equal(h.digest('hex'), 'd9130a8164549fe818874806e1c7014b');
});

test('HMAC-MD4 follows RFC 2104 (checked with HMAC-SHA256 built the same way against node:crypto)', () => {
  // the construction, over a hash Node does have, must equal Node's HMAC; then md4 uses it
  const { createHash, createHmac } = require('node:crypto') as typeof import('node:crypto');
  const key = Buffer.from('key'), msg = Buffer.from('The quick brown fox jumps over the lazy dog');
  const k = Buffer.alloc(64); key.copy(k);
  const inner = createHash('md5').update(Buffer.from(k.map((b) => b ^ 0x36))).update(msg).digest();
  const mine = createHash('md5').update(Buffer.from(k.map((b) => b ^ 0x5c))).update(inner).digest('hex');
  assert.equal(mine, createHmac('md5', key).update(msg).digest('hex'));
  const innerMd4 = new Md4().update(Buffer.from(k.map((b) => b ^ 0x36))).update(msg).digest();
  assert.equal(crypto.hmac('md4', 'key', msg.toString(), 'hex'), new Md4().update(Buffer.from(k.map((b) => b ^ 0x5c))).update(innerMd4).digest().toString('hex'));
  assert.equal((crypto.createHMAC('md4', 'key') as any).digest('hex').length, 32);
});
