// Commands beyond run/inspect/version, each in its own module.
import type { Command } from 'commander';
import { simCommand } from '../sim/cli.ts';
export function extraCommands(program: Command): void {
  simCommand(program);
}
