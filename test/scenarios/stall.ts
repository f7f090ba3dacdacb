// constant-arrival-rate with one thread stalled early in the run (a busy machine's start-up
// stall, played by a busy loop of STALL_MS in one iteration): idle VUs absorb the catch-up
import { sleep } from 'llmload';
import exec from 'llmload/execution';

export const options = {
  scenarios: { steady: { executor: 'constant-arrival-rate', rate: 200, duration: __ENV.DURATION ?? '2s', preAllocatedVUs: 20, maxVUs: 20 } },
};

export default async function () {
  if (exec.scenario.iterationInTest === 10) { const t = Date.now(); while (Date.now() - t < Number(__ENV.STALL_MS ?? 70)) { /* stall this thread */ } return; }
  await sleep(0.02);
}
