// Loads test/fixtures/wire (the wire transcripts with expected results; copied from the team's
// shared folder so a clone with nothing beside it runs every test).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = resolve(here, 'fixtures', 'wire');

export interface SseCase { name: string; body: Buffer; meta: any }
export function sseCases(): SseCase[] {
  const dir = join(FIXTURES, 'sse');
  return readdirSync(dir).filter((f) => f.endsWith('.sse')).sort().map((f) => {
    const name = f.slice(0, -4);
    return { name, body: readFileSync(join(dir, f)), meta: JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) };
  });
}
export function errorCases(): Array<{ name: string; meta: any }> {
  const dir = join(FIXTURES, 'errors');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => ({ name: f.slice(0, -5), meta: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}
