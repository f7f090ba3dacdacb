import { sleep, check } from 'llmload';
import { Trend } from 'llmload/metrics';

const work = new Trend('work_ms', true);

export const options = {
  scenarios: {
    steady: { executor: 'constant-arrival-rate', rate: Number(__ENV.RATE ?? 200), duration: __ENV.DURATION ?? '5s', preAllocatedVUs: 20, maxVUs: 50 },
  },
  thresholds: { iterations: [__ENV.THRESHOLD ?? 'count>0'], work_ms: ['p(95)<1000'] },
};

// test/engine.test.ts's signal: once per thread, at its first iteration (an arrival-rate
// executor hands iterations to whichever VU is free, not VU 1 first)
let marked = false;
export default async function () {
  if (__ENV.MARK && !marked) { marked = true; console.log('MARK iterating'); }
  const t = Date.now();
  await sleep(0.02);
  work.add(Date.now() - t);
  check(1, { 'one is one': (x) => x === 1 });
}
