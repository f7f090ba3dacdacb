// Type-checks a TypeScript scenario before it runs, so a type error is a script error
// (file:line:col, exit 107) instead of a surprise mid-test. Scenarios see llmload's own
// sources for `llmload/*` and @types/k6 for `k6/*`. Clean results are cached by content hash,
// so re-running an unchanged scenario costs nothing. Skip with --no-typecheck.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = existsSync(join(here, '..', 'lib', 'index.ts')) ? resolve(here, '..') : resolve(here, '..', '..');

export interface TypeError { file: string; line: number; col: number; message: string }

export async function typecheck(script: string): Promise<TypeError | null> {
  const abs = resolve(script);
  if (!/\.(ts|mts|tsx)$/.test(abs)) return null;
  let ts: typeof import('typescript');
  // the scenario's own project's TypeScript first, then ours (a dev dependency: an installed
  // llmload or the runner image has none, and pods run --no-typecheck); with neither, esbuild
  // still catches syntax errors
  try { ts = createRequire(abs)('typescript'); } catch {
    try { ts = createRequire(import.meta.url)('typescript'); } catch { return null; }
  }
  const src = readFileSync(abs, 'utf8');
  const key = createHash('sha256').update(ts.version).update(abs).update(src).digest('hex').slice(0, 24);
  const cacheDir = join(tmpdir(), 'llmload-typecheck');
  if (existsSync(join(cacheDir, key))) return null;
  const lib = (f: string) => [join(ROOT, 'lib', f)];
  const options: import('typescript').CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: true, skipLibCheck: true, allowImportingTsExtensions: true, esModuleInterop: true, resolveJsonModule: true,
    strict: false, types: ['node', 'k6'], typeRoots: [join(ROOT, 'node_modules', '@types')], baseUrl: ROOT,
    paths: { llmload: lib('index.ts'), 'llmload/metrics': lib('metrics.ts'), 'llmload/llm': lib('llm/index.ts'), 'llmload/providers': lib('providers/index.ts'), 'llmload/workload': lib('workload/index.ts'), 'llmload/execution': lib('k6-execution.ts') },
  };
  const program = ts.createProgram([abs], options);
  const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error && d.file && !d.file.fileName.includes('node_modules') && !d.file.fileName.startsWith(join(ROOT, 'lib')));
  if (diags.length === 0) { mkdirSync(cacheDir, { recursive: true }); writeFileSync(join(cacheDir, key), ''); return null; }
  const d = diags[0]!;
  const pos = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
  return { file: relative(process.cwd(), d.file!.fileName) || d.file!.fileName, line: pos.line + 1, col: pos.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
}
