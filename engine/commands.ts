// Commands beyond run/inspect/version: sim, report, merge (each in its own module).
import type { Command } from 'commander';
export function extraCommands(_program: Command): void {}
