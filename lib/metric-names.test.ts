import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MN, builtin } from './metric-names.ts';
import { M } from './llm/metrics.ts';
import { BUILTINS } from '../engine/metrics/types.ts';

test('metric registry: names unique; every lib/llm metric and engine built-in is declared as the registry says', () => {
  const names = Object.values(MN);
  assert.equal(new Set(names).size, names.length, 'a name registered twice');
  const byName = new Map(Object.keys(MN).map((k) => { const d = builtin(k as keyof typeof MN); return [d.name, d]; }));
  for (const [role, m] of Object.entries(M)) {
    const d = byName.get(m.name);
    assert.ok(d, `M.${role} (${m.name}) is not in lib/metric-names.ts`);
    assert.equal(m.type, d.type, `${m.name}: declared ${m.type}, registered ${d.type}`);
    assert.equal(m.contains, d.contains, `${m.name}: contains ${m.contains}, registered ${d.contains}`);
  }
  for (const b of BUILTINS) assert.deepEqual(b, byName.get(b.name));
});
