import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIdleCloseRace, originKey, withCode, CONNECT_ERRORS } from './net-errors.ts';

test('idle-close race: only a reused connection that died before any response byte', () => {
  assert.equal(isIdleCloseRace('ECONNRESET', true, 0), true);
  assert.equal(isIdleCloseRace('EPIPE', true, 0), true);
  assert.equal(isIdleCloseRace('UND_ERR_SOCKET', true, 0), true);
  assert.equal(isIdleCloseRace('ECONNRESET', false, 0), false, 'a fresh connection that dies is the server\'s failure');
  assert.equal(isIdleCloseRace('ECONNRESET', true, 1), false, 'a response byte arrived: the server answered');
  assert.equal(isIdleCloseRace('ECONNREFUSED', true, 0), false, 'refused is a connect failure, retried by chat()');
  assert.equal(isIdleCloseRace('', true, 0), false);
});

test('originKey: host lower-cased and default ports dropped, as URL normalises them', () => {
  assert.equal(originKey(new URL('https://API.Example.com:443/v1')), 'https://api.example.com');
  assert.equal(originKey(new URL('http://127.0.0.1:8080/x')), 'http://127.0.0.1:8080');
  assert.equal(originKey(new URL('http://[::1]:80/')), 'http://[::1]');
});

test('withCode names the code once; connect errors exclude resets', () => {
  assert.equal(withCode('socket hang up', 'ECONNRESET'), 'socket hang up (ECONNRESET)');
  assert.equal(withCode('read ECONNRESET', 'ECONNRESET'), 'read ECONNRESET');
  assert.equal(CONNECT_ERRORS.has('ECONNRESET'), false);
});
