// VUs asleep when the ramp takes them away: their iterations end at the blocking call, as in
// k6 (gracefulRampDown 0s), instead of sleeping on (test/k6-scale.test.ts).
import { sleep } from 'k6';
import { Counter } from 'k6/metrics';
const woke = new Counter('woke_after_sleep');
export const options = { scenarios: { s: { executor: 'ramping-vus', startVUs: 4, stages: [{ duration: '1s', target: 4 }, { duration: '1s', target: 0 }], gracefulRampDown: '0s' } } };
export default function () { sleep(30); woke.add(1); }
