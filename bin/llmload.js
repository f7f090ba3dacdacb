#!/usr/bin/env node
// Entry point: the CLI is built into dist/ by `npm run build` (make does it for you).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist', 'cli.js'))) {
  process.stderr.write('llmload: not built yet: run `make build` (or `npm run build`) in ' + root + '\n');
  process.exit(2);
}
const { main } = await import('../dist/cli.js');
await main(process.argv);
