// A blocking call inside a callback given to a built-in (Array.forEach): no `await` can be
// placed where forEach calls it, so this script keeps a thread per VU (test/k6-scale.test.ts).
import http from 'k6/http';
import { check } from 'k6';
export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } }, thresholds: { checks: ['rate==1'] } };
export default function () {
  ['a', 'b'].forEach((p) => check(http.get(`${__ENV.TARGET}/echo?${p}`), { 'answered': (r) => r.body === p }));
}
