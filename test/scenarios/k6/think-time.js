// sleep(1) without await: k6 pauses the VU, so a 3 s run gives at most 3 iterations per VU.
import { sleep } from 'k6';
import { Counter } from 'k6/metrics';
const done = new Counter('think_iterations');
export const options = { vus: 2, duration: '3s' };
export default function () { done.add(1); sleep(1); }
