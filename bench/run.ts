// `make perf`: runs every benchmark and rewrites the "Latest run" section of docs/PERFORMANCE.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { engineBench } from './engine.ts';
import { clientBench } from './client.ts';
import { simBench } from './sim.ts';
import { stressBench } from './stress.ts';

const only = process.argv.slice(2);
const want = (k: string) => only.length === 0 || only.includes(k);
const parts: string[] = [];
const section = async (key: string, title: string, fn: () => Promise<string[]>) => {
  if (!want(key)) return;
  process.stderr.write(`perf: ${title}…\n`);
  const rows = await fn();
  parts.push(`### ${title}\n\n${rows.join('\n')}\n`);
  process.stderr.write(rows.join('\n') + '\n\n');
};
await section('engine', 'Engine (issue #3)', engineBench);
await section('client', 'LLM client (issue #4)', clientBench);
await section('sim', 'Simulator (issue #5)', simBench);
await section('stress', 'Seed workload at 200 VUs, InfluxDB output on/off (issues #6, #7)', () => stressBench(Number(process.env.STRESS_SECONDS ?? 60)));

const file = 'docs/PERFORMANCE.md';
const doc = readFileSync(file, 'utf8');
const marker = '<!-- latest-run -->';
const head = doc.includes(marker) ? doc.slice(0, doc.indexOf(marker)) : doc + '\n';
const stamp = `Measured ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, with \`make perf${only.length ? ` ARGS="${only.join(' ')}"` : ''}\` (bench/run.ts). Figures from one run on a shared, noisy machine: compare ratios within the run.\n\n`;
writeFileSync(file, `${head}${marker}\n## Latest run\n\n${stamp}${parts.join('\n')}`);
process.stderr.write(`perf: wrote ${file}\n`);
