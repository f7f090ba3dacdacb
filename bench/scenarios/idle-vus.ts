// VUs that only sleep: memory per idle VU.
import { sleep } from 'llmload';
export const options = { scenarios: { idle: { executor: 'constant-vus', vus: Number(__ENV.VUS ?? 1000), duration: __ENV.DURATION ?? '8s', gracefulStop: '0s' } } };
export default async function () { await sleep(60); }
