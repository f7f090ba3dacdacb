// ramping-vus that steps down and back up within gracefulRampDown: the VU asked to stop is
// wanted again before it stopped, and must keep running normally
import { sleep } from 'llmload';
import { Counter } from 'llmload/metrics';

const starts = new Counter('iteration_starts');

export const options = {
  scenarios: { back: { executor: 'ramping-vus', startVUs: 4, gracefulRampDown: '0.5s', stages: [{ duration: '1s', target: 4 }, { duration: '0.2s', target: 3 }, { duration: '0.2s', target: 4 }, { duration: '3s', target: 4 }] } },
};

export default async function () {
  starts.add(1);
  await sleep(1);
}
