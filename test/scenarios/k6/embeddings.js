// A k6 script that calls an embeddings endpoint with k6/http: measured as embed() is.
import http from 'k6/http';
import { check } from 'k6';

export const options = { vus: 2, iterations: 6 };

export default function () {
  const r = http.post(`${__ENV.BASE_URL}/embeddings`, JSON.stringify({ model: 'text-embedding-3-small', input: ['first chunk of a document', 'second chunk'] }), { headers: { 'Content-Type': 'application/json' } });
  check(r, { 'status 200': (x) => x.status === 200, 'two vectors': (x) => JSON.parse(x.body).data.length === 2 });
}
