// HTTP/1.1 response framing (RFC 9112), fed whole and split at every byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseParser, HttpParseError } from './parser.ts';

interface Got { status: number; headers: Record<string, string>; body: string; complete: boolean; keepAlive: boolean | null; heads: number }

function parse(wire: string | Buffer, splits: number[] = [], opts: { noBody?: boolean; close?: boolean } = {}): Got & { extra: number } {
  const g: Got = { status: 0, headers: {}, body: '', complete: false, keepAlive: null, heads: 0 };
  const p = new ResponseParser({
    onHeaders(status, headers) { g.status = status; g.headers = headers; g.heads++; },
    onBody(buf, s, e) { g.body += buf.toString('latin1', s, e); },
    onComplete(ka) { g.complete = true; g.keepAlive = ka; },
  }, opts.noBody);
  const b = Buffer.isBuffer(wire) ? wire : Buffer.from(wire, 'latin1');
  let at = 0;
  for (const s of [...splits, b.length]) {
    // each piece in a fresh buffer with junk after `end`: the parser must respect the bound
    // (CR, LF and a whole fake chunk/response: a scan that runs past `end` finds line ends there)
    const piece = Buffer.concat([b.subarray(at, s), Buffer.from('\r\n0\r\n\r\nHTTP/1.1 500 X\r\n\r\n', 'latin1')]);
    p.execute(piece, s - at);
    at = s;
  }
  if (opts.close) p.finish();
  return { ...g, extra: p.extra };
}

/** parses `wire` whole and split at every single point and every pair of points near the
 *  framing bytes; every way must give the same result */
function everySplit(wire: string, opts: { noBody?: boolean; close?: boolean } = {}): Got {
  const whole = parse(wire, [], opts);
  for (let i = 1; i < wire.length; i++) assert.deepEqual(parse(wire, [i], opts), whole, `split at ${i}`);
  for (let i = 1; i < wire.length; i += 3) for (let j = i + 1; j < Math.min(wire.length, i + 9); j++) assert.deepEqual(parse(wire, [i, j], opts), whole, `split at ${i}, ${j}`);
  return whole;
}

test('chunked body with chunk extensions and trailers', () => {
  const wire = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n'
    + '7;name=value;q="x y"\r\ndata: a\r\n' + 'A \r\ndata: 0123\r\n' + '0;last\r\nX-Trailer: yes\r\nOther: 1\r\n\r\n';
  const g = everySplit(wire);
  assert.equal(g.status, 200);
  assert.equal(g.headers['content-type'], 'text/event-stream');
  assert.equal(g.body, 'data: a' + 'data: 0123');
  assert.equal(g.complete, true);
  assert.equal(g.keepAlive, true);
});

test('chunk sizes in upper and lower case hex; bare LF line ends are tolerated', () => {
  assert.equal(parse('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1a\r\n' + 'x'.repeat(26) + '\r\n1A\r\n' + 'y'.repeat(26) + '\r\n0\r\n\r\n').body, 'x'.repeat(26) + 'y'.repeat(26));
  const lax = parse('HTTP/1.1 200 OK\ntransfer-encoding: chunked\n\n3\nabc\n0\n\n');
  assert.equal(lax.body, 'abc');
  assert.equal(lax.complete, true);
});

test('Content-Length body; bytes after the message are counted as extra, not read', () => {
  const g = everySplit('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world');
  assert.equal(g.body, 'hello world');
  assert.equal(g.complete, true);
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n').extra, 17);
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\n\r\nabc').body, 'abc', 'repeated equal lengths are one');
  assert.throws(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabc'), HttpParseError);
  assert.throws(() => parse('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'), HttpParseError);
  const empty = parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  assert.equal(empty.complete, true);
});

test('keep-alive: HTTP/1.1 by default, Connection: close ends it; HTTP/1.0 only when asked', () => {
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive, true);
  assert.equal(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').keepAlive, false);
  assert.equal(parse('HTTP/1.1 200 OK\r\nConnection: Upgrade, Close\r\nContent-Length: 0\r\n\r\n').keepAlive, false);
  assert.equal(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive, false);
  assert.equal(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').keepAlive, true);
});

test('no framing: the body runs until the connection closes, which completes it', () => {
  const g = everySplit('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close', { close: true });
  assert.equal(g.body, 'until close');
  assert.equal(g.complete, true);
  assert.equal(g.keepAlive, false);
  // a transfer coding other than chunked last: also read until close (RFC 9112 §6.3)
  assert.equal(parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz', [], { close: true }).body, 'zz');
});

test('1xx interim responses are skipped; 101 is refused', () => {
  const g = everySplit('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
  assert.equal(g.status, 201);
  assert.equal(g.heads, 1);
  assert.equal(g.headers.link, undefined, 'interim headers are not the response\'s');
  assert.equal(g.body, 'ok');
  assert.throws(() => parse('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'), HttpParseError);
});

test('HEAD, 204 and 304 have no body whatever the headers say', () => {
  assert.equal(parse('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n', [], { noBody: true }).complete, true);
  assert.equal(parse('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n').complete, true);
  assert.equal(parse('HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n').complete, true);
});

test('headers: names lower-cased, values trimmed, repeats joined', () => {
  const g = parse('HTTP/1.1 429 Too Many Requests\r\nRetry-After:  2 \r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 0\r\n\r\n');
  assert.equal(g.status, 429);
  assert.equal(g.headers['retry-after'], '2');
  assert.equal(g.headers['x-a'], '1, 2');
});

test('malformed responses throw HttpParseError; a cut connection is an error, not a short body', () => {
  for (const bad of ['HTTP/2 200\r\n\r\n', 'SSH-2.0-OpenSSH\r\n\r\n', 'HTTP/1.1 200 OK\r\nbad header\r\n\r\n', 'HTTP/1.1 200 OK\r\n folded: x\r\n\r\n',
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n']) {
    assert.throws(() => parse(bad), HttpParseError, JSON.stringify(bad));
  }
  assert.throws(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort', [], { close: true }), /before the body was complete/);
  assert.throws(() => parse('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab', [], { close: true }), /before the body was complete/);
  assert.throws(() => parse('HTTP/1.1 200', [], { close: true }), /inside the response head/);
  assert.throws(() => parse('', [], { close: true }), /before a response/);
  assert.throws(() => parse('HTTP/1.1 200 OK\r\n' + 'x-big: ' + 'a'.repeat(70_000)), /larger than/);
});

test('a body chunk is handed over as a view of the read buffer, with no copy', () => {
  const wire = Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
  let seen: Buffer | null = null;
  const p = new ResponseParser({ onHeaders() {}, onBody(buf) { seen = buf; }, onComplete() {} });
  p.execute(wire);
  assert.equal(seen, wire);
});

test('a malformed chunk-size line is refused however the bytes are split (no fast-path leniency)', () => {
  for (const bad of ['5 x\r\nhello\r\n0\r\n\r\n', '5x\r\nhello\r\n0\r\n\r\n', '5\tz;ok\r\nhello\r\n0\r\n\r\n', '5 \r\r\nhello\r\n0\r\n\r\n']) {
    const wire = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' + bad;
    const headEnd = wire.indexOf('\r\n\r\n') + 4;
    for (let i = headEnd; i <= wire.length; i++) {
      assert.throws(() => parse(wire, i < wire.length ? [headEnd, i].filter((x, k, a) => x > 0 && x < wire.length && a.indexOf(x) === k).sort((a, b) => a - b) : [headEnd]), HttpParseError, `${JSON.stringify(bad)} split at ${i}`);
    }
  }
  // blanks before the line end or before extensions stay accepted, whole and split
  const ok = everySplit('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 \t\r\nhello\r\n5 ;a=b\r\nworld\r\n0\r\n\r\n');
  assert.equal(ok.body, 'helloworld');
});

test('header names that are Object.prototype keys are plain headers', () => {
  const g = everySplit('HTTP/1.1 200 OK\r\nconstructor: a\r\ntoString: b\r\nhasOwnProperty: c\r\n__proto__: d\r\nContent-Length: 0\r\n\r\n');
  assert.equal(g.headers.constructor, 'a');
  assert.equal(g.headers.tostring, 'b');
  assert.equal(g.headers.hasownproperty, 'c');
  assert.equal(Object.getPrototypeOf(g.headers), Object.prototype, '__proto__ is dropped, not assigned');
});
