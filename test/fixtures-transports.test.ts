// Every dialect fixture (test/fixtures/wire/sse) served over a real socket and read by chat()
// on both HTTP clients: content, finish reason and usage (cache and reasoning fields included)
// as the fixture expects, whichever client reads it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chat } from '../lib/llm/index.ts';
import { h1Transport } from '../lib/llm/h1/transport.ts';
import { undiciTransport } from '../lib/llm/transport.ts';
import { closeIdle } from '../lib/llm/h1/pool.ts';
import { sseCases } from './wire-fixtures.ts';

const cases = sseCases().filter((c) => c.meta.dialect && c.meta.expect && !c.meta.expect.error);
let server: Server;
let base = '';
before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const c = cases.find((x) => req.url!.startsWith(`/${x.name}/`))!;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(c.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => { closeIdle(); server.close(); });

for (const [client, transport] of [['llmload', h1Transport], ['undici', undiciTransport]] as const) {
  test(`dialect fixtures over a socket, ${client}: content, finish reason, usage with cache and reasoning`, async () => {
    assert.ok(cases.length >= 10, `${cases.length} fixtures`);
    for (const c of cases) {
      const e = c.meta.expect;
      const r = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }], max_tokens: 500, stream: true }, { transport, retry: false, provider: { name: 'fx', baseUrl: `${base}/${c.name}`, dialect: c.meta.dialect } });
      assert.equal(r.content, e.content, `${c.name} content`);
      assert.equal(r.finishReason, e.finish_reason, `${c.name} finish_reason`);
      if (e.usage) {
        assert.deepEqual([r.usage.source, r.usage.inputTokens, r.usage.outputTokens, r.usage.cachedTokens ?? 0, r.usage.cacheWriteTokens ?? 0, r.usage.reasoningTokens ?? 0],
          ['usage', e.usage.input_tokens, e.usage.output_tokens, e.usage.cached_tokens ?? 0, e.usage.cache_write_tokens ?? 0, e.usage.reasoning_tokens ?? 0], `${c.name} usage`);
      } else assert.equal(r.usage.source, 'estimate', `${c.name}: no usage in the stream`);
    }
  });
}
