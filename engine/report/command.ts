// `llmload report summary.json [-o report.html]`: rebuilds the HTML report from a summary.
import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderReport } from './html.ts';
import { CliError, EXIT } from '../exitcodes.ts';

export function reportCommand(program: Command): void {
  program.command('report')
    .description('render the self-contained HTML report from a summary.json')
    .argument('<summary>', 'summary.json written by llmload run (--results-dir or --summary-export)')
    .option('-o, --output <file>', 'where to write the report (default: report.html next to the summary)')
    .action((file: string, o: { output?: string }) => {
      let data;
      try { data = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw new CliError(`cannot read ${file}: ${(e as Error).message}`, EXIT.INVALID_CONFIG); }
      if (!data || typeof data !== 'object' || !data.metrics || !data.state) throw new CliError(`${file} is not an llmload summary (no metrics/state): pass the summary.json of a run`, EXIT.INVALID_CONFIG);
      const out = o.output ?? join(dirname(file), 'report.html');
      writeFileSync(out, renderReport(data));
      process.stdout.write(`wrote ${out}\n`);
    });
}
