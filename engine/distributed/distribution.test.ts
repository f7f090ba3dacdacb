import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distributionFromOptions, parseDistributionFlag, assignInstances, planShards, sequenceString, DistributionError } from './distribution.ts';
import { scale, owns } from '../segments.ts';

test('k6 cloud, llmload and legacy shapes; bad ones name what is wrong', () => {
  const cloud = distributionFromOptions({ cloud: { distribution: { eu: { loadZone: 'amazon:ie:dublin', percent: 50 }, us: { loadZone: 'amazon:us:ashburn', percent: 50 } } } })!;
  assert.deepEqual(cloud.map((z) => [z.label, z.percent, z.region]), [['eu', 50, 'eu-west-1'], ['us', 50, 'us-east-1']]);
  const legacy = distributionFromOptions({ ext: { loadimpact: { distribution: { 'amazon:us:ashburn': { weight: 50 }, 'amazon:de:frankfurt': { weight: 30 }, 'amazon:jp:tokyo': { weight: 20 } } } } })!;
  assert.deepEqual(legacy.map((z) => [z.label, z.loadZone, z.percent]), [['us-ashburn', 'amazon:us:ashburn', 50], ['de-frankfurt', 'amazon:de:frankfurt', 30], ['jp-tokyo', 'amazon:jp:tokyo', 20]]);
  // weights are normalized to whole percents that still sum to 100
  const w = distributionFromOptions({ ext: { loadimpact: { distribution: { 'amazon:us:ashburn': { weight: 1 }, 'amazon:ie:dublin': { weight: 1 }, 'amazon:jp:tokyo': { weight: 1 } } } } })!;
  assert.equal(w.reduce((a, z) => a + z.percent, 0), 100);
  assert.equal(distributionFromOptions({}), null);
  const bad: Array<[unknown, RegExp]> = [
    [{ cloud: { distribution: { eu: { loadZone: 'amazon:ie:dublin', percent: 60 }, us: { loadZone: 'amazon:us:ashburn', percent: 30 } } } }, /sum to 90, not 100/],
    [{ cloud: { distribution: {} } }, /is empty/],
    [{ cloud: { distribution: { eu: { loadZone: 'amazon:ie:dublin', percent: 100, weight: 3 } } } }, /unknown key "weight" in options\.cloud\.distribution\.eu: valid keys are loadZone, percent/],
    [{ cloud: { distribution: { eu: { loadZone: 'amazon:ie:dublin', percent: 50.5 } } } }, /invalid percent 50\.5/],
    [{ llmload: { distribution: { eu: { percent: 100 } } } }, /has no loadZone/],
    [{ ext: { loadimpact: { distribution: { 'amazon:us:ashburn': { share: 1 } } } } }, /unknown key "share"/],
    [{ cloud: { distribution: { eu: { loadZone: 'a', percent: 100 } } }, llmload: { distribution: { eu: { loadZone: 'a', percent: 100 } } } }, /keep one/],
  ];
  for (const [o, rx] of bad) assert.throws(() => distributionFromOptions(o as Record<string, unknown>), (e: unknown) => e instanceof DistributionError && rx.test((e as Error).message), String(rx));
  assert.throws(() => parseDistributionFlag('eu=50,us=40'), /sum to 90/);
  assert.throws(() => parseDistributionFlag('eu50'), /use LABEL=PERCENT/);
});

test('zones → instances → one sequence whose segments partition every count and every arrival exactly', () => {
  const zones = parseDistributionFlag('eu=50,us=30,ap=20');
  const three = planShards(assignInstances(zones, { shards: 3, totalVUs: 10, vusPerInstance: 1000 }));
  assert.equal(sequenceString(three.sequence), '0,1/2,4/5,1');
  const six = planShards(assignInstances(zones, { shards: 6, totalVUs: 10, vusPerInstance: 1000 }));
  assert.deepEqual(six.zones.map((z) => z.instances), [3, 2, 1]);
  assert.equal(sequenceString(six.sequence), '0,1/6,1/3,1/2,13/20,4/5,1');
  assert.throws(() => assignInstances(zones, { shards: 2, totalVUs: 1, vusPerInstance: 1 }), /fewer than the 3 zones/);
  assert.deepEqual(assignInstances(zones, { totalVUs: 4000, vusPerInstance: 1000 }).map((z) => z.instances), [2, 2, 1]);
  for (const plan of [three, six]) {
    for (const n of [1, 7, 20, 301, 1000]) assert.equal(plan.shards.reduce((a, s) => a + scale(n, s.segment), 0), n, `VUs ${n}`);
    // every arrival index is owned by exactly one shard, and the shares follow the zones
    const owned = plan.shards.map(() => 0);
    for (let i = 0; i < 6000; i++) plan.shards.forEach((s, k) => { if (owns(i, s.segment)) owned[k]! += 1; });
    assert.equal(owned.reduce((a, b) => a + b, 0), 6000);
    const byZone = new Map<string, number>();
    plan.shards.forEach((s, i) => byZone.set(s.zone, (byZone.get(s.zone) ?? 0) + owned[i]!));
    assert.ok(Math.abs(byZone.get('eu')! - 3000) <= 3 && Math.abs(byZone.get('us')! - 1800) <= 3 && Math.abs(byZone.get('ap')! - 1200) <= 3, JSON.stringify([...byZone]));
  }
});
