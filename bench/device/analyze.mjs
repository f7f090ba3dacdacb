// One row of the device levels table (bench/device/levels.sh): CPU per streamed event and TTFT
// error per request against the simulator's ground truth, joined on the request id
// (docs/METRICS.md, "Simulator ground truth"). Plain JavaScript: the device has node and dist/
// only, no tsx.
//   node analyze.mjs GROUND_TRUTH.jsonl RUN_DIR CPU_SECONDS STREAMS WORKERS
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

const [gtPath, runDir, cpuArg, streams, workers] = process.argv.slice(2);
if (!gtPath || !runDir || !cpuArg) { process.stderr.write('usage: node analyze.mjs GROUND_TRUTH.jsonl RUN_DIR CPU_SECONDS STREAMS WORKERS\n'); process.exit(2); }
const s = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
const ttft = new Map();
for (const l of gunzipSync(readFileSync(join(runDir, 'requests.ndjson.gz'))).toString('utf8').split('\n')) {
  if (!l) continue;
  const r = JSON.parse(l);
  if (r.req_id && r.ttft_ms !== null) ttft.set(r.req_id, r.ttft_ms);
}
// the ground truth holds every request of the level (warm-up and other runs too) with all its
// token times: read the id first and parse only this run's lines
const joined = [];
const rl = createInterface({ input: createReadStream(gtPath, 'utf8'), crlfDelay: Infinity });
for await (const raw of rl) {
  const line = raw.replace(/^[\s\0]+/, '');
  const id = /"id":"([^"]+)"/.exec(line)?.[1];
  if (!id || !ttft.has(id)) continue;
  const g = JSON.parse(line);
  if (g.first_token_ms) joined.push({ at: g.arrival_ms, err: ttft.get(id) - (g.first_token_ms - g.arrival_ms) });
}
const q = (xs, p) => { if (!xs.length) return NaN; const a = Float64Array.from(xs).sort(); return a[Math.min(a.length - 1, Math.floor(p * (a.length - 1)))]; };
const t0 = Math.min(...joined.map((x) => x.at));
const errs = joined.map((x) => x.err);
const late = joined.filter((x) => x.at - t0 >= 2000).map((x) => x.err);
const events = s.metrics.llm_output_tokens?.values.count ?? 0;
const cpu = Number(cpuArg);
const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const g = s.generator ?? {};
process.stdout.write(`| ${streams} | ${workers} | ${s.llm?.totals.requests ?? 0} | ${joined.length} | ${events} | ${f(cpu)} s | ${f((cpu / events) * 1e6, 1)} | ${f(q(errs, 0.5))} / ${f(q(errs, 0.9))} / ${f(q(errs, 0.99))} ms | ${f(q(late, 0.99))} ms | ${g.timing_error_p99_ms ?? '–'} ms | ${String(g.verdict ?? '–').split(':')[0]} |\n`);
