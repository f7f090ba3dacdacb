import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultWorkers } from './worker-count.ts';

test('default threads: one per 500 VUs, at most half the cores, at least one', () => {
  assert.equal(defaultWorkers(2, 100), 1, 'this 2-core machine, 100 streams: one thread measured best');
  assert.equal(defaultWorkers(2, 5000), 1, 'half of 2 cores');
  assert.equal(defaultWorkers(1, 1), 1);
  assert.equal(defaultWorkers(16, 1000), 2, '1,000 streams on 16 cores: 2 threads measured best');
  assert.equal(defaultWorkers(16, 1001), 3);
  assert.equal(defaultWorkers(16, 5000), 8);
  assert.equal(defaultWorkers(64, 100_000), 32);
  assert.equal(defaultWorkers(8, 0), 1, 'no VUs yet (arrival-rate setups) still get a thread');
});
