// k6/http's surface against a plain HTTP server the test runs on loopback (TARGET).
import http from 'k6/http';
import { check, fail } from 'k6';
import exec from 'k6/execution';
import { SharedArray } from 'k6/data';
import encoding from 'k6/encoding';
import crypto from 'k6/crypto';
import { randomIntBetween, uuidv4, findBetween } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';

const T = __ENV.TARGET;
const users = new SharedArray('users', () => JSON.parse(open('./users.json')));
export const options = {
  scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 2 } },
  // submetrics by k6's request tags put them in the summary
  thresholds: { checks: ['rate==1'], 'http_reqs{name:json}': ['count>0'], 'http_reqs{status:404}': ['count>0'], 'http_req_failed{expected_response:true}': ['rate==0'], 'http_reqs{method:POST}': ['count>0'] },
};

export default async function () {
  const u = users[(__VU - 1) % users.length];
  const get = http.get(`${T}/json?u=${u.name}`, { tags: { name: 'json' } });
  check(get, {
    'get 200': (r) => r.status === 200,
    'json selector': (r) => r.json('user') === u.name && r.json('list.1') === 2,
    'canonical header names': (r) => r.headers['X-Custom-Header'] === 'yes' && r.headers['Content-Type'].startsWith('application/json'),
    'timings': (r) => r.timings.duration >= 0 && r.timings.waiting >= 0 && r.timings.duration === r.timings.sending + r.timings.waiting + r.timings.receiving,
  });
  const form = http.post(`${T}/echo`, { a: '1', b: 'x y' });
  check(form, { 'form encoded': (r) => r.body === 'a=1&b=x%20y' && r.headers['X-Req-Content-Type'] === 'application/x-www-form-urlencoded' });
  // a text body is kept as bytes and decoded when read (lib/k6/http.ts): the same string each
  // read, UTF-8 intact, in JSON.stringify(res), and assignable as a field is in k6
  const utf = http.post(`${T}/echo`, 'héllo — ✓ 数据', { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  check(utf, {
    'utf-8 body': (r) => r.body === 'héllo — ✓ 数据' && r.body === r.body,
    'body in JSON.stringify': (r) => JSON.parse(JSON.stringify(r)).body === 'héllo — ✓ 数据' && JSON.parse(JSON.stringify(r)).status === 200,
    'body assignable': (r) => { r.body = 'mine'; return r.body === 'mine'; },
  });
  const gz = http.post(`${T}/echo`, 'zip me', { compression: 'gzip', headers: { 'Content-Type': 'text/plain' } });
  check(gz, { 'compressed body arrives whole': (r) => r.body === 'zip me' });
  const red = http.get(`${T}/redirect`);
  check(red, { 'redirect followed': (r) => r.status === 200 && r.url.endsWith('/json') });
  const noRed = http.get(`${T}/redirect`, { redirects: 0 });
  check(noRed, { 'redirects: 0 stops': (r) => r.status === 302 });
  const nf = http.get(`${T}/missing`, { responseCallback: http.expectedStatuses(404) });
  check(nf, { '404 error code': (r) => r.status === 404 && r.error_code === 1404 });
  const slow = http.get(`${T}/slow`, { timeout: '200ms' });
  check(slow, { 'timeout error code 1050': (r) => r.status === 0 && r.error_code === 1050 });
  const refused = http.get('http://127.0.0.1:1/', { timeout: '2s' });
  check(refused, { 'refused 1212': (r) => r.error_code === 1212 });
  const none = http.get(`${T}/json`, { responseType: 'none' });
  check(none, { 'responseType none': (r) => r.body === null && r.status === 200 });
  const bin = http.get(`${T}/json`, { responseType: 'binary' });
  check(bin, { 'responseType binary': (r) => r.body instanceof ArrayBuffer && r.body.byteLength > 10 });
  const [a, b] = http.batch([`${T}/json`, ['POST', `${T}/echo`, 'batched']]);
  check(b, { 'batch': (r) => a.status === 200 && r.body === 'batched' });
  const asyncRes = await http.asyncRequest('POST', `${T}/echo`, 'async');
  check(asyncRes, { 'asyncRequest': (r) => r.body === 'async' });
  const tpl = http.get(http.url`${T}/json?id=${randomIntBetween(1, 9)}`);
  check(tpl, { 'http.url': (r) => r.status === 200 });
  check(null, {
    'encoding': () => encoding.b64encode('hello?') === 'aGVsbG8/' && encoding.b64decode('aGVsbG8_', 'url', 's') === 'hello?' && encoding.b64encode('a', 'rawstd') === 'YQ',
    'crypto': () => crypto.sha256('abc', 'hex') === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' && crypto.hmac('sha256', 'key', 'msg', 'hex').length === 64,
    'utils': () => uuidv4().length === 36 && findBetween('<a>x</a>', '<a>', '</a>') === 'x',
    'exec': () => exec.vu.idInTest === __VU && exec.scenario.name === 's',
    'shared array frozen': () => Object.isFrozen(users) && users.length === 2,
  });
  if (get.status !== 200) fail('unreachable');
}
