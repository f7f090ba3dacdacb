import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSharedVus, type Transformed } from './transform.ts';

const moduleOf = (s: string) => s;
const ok = (src: string) => {
  const t = toSharedVus(src, moduleOf);
  assert.ok(t.ok, `expected a rewrite, got: ${(t as { why?: string }).why}`);
  return t as Extract<Transformed, { ok: true }>;
};
const refused = (src: string, why: RegExp, line?: number) => {
  const t = toSharedVus(src, moduleOf);
  assert.equal(t.ok, false, `expected a refusal, got:\n${(t as { code?: string }).code}`);
  const f = t as Extract<Transformed, { ok: false }>;
  assert.match(f.why, why);
  if (line !== undefined) assert.equal(f.line, line);
};

/** runs a rewritten script with stand-ins for k6's modules (data: URLs): `log` records what ran, in order */
async function run(code: string, calls = 1, fn = 'default'): Promise<string[]> {
  const log: string[] = [];
  (globalThis as Record<string, unknown>).__t = log;
  const http = `const L = { push: (x) => globalThis.__t.push(x) }; const tick = () => new Promise((r) => setTimeout(r, 1));
    export const get = async (u) => { L.push('get ' + u); await tick(); return { status: 200, body: u }; };
    export const post = get; export default { get, post, url: (s) => s.join('') };`;
  const k6 = `const L = { push: (x) => globalThis.__t.push(x) };
    export const sleep = async (s) => { L.push('sleep ' + s); await new Promise((r) => setTimeout(r, 1)); };
    export const check = (v, m) => Object.values(m).every((f) => f(v));
    export const group = (n, f) => { L.push('group ' + n); const r = f(); return r && r.then ? r.then((v) => { L.push('end ' + n); return v; }) : (L.push('end ' + n), r); };`;
  const url = (s: string) => `data:text/javascript,${encodeURIComponent(s)}`;
  const src = code.replaceAll('"k6/http"', JSON.stringify(url(http))).replaceAll('"k6"', JSON.stringify(url(k6)));
  const mod = await import(url(src)) as { __llmload_vu: () => Promise<Record<string, (...a: unknown[]) => unknown>> };
  const vu = await mod.__llmload_vu();
  for (let i = 0; i < calls; i++) await vu[fn]!();
  return log;
}

test('k6 → shared VUs: blocking calls are awaited, the functions that reach them made async, others untouched', async () => {
  const t = ok(`import http from "k6/http";
import { sleep, check, group } from "k6";
function helper(u) { return http.get(u).body; }
const pure = (x) => x * 2;
var fetchBoth = function () { return [helper("a"), helper("b")]; };
function article_default() {
  const r = http.post("u", "{}");
  check(r, { ok: (x) => x.status === 200 });
  group("g", () => { fetchBoth(); sleep(pure(1)); });
  [1, 2].map(pure);
}
export { article_default as default };`);
  assert.match(t.code, /async function helper/);
  assert.match(t.code, /async function article_default/);
  assert.match(t.code, /fetchBoth = async function/);
  assert.match(t.code, /\(await http\.get\(u\)\)\.body/);
  assert.match(t.code, /\(await group\("g", async \(\) =>/);
  assert.match(t.code, /const pure = \(x\) => x \* 2/); // not async: it blocks nowhere
  assert.doesNotMatch(t.code, /async \(x\) => x\.status/); // check's function stays as it was
  // every line keeps its number (stack traces, the source map); the factory's end comes after
  assert.equal(t.code.split('\n').findIndex((l) => l.includes('function helper')), 2);
  assert.equal(t.code.split('\n').length, 12 + 2);
  assert.deepEqual(t.exports, ['default']);
  assert.deepEqual(await run(t.code), ['get u', 'group g', 'get a', 'get b', 'sleep 2', 'end g']);
});

test('k6 → shared VUs: each VU has its own module state, as each k6 VU has its own runtime', async () => {
  const t = ok(`import { sleep } from "k6";
let n = 0;
export default function () { n++; globalThis.__t.push('n=' + n); sleep(0); }`);
  const code = t.code;
  const log = await run(code, 2);
  assert.deepEqual(log, ['n=1', 'sleep 0', 'n=2', 'sleep 0']);
  // a second factory call starts over
  assert.deepEqual(await run(code, 1), ['n=1', 'sleep 0']);
});

test('k6 → shared VUs: nested calls, expression bodies, recursion, async default functions', async () => {
  const t = ok(`import http from "k6/http";
import { sleep } from "k6";
const one = (u) => http.get(u);
function loop(k) { if (k > 0) { sleep(k); loop(k - 1); } }
export default async function () { const r = one(one("x").body + "y"); loop(2); await Promise.resolve(); return r.status; }`);
  assert.match(t.code, /\(await one\(\(await one\("x"\)\)\.body \+ "y"\)\)/);
  assert.deepEqual(await run(t.code), ['get x', 'get xy', 'sleep 2', 'sleep 1']);
});

test('k6 → shared VUs: a function that blocks where no await can reach it keeps a thread per VU, and says where', () => {
  refused(`import http from "k6/http";
export default function () {
  ["a", "b"].forEach((u) => http.get(u));
}`, /a function passed to \.forEach\(\) blocks/, 3);
  refused(`import http from "k6/http";
const api = { call() { return http.get("x"); } };
export default function () { api.call(); }`, /method or object property blocks/, 2);
  refused(`import http from "k6/http";
function f() { http.get("x"); }
const g = f;
export default function () { g(); }`, /function f blocks and is used as a value/, 3);
  refused(`import { get } from "k6/http";
const fetchers = [get];
export default function () { fetchers[0]("x"); }`, /uses get\(\) as a value/, 2);
  refused(`import http from "k6/http";
const h = http;
export default function () { h.get("x"); }`, /uses "http" as a value/, 2);
  refused(`import http from "k6/http";
const r = http.get("x");
export default function () {}`, /init context/, 2);
  refused(`import http from "k6/http";
export default function (x = http.get("u")) {}`, /default parameter/, 2);
  refused(`import { sleep } from "k6";
async function later() { sleep(1); }
export default function () { later(); }`, /async function later blocks and is called/);
  refused(`import { sleep } from "k6";
function* gen() { sleep(1); yield 1; }
export default function () { gen(); }`, /generator gen blocks/);
  refused(`import { sleep } from "k6";
let f = function () { sleep(1); };
f = function () {};
export default function () { f(); }`, /function used as a value blocks/);
  refused(`import { sleep } from "k6";
class A { constructor() { sleep(1); } }
export default function () { new A(); }`, /method or object property/);
});

test('k6 → shared VUs: http members that do not block, http.url templates and asyncRequest stay as they are', () => {
  const t = ok(`import http from "k6/http";
http.setResponseCallback(http.expectedStatuses(200));
export default async function () { const u = http.url\`x\${1}\`; const r = await http.asyncRequest("GET", u); return r; }`);
  assert.doesNotMatch(t.code, /async async|\(await http\.asyncRequest/);
  assert.match(t.code, /export async function __llmload_vu\(\) \{/);
});

test('k6 → shared VUs: exports of every shape come back from the factory', async () => {
  const t = ok(`import { sleep } from "k6";
export const options = { vus: 1 };
export function setup() { return 1; }
export default function () { sleep(0); }
(function iife() {})();`);
  assert.deepEqual(t.exports, ['options', 'setup', 'default']);
  assert.deepEqual(await run(t.code), ['sleep 0']);
  // a hashbang line gives way to the factory's opening; the lines stay where they were
  const b = ok(`#!/usr/bin/env k6\nimport { sleep } from "k6";\nexport default function () { sleep(0); }`);
  assert.match(b.code, /^import \{ sleep \} from "k6"; export async function __llmload_vu\(\) \{\n\nvar __llmload_vu_default = async function/);
  assert.deepEqual(await run(b.code), ['sleep 0']);
});
