// A k6 script's structure, ported with only blocking calls awaited.
import { check, group, sleep } from 'k6';
import { Counter, Rate, Trend, Gauge } from 'k6/metrics';
import exec from 'k6/execution';

const items = new Counter('items_done');
const good = new Rate('good_rate');
const dur = new Trend('step_ms', true);
const level = new Gauge('level');

export const options = {
  vus: 3,
  iterations: 12,
  thresholds: { items_done: ['count==12'], 'step_ms{kind:fast}': ['p(95)<500'], good_rate: ['rate>0.9'], checks: ['rate==1'] },
};

export function setup() { return { token: 'from-setup', started: Date.now() }; }

export default async function (data: { token: string }) {
  await group('outer', async () => {
    await group('inner', async () => {
      const t = Date.now();
      await sleep(0.005);
      dur.add(Date.now() - t, { kind: 'fast' });
    });
    check(data, { 'setup data reached the VU': (d) => d.token === 'from-setup' });
  });
  check(exec.vu.idInTest, { 'vu id in range': (id) => id >= 1 && id <= 3 });
  check(__VU, { '__VU matches exec.vu': (v) => v === exec.vu.idInTest });
  items.add(1);
  good.add(true);
  level.add(__ITER);
}

export function teardown(data: { token: string }) { if (data.token !== 'from-setup') throw new Error('bad teardown data'); }

export function handleSummary(d: any) {
  return { 'handled.json': JSON.stringify({ iterations: d.metrics.iterations.values.count, groups: d.root_group.groups.map((g: any) => g.name) }), stdout: 'custom summary\n' };
}
