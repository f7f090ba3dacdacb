import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tagString, toLines } from './line-protocol.ts';

test('line protocol: tag values with spaces, commas, =, quotes, newlines and non-ASCII stay one line with the spec\'s escapes', () => {
  assert.equal(tagString({ model: 'a b,c=d' }, {}), ',model=a\\ b\\,c\\=d');
  assert.equal(tagString({ model: 'say "hi"' }, {}), ',model=say\\ "hi"', 'quotes need no escape in tag values');
  assert.equal(tagString({ model: 'line1\nline2\r' }, {}), ',model=line1\\ line2\\ ', 'no newline survives');
  assert.equal(tagString({ model: 'モデル-ü' }, {}), ',model=モデル-ü');
  assert.equal(tagString({ model: '', url: 'x' }, {}), '', 'empty values and tags outside the allow-list are dropped');
  const [line] = toLines([{ name: 'llm_requests', tags: { provider: 'p q', model: 'x\ny' }, agg: { t: 'counter', sum: 3, n: 3 } }], 1_700_000_000_000, { testid: 't 1' });
  assert.equal(line, 'llm_requests,model=x\\ y,provider=p\\ q,testid=t\\ 1 value=3 1700000000000');
  assert.ok(!line!.includes('\n'));
});
