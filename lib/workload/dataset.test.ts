import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dataset, DatasetError } from './dataset.ts';

const D = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'datasets');
const all = (ds: { next(): unknown }, n: number) => Array.from({ length: n }, () => ds.next());

test('each format: records in file order, formats detected by extension', () => {
  const chat = dataset(join(D, 'chat.jsonl'));
  assert.equal(chat.format, 'chat-jsonl');
  assert.equal(chat.size, 3, 'the blank line is skipped');
  const [a, b, c, d] = all(chat, 4) as any[];
  assert.deepEqual(a.messages, [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Name one prime number.' }]);
  assert.equal(a.outputTokens, 16);
  assert.equal(b.outputTokens, undefined);
  assert.equal(c.messages[0].content, 'Explain time to first token.', 'text parts joined');
  assert.equal(d.index, 0, 'loops by default');
  const bt = dataset(join(D, 'batch.jsonl'));
  assert.equal(bt.format, 'batch');
  const x = bt.next() as any;
  assert.deepEqual([x.model, x.max_tokens, x.messages[0].content], ['gpt-4.1', 100, 'Summarize HTTP/1.1 keep-alive.']);
  const sg = dataset(join(D, 'sharegpt.json'));
  assert.equal(sg.format, 'sharegpt');
  const [s1, s2, s3] = all(sg, 3) as any[];
  assert.equal(s1.messages[0].content, 'How do I pick an LLM vendor?');
  assert.ok(s1.outputTokens > 5 && s1.outputTokens < 25, `${s1.outputTokens}: the reference answer's tokens`);
  assert.equal(s2.messages[0].content, 'Is "TTFT" the same as latency? [yes/no]', 'quotes and brackets inside strings');
  assert.equal(s3.outputTokens, undefined);
  const tx = dataset(join(D, 'prompts.txt'));
  assert.deepEqual(all(tx, 3).map((r: any) => r.messages[0].content), ['Write a haiku about queues.', 'Explain backpressure in one sentence.', 'What does p99 mean?']);
});

test('shuffle is a seeded permutation; sample N; stop when exhausted; input-token filter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llmload-ds-'));
  const f = join(dir, 'n.txt');
  writeFileSync(f, Array.from({ length: 100 }, (_, i) => `prompt number ${i}${' word'.repeat(i % 10)}`).join('\n'));
  const order = (o: object) => all(dataset(f, o), 100).map((r: any) => r.index);
  const s1 = order({ order: 'shuffle', seed: 5 }), s2 = order({ order: 'shuffle', seed: 5 }), s3 = order({ order: 'shuffle', seed: 6 });
  assert.deepEqual(s1, s2);
  assert.notDeepEqual(s1, s3);
  assert.deepEqual([...s1].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i), 'every record once');
  const st = dataset(f, { sample: 5, onExhausted: 'stop' });
  assert.equal(st.size, 5);
  const got = all(st, 7) as any[];
  assert.deepEqual(got.map((r) => r?.index ?? null), [0, 1, 2, 3, 4, null, null]);
  const short = dataset(f, { inputTokens: { max: 4 } }); // "prompt number N" is 3 tokens; each " word" one more
  for (const r of all(short, 20) as any[]) assert.ok(r.index % 10 <= 1, `record ${r.index} kept`);
});

test('bad files: one line naming the file, the line and what is wrong', () => {
  const bad = (f: string, re: RegExp, o = {}) => assert.throws(() => dataset(join(D, f), o), (e: Error) => e instanceof DatasetError && re.test(e.message) && !e.message.includes('\n'));
  bad('bad-json.jsonl', /bad-json\.jsonl:2: not valid JSON .* \(format chat-jsonl\)/);
  bad('bad-max-tokens.jsonl', /bad-max-tokens\.jsonl:2: max_tokens must be an integer ≥ 1, not -3/);
  bad('bad-batch.jsonl', /bad-batch\.jsonl:1: url "\/v1\/embeddings" is not a chat completions endpoint/);
  bad('empty.jsonl', /empty\.jsonl has no records/);
  bad('bad-sharegpt.json', /bad-sharegpt\.json:1 \(element 2\): has no human turn/);
  bad('missing.jsonl', /missing\.jsonl: no such file/);
  bad('README.md', /unknown format \(extension "\.md"\): give format: chat-jsonl \| batch \| sharegpt \| text/);
  bad('chat.jsonl', /unknown format "csv": valid are chat-jsonl, batch, sharegpt, text/, { format: 'csv' });
  bad('chat.jsonl', /inputTokens min 10 > max 5/, { inputTokens: { min: 10, max: 5 } });
  assert.throws(() => dataset(join(D, 'chat.jsonl'), { inputTokens: { min: 10_000 } }).next(), /no record has between 10000 and ∞ input tokens/);
});
