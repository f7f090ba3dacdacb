// k6 scripts with many VUs per thread (issue #31, docs/K6_COMPAT.md "Many VUs per thread"):
// the real CLI runs k6 scripts as written, with VUs sharing threads (the rewrite) and with a
// thread per VU, against a loopback server and the simulator, and k6's VU semantics must hold
// in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { runCli, startSimProcess } from './helpers.ts';

async function echoServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => { res.end(new URL(req.url!, 'http://x').search.slice(1)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}
const values = (s: any, name: string) => s.metrics[name]?.values;

test('k6 VU semantics hold with VUs sharing a thread and with a thread each: module state per VU, helpers and group() that block, sleep, exec', async () => {
  const { url, server } = await echoServer();
  try {
    for (const [compat, model] of [['k6', 'shared'], ['k6-threads', 'thread']] as const) {
      const r = await runCli(['run', 'test/scenarios/k6/vu-state.js', '--compat', compat, '-e', `TARGET=${url}`, '-q'], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, `${compat}: ${r.stderr}`);
      const s = r.summary;
      assert.equal(s.run.k6_vus, model, compat);
      assert.equal(values(s, 'checks').rate, 1, `${compat}: every check held`);
      assert.equal(values(s, 'checks').passes, 5 * 4 * 2, compat);
      assert.equal(values(s, 'vu_state_iterations').count, 20, compat);
      assert.equal(values(s, 'http_reqs').count, 20, compat);
      // the requests ran inside the group, and the sleep blocked the iteration
      assert.ok(s.root_group.groups.some((g: any) => g.name === 'g'), `${compat}: group g in the summary`);
      assert.ok(values(s, 'iteration_duration').min >= 50, `${compat}: iteration_duration min ${values(s, 'iteration_duration').min} ms with a 50 ms sleep`);
    }
  } finally { server.close(); }
});

test('a blocking call the rewrite cannot await (inside Array.forEach) keeps a thread per VU, says why in one line naming the code, and runs as k6 would', async () => {
  const { url, server } = await echoServer();
  try {
    const r = await runCli(['run', 'test/scenarios/k6/foreach.js', '-e', `TARGET=${url}`, '--no-summary'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const line = (r.stdout + r.stderr).split('\n').find((l) => l.includes('a thread per VU'));
    assert.ok(line, r.stdout + r.stderr);
    assert.match(line!, /a function passed to \.forEach\(\) blocks/);
    assert.match(line!, /\['a', 'b'\]\.forEach|\["a", "b"\]\.forEach/);
    assert.equal(r.summary.run.k6_vus, 'thread');
    assert.match(r.summary.run.k6_vus_why, /forEach/);
    assert.equal(values(r.summary, 'http_reqs').count, 2 * 3 * 2);
    assert.equal(values(r.summary, 'checks').rate, 1);
  } finally { server.close(); }
});

test('VUs sharing a thread that sleep when the ramp takes them away end there (gracefulRampDown 0s), as a thread per VU does', async () => {
  for (const compat of ['k6', 'k6-threads']) {
    const r = await runCli(['run', 'test/scenarios/k6/ramp-down.js', '--compat', compat, '-q'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    // the sleeps were 30 s: a run that waited for them could not end sooner
    assert.ok(r.ms < 25_000, `${compat}: the run took ${r.ms} ms; the interrupted 30 s sleeps were waited for`);
    assert.equal(values(r.summary, 'woke_after_sleep'), undefined, `${compat}: no iteration went on after its sleep`);
    assert.equal(values(r.summary, 'iterations'), undefined, `${compat}: interrupted iterations are not counted`);
  }
});

test('the article\'s shape at 200 VUs: VUs share threads, every stream answered, and no Node warning on the terminal', async () => {
  const sim = await startSimProcess(['--ttft-ms', '100', '--itl-ms', '10', '--output-tokens', '20']);
  try {
    const r = await runCli(['run', 'bench/scenarios/k6-article.js', '--redirect', `https://api.bench.invalid/v1=${sim.url}`, '-u', '200', '-d', '4s', '-q'], { timeoutMs: 90_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /Warning|\(node:\d+\)/, r.stderr.slice(0, 500));
    assert.equal(r.summary.run.k6_vus, 'shared');
    assert.equal(values(r.summary, 'vus_max').max, 200);
    assert.equal(values(r.summary, 'http_req_failed').rate, 0);
    assert.equal(values(r.summary, 'checks').rate, 1);
    // every VU sent its first request (each starts at once, before its 0.5–2.5 s think time)
    assert.ok(values(r.summary, 'llm_requests').count >= 200, `${values(r.summary, 'llm_requests').count} requests from 200 VUs`);
    assert.ok(values(r.summary, 'llm_ttft').med >= 100, 'TTFT at least the simulator\'s 100 ms');
  } finally { await sim.stop(); }
});
