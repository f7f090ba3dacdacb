import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryQueue, type SendResult } from './retry-queue.ts';

const cfg = { batch: 3, maxQueue: 10, flushMs: 1000, retryWindowMs: 5000, stopTimeoutMs: 200 };

test('delivers in production order once the server answers; written + lost == produced', async () => {
  let up = false;
  const got: number[] = [];
  const q = new RetryQueue<number>(cfg, { send: async (xs) => { if (!up) return 'retry'; got.push(...xs); return 'ok'; } });
  q.push([1, 2, 3, 4]);
  await q.flush();
  assert.equal(q.failedBatches, 1);
  up = true;
  q.push([5]);
  await q.flush();
  assert.deepEqual(got, [1, 2, 3, 4, 5]);
  const c = await q.stop();
  assert.deepEqual([c.produced, c.written, c.lost], [5, 5, 0]);
});

test('bounded by size (oldest lost first) and by age (the retry window)', async () => {
  let t = 0;
  const q = new RetryQueue<number>({ ...cfg, batch: 100 }, { send: async () => 'retry' as SendResult }, () => t);
  q.push(Array.from({ length: 8 }, (_, i) => i));
  q.push([8, 9, 10, 11]);
  assert.equal(q.lost, 2, 'two over the 10-item bound');
  t = 6000;
  await q.flush();
  assert.equal(q.lost, 12, 'all older than the window');
  const c = await q.stop();
  assert.equal(c.written + c.lost, c.produced);
});

test('a refused batch (drop) is lost, not retried; connect() gates sending', async () => {
  let tries = 0, connected = false;
  const q = new RetryQueue<number>(cfg, { send: async () => { tries++; return 'drop'; }, connect: async () => connected });
  q.push([1, 2]);
  await q.flush();
  assert.equal(tries, 0, 'not sent before connect() says yes');
  connected = true;
  await q.flush();
  assert.equal(tries, 1);
  assert.equal(q.rejectedBatches, 1);
  const c = await q.stop();
  assert.deepEqual([c.written, c.lost], [0, 2]);
});

test('stop() gives up a hung send at its deadline and counts it lost', async () => {
  const q = new RetryQueue<number>(cfg, { send: () => new Promise<SendResult>(() => {}) });
  q.push([1, 2, 3]);
  const t0 = Date.now();
  const c = await q.stop();
  assert.ok(Date.now() - t0 < 1000);
  assert.deepEqual([c.written, c.lost, c.produced], [0, 3, 3]);
});
