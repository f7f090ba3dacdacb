// `llmload compare RESULT… [--baseline NAME] [--by provider|model] [--format text|md|html|json]
// [--out FILE] [--monthly-requests N | --monthly-tokens IN,OUT] [--bootstrap N] [--seed N]
// [--label NAME]…`:
// the seed article's provider table from results folders (or one multi-provider run).
import type { Command } from 'commander';
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { combineSweeps, renderSweepCompare } from '../sweep/compare.ts';
import { CliError, EXIT } from '../exitcodes.ts';
import { loadRun } from './load.ts';
import { compare, type CompareOptions } from './table.ts';
import { renderHtml, renderJson, renderMarkdown, renderText } from './render.ts';

const FORMATS = { text: renderText, md: renderMarkdown, markdown: renderMarkdown, html: renderHtml, json: renderJson } as const;

const whole = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v) || Number(v) <= 0) throw new CliError(`invalid ${name} "${v}": expected a positive whole number`, EXIT.INVALID_CONFIG);
  return Number(v);
};

export function compareCommand(program: Command): void {
  program.command('compare')
    .description('compare providers from results folders (each with requests.ndjson.gz), as the seed article does, with 95 % bootstrap intervals')
    .argument('<results...>', 'results folders of runs (one multi-provider run, or one run per provider)')
    .option('--baseline <name>', 'the row differences are measured from (default: the lowest TTFT p50)')
    .option('--by <what>', 'rows per provider, or per provider and model', 'provider')
    .option('--format <fmt>', 'text, md, html or json', 'text')
    .option('--out <file>', 'write there instead of stdout')
    .option('--monthly-requests <n>', 'project a monthly cost for N requests with the run\'s token mix', whole('--monthly-requests'))
    .option('--monthly-tokens <in,out>', 'project a monthly cost for IN input and OUT output tokens at the run\'s model mix')
    .option('--bootstrap <n>', 'bootstrap resamples', whole('--bootstrap'), 1000)
    .option('--seed <n>', 'bootstrap seed (same seed, same intervals)', whole('--seed'), 1)
    .option('--label <name>', 'a name for each results folder, in order (repeatable; default: the folder\'s name): a provider in several runs gets a row per run', (v: string, p: string[]) => [...p, v], [] as string[])
    .action((dirs: string[], o: { baseline?: string; by: string; format: string; out?: string; monthlyRequests?: number; monthlyTokens?: string; bootstrap: number; seed: number; label: string[] }) => {
      const render = FORMATS[o.format as keyof typeof FORMATS];
      if (!render) throw new CliError(`invalid --format "${o.format}": use text, md, html or json`, EXIT.INVALID_CONFIG);
      if (o.by !== 'provider' && o.by !== 'model') throw new CliError(`invalid --by "${o.by}": use provider or model`, EXIT.INVALID_CONFIG);
      let monthlyTokens: CompareOptions['monthlyTokens'];
      if (o.monthlyTokens !== undefined) {
        const m = /^(\d+),(\d+)$/.exec(o.monthlyTokens.replace(/_/g, ''));
        if (!m) throw new CliError(`invalid --monthly-tokens "${o.monthlyTokens}": use INPUT,OUTPUT token counts, e.g. 50000000,10000000`, EXIT.INVALID_CONFIG);
        monthlyTokens = { input: Number(m[1]), output: Number(m[2]) };
      }
      if (monthlyTokens && o.monthlyRequests !== undefined) throw new CliError('give --monthly-requests or --monthly-tokens, not both', EXIT.INVALID_CONFIG);
      let runs;
      if (o.label.length && o.label.length !== dirs.length) throw new CliError(`--label given ${o.label.length} time(s) for ${dirs.length} results folder(s): give one per folder, in order`, EXIT.INVALID_CONFIG);
      // sweep results (sweep.json): their curves on one chart, and where they differ
      const sweeps = dirs.filter((d) => existsSync(join(d, 'sweep.json')));
      if (sweeps.length) {
        if (sweeps.length !== dirs.length) throw new CliError(`${dirs.filter((d) => !sweeps.includes(d)).join(', ')}: not sweep results; compare sweeps with sweeps (folders with sweep.json) and runs with runs`, EXIT.INVALID_CONFIG);
        let r;
        try { r = combineSweeps(dirs, o.label); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
        const text = renderSweepCompare(r, o.format);
        if (o.out) { writeFileSync(o.out, text); process.stdout.write(`wrote ${o.out}\n`); } else process.stdout.write(text);
        return;
      }
      try { runs = dirs.map((d, i) => ({ ...loadRun(d), ...(o.label[i] ? { label: o.label[i] } : {}) })); } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
      let c;
      try {
        c = compare(runs, { by: o.by, baseline: o.baseline, bootstrap: o.bootstrap, seed: o.seed, ...(o.monthlyRequests !== undefined ? { monthlyRequests: o.monthlyRequests } : {}), ...(monthlyTokens ? { monthlyTokens } : {}) });
      } catch (e) { throw new CliError((e as Error).message, EXIT.INVALID_CONFIG); }
      if (c.rows.length === 0) throw new CliError(`no LLM requests in ${dirs.join(', ')}: nothing to compare`, EXIT.INVALID_CONFIG);
      const text = render(c);
      if (o.out) { writeFileSync(o.out, text); process.stdout.write(`wrote ${o.out}\n`); } else process.stdout.write(text);
    });
}
