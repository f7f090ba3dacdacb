// Commands beyond run/inspect/version, each in its own module.
import type { Command } from 'commander';
import { simCommand } from '../sim/cli.ts';
import { reportCommand } from './report/command.ts';
import { compareCommand } from './compare/command.ts';
import { mergeCommand } from './distributed/command.ts';
import { planCommand } from './distributed/plan-command.ts';
import { searchCommand } from './search/command.ts';
import { sweepCommand } from './sweep/command.ts';
export function extraCommands(program: Command): void {
  simCommand(program);
  reportCommand(program);
  compareCommand(program);
  mergeCommand(program);
  planCommand(program);
  searchCommand(program);
  sweepCommand(program);
}
