import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitUntil, COARSE_MS, type WaitMode } from './wait.ts';
import { monoMs } from './clock.ts';

// precise and timer are never early; coarse may be early by up to COARSE_MS; an abort ends
// any wait at once
test('waitUntil: never early (precise, timer), within COARSE_MS (coarse), aborts at once', async () => {
  for (const mode of ['precise', 'timer', 'coarse'] as WaitMode[]) {
    for (const ms of [0, 0.3, 2.5, 7, 23]) {
      const at = monoMs() + ms;
      await waitUntil(at, monoMs, undefined, mode);
      const early = at - monoMs();
      assert.ok(early <= (mode === 'coarse' ? COARSE_MS : 0), `${mode} ${ms} ms: ${early.toFixed(3)} ms early`);
    }
  }
  const ac = new AbortController();
  const t0 = monoMs();
  setTimeout(() => ac.abort(), 5);
  await waitUntil(t0 + 10_000, monoMs, ac.signal, 'timer');
  assert.ok(monoMs() - t0 < 1000, 'abort ended the wait');
});
