// What counts as a spike for recovery (engine/summary/recovery.ts SPIKE_RULES): the bench's
// profiles and the output tests' spike, as the runs resolve them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findSpike } from './recovery.ts';
import type { Scenario } from '../config/options.ts';

const s = (d: number) => d * 1000;
const vus = (stages: Array<[number, number]>, startVUs = 0) => ({ executor: 'ramping-vus', startTimeMs: 0, startVUs, startRate: 0, stages: stages.map(([d, target]) => ({ durationMs: s(d), target })) }) as unknown as Scenario;
const rate = (start: number, stages: Array<[number, number]>) => ({ executor: 'ramping-arrival-rate', startTimeMs: 0, startVUs: 0, startRate: start, stages: stages.map(([d, target]) => ({ durationMs: s(d), target })) }) as unknown as Scenario;

test('PROFILE=spike and the output tests\' arrival spike are spikes; the seed\'s ramps are not', () => {
  // scenarios/bench.ts PROFILE=spike: 4 VUs held 9 s, 40 for 30 s, back to 4 for 10 s
  const spike = findSpike([vus([[3, 4], [9, 4], [1, 40], [30, 40], [1, 4], [10, 4], [2, 0]])]);
  assert.ok(spike, 'PROFILE=spike');
  assert.equal(spike!.base, 4);
  assert.equal(spike!.peak, 40);
  assert.ok(spike!.startMs >= s(11.9) && spike!.startMs <= s(12), `starts where the load leaves 4 VUs: ${spike!.startMs}`);
  assert.ok(spike!.endMs >= s(43) && spike!.endMs <= s(43.6), `ends back below half-way: ${spike!.endMs}`);
  // PROFILE=spike-short: 4 VUs held 4 s, 40 for 10 s, 4 again for 5 s
  const short = findSpike([vus([[2, 4], [4, 4], [1, 40], [10, 40], [1, 4], [5, 4], [1, 0]])]);
  assert.ok(short && short.base === 4 && short.peak === 40, 'spike-short');
  // test/scenarios/spike.ts: 6/s held 4 s, 30/s for 4 s, back to 6/s
  const arrivals = findSpike([rate(6, [[4, 6], [0.5, 30], [4, 30], [0.5, 6], [4, 6]])]);
  assert.ok(arrivals && arrivals.base === 6 && arrivals.peak === 30);
  // the seed's short profile and its own: ramps from 0, no held baseline, tens of seconds up
  assert.equal(findSpike([vus([[10, 4], [25, 10], [10, 20], [25, 20], [10, 0]])]), null, 'short');
  assert.equal(findSpike([vus([[120, 20], [300, 50], [120, 100], [300, 100], [120, 0]])]), null, 'seed');
  // a held baseline but a slow rise (a ramp over 10 s) is a ramp too
  assert.equal(findSpike([vus([[1, 4], [10, 4], [10, 40], [10, 40], [1, 4], [10, 4]])]), null, 'slow rise');
  // a jump that never comes back to its baseline has no recovery to measure
  assert.equal(findSpike([vus([[1, 4], [10, 4], [1, 40], [10, 40], [1, 0]])]), null, 'no way back');
});
