import { sleep } from 'llmload';
export const options = {
  scenarios: {
    shared: { executor: 'shared-iterations', vus: 7, iterations: 100, exec: 'work' },
    arrivals: { executor: 'constant-arrival-rate', rate: 150, duration: '2s', preAllocatedVUs: 10, maxVUs: 30, exec: 'work', poisson: true, seed: 9 },
    pervu: { executor: 'per-vu-iterations', vus: 5, iterations: 4, exec: 'work' },
  },
};
export async function work() { await sleep(0.002); }
