// A script that declares where its load comes from, k6 cloud's way (options.cloud.distribution,
// given as JSON in DIST) — bad distributions must fail before any request.
import { sleep } from 'llmload';

export const options = {
  cloud: { distribution: JSON.parse(__ENV.DIST ?? '{"eu":{"loadZone":"amazon:ie:dublin","percent":100}}') },
  vus: 1, iterations: 1,
};

export default async function () { await sleep(0.01); }
