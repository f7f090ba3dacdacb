// The seed's stage shape (2m/5m/2m/5m/2m to 20/50/100/100/0 VUs) with time scaled 1:60.
import { sleep } from 'llmload';
export const options = {
  scenarios: {
    ramp: { executor: 'ramping-vus', startVUs: 0, gracefulRampDown: '0s', stages: [
      { duration: '2s', target: 20 }, { duration: '5s', target: 50 }, { duration: '2s', target: 100 }, { duration: '5s', target: 100 }, { duration: '2s', target: 0 },
    ] },
  },
};
export default async function () { await sleep(0.01); }
