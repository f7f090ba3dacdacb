// chat() over HTTPS to BASE_URL (test/tls.test.ts): TLS options from the environment so one
// script covers trust, skip-verify and client certificates (k6's tlsAuth).
import { check } from 'llmload';
import { chat } from 'llmload/llm';

export const options = {
  scenarios: { tls: { executor: 'per-vu-iterations', vus: 1, iterations: 3 } },
  thresholds: { llm_errors: ['rate==0'] },
  ...(__ENV.CLIENT_CERT ? { tlsAuth: [{ domains: ['localhost'], cert: open(__ENV.CLIENT_CERT) as string, key: open(__ENV.CLIENT_KEY!) as string }] } : {}),
};

let told = false;
export default async function () {
  const res = await chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, stream: true });
  check(res, { ok: (r) => r.ok });
  if (!res.ok && !told) { told = true; console.log(`CALL FAILED ${res.error?.kind}: ${res.error?.message}`); }
}
