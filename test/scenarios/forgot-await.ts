// A native scenario with the commonest porting bug: sleep() without await.
import { sleep } from 'llmload';
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 1, iterations: 3 } } };
export default async function () {
  sleep(0.2);
}
