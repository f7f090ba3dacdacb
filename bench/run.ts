// `make perf`: runs every benchmark and rewrites the "Latest run" section of docs/PERFORMANCE.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { engineBench } from './engine.ts';
import { clientBench } from './client.ts';
import { simBench } from './sim.ts';
import { stressBench } from './stress.ts';
import { k6Bench } from './k6.ts';
import { soakBench } from './soak.ts';
import { wholeBench } from './whole.ts';
import { httpsBench } from './https.ts';

const only = process.argv.slice(2);
const want = (k: string) => only.length === 0 || only.includes(k);
// sections measured now; a partial run (`make perf ONLY=client`) keeps the others' last figures
const parts = new Map<string, string>();
const when = () => new Date().toISOString().slice(0, 16) + 'Z';
const section = async (key: string, title: string, fn: () => Promise<string[]>) => {
  if (!want(key)) return;
  process.stderr.write(`perf: ${title}…\n`);
  const rows = await fn();
  parts.set(title, `### ${title}\n\n_Measured ${when()} (\`make perf${only.length ? ` ONLY="${only.join(' ')}"` : ''}\`)._\n\n${rows.join('\n')}\n`);
  process.stderr.write(rows.join('\n') + '\n\n');
};
const TITLES = { engine: 'Engine (issue #3)', client: 'LLM client (issue #4)', sim: 'Simulator (issue #5)', stress: 'Seed workload at 200 VUs, InfluxDB output on/off (issues #6, #7)', k6: 'k6 scripts at scale: VUs per thread (issues #20, #31)', soak: 'Soak: memory over a long run (issue #17)', whole: 'Whole process: CPU per streamed event, threads, TTFT error (issue #16)', https: 'HTTPS against plain HTTP, both readers (issue #28)' };
await section('engine', TITLES.engine, engineBench);
await section('client', TITLES.client, clientBench);
await section('sim', TITLES.sim, simBench);
await section('stress', TITLES.stress, () => stressBench(Number(process.env.STRESS_SECONDS ?? 60)));
await section('k6', TITLES.k6, k6Bench);
await section('whole', TITLES.whole, () => wholeBench());
await section('https', TITLES.https, () => httpsBench());
// half an hour: only when asked for (make perf ONLY=soak; SOAK_MINUTES= to change)
if (only.includes('soak')) await section('soak', TITLES.soak, () => soakBench());

const file = 'docs/PERFORMANCE.md';
const doc = readFileSync(file, 'utf8');
const marker = '<!-- latest-run -->';
const head = doc.includes(marker) ? doc.slice(0, doc.indexOf(marker)) : doc + '\n';
// the previous run's sections, by title
const previous = new Map<string, string>();
if (doc.includes(marker)) for (const block of doc.slice(doc.indexOf(marker)).split(/^(?=### )/m).slice(1)) previous.set(block.slice(4, block.indexOf('\n')).trim(), block.trimEnd() + '\n');
const body = Object.values(TITLES).map((t) => parts.get(t) ?? previous.get(t)).filter(Boolean).join('\n');
const stamp = `On ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, with \`make perf\` (bench/run.ts; \`make perf ONLY=client\` reruns one section). Figures from one run on a shared, noisy machine: compare ratios within a section.\n\n`;
writeFileSync(file, `${head}${marker}\n## Latest run\n\n${stamp}${body}`);
process.stderr.write(`perf: wrote ${file}\n`);
