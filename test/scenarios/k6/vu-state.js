// k6's VU model, checked in both of llmload's (test/k6-scale.test.ts): module-level variables
// belong to their VU (k6 gives each VU a runtime of its own), blocking calls through a helper
// function and inside group(), sleep without await, exec and __VU/__ITER per VU.
import http from 'k6/http';
import { check, group, sleep } from 'k6';
import exec from 'k6/execution';
import { Counter } from 'k6/metrics';

const iterations = new Counter('vu_state_iterations');
let mine = 0;
let firstVu = null;
function ask(path) { return http.get(`${__ENV.TARGET}${path}`); }

export const options = {
  scenarios: { s: { executor: 'per-vu-iterations', vus: 5, iterations: 4 } },
  thresholds: { checks: ['rate==1'] },
};

export default function () {
  mine++;
  if (firstVu === null) firstVu = __VU;
  group('g', () => {
    const r = ask(`/echo?vu=${__VU}&i=${__ITER}`);
    check(r, {
      'module state is the VU\'s own': () => mine === __ITER + 1 && firstVu === __VU && exec.vu.idInTest === __VU,
      'the answer is this call\'s': (x) => x.status === 200 && x.body === `vu=${__VU}&i=${__ITER}`,
    });
  });
  sleep(0.05);
  iterations.add(1);
}
