// Names shared by every command that starts runs: the test id and the CLI's own entry point
// (for the child processes of `run --shards` and `search`).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** time-based and unique enough: 20261204T172555-836d */
export function newTestId(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '') + '-' + randomBytes(2).toString('hex');
}

const here = dirname(fileURLToPath(import.meta.url));
/** bin/llmload.js, from the built bundle (dist/) or the sources (engine/…) */
export const CLI_PATH = [join(here, '..', 'bin', 'llmload.js'), join(here, '..', '..', 'bin', 'llmload.js')].find((p) => existsSync(p)) ?? join(here, '..', 'bin', 'llmload.js');
