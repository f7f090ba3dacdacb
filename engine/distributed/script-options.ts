// A script's options without running it: bundled and imported in an init-only runtime, as
// `llmload inspect` does. Plans (`plan`, `run --shards`) size themselves from these.
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { bundleScenario, type Bundle } from '../bundle.ts';
import { installRuntime } from '../../lib/runtime.ts';
import { EngineRuntime } from '../vu-runtime.ts';
import { resolveOptions, maxVUsOf, type ResolvedOptions } from '../config/options.ts';
import { CliError, EXIT } from '../exitcodes.ts';

export interface ScriptOptions { bundle: Bundle; options: ResolvedOptions; raw: Record<string, unknown>; totalVUs: number }

export async function readScriptOptions(script: string, env: Record<string, string>, compat?: string): Promise<ScriptOptions> {
  const bundle = await bundleScenario(script, join(tmpdir(), `llmload-plan-${process.pid}`), compat);
  installRuntime(new EngineRuntime(env, { onAbortTest() {}, log() {} }, { testid: 'plan', segment: '0:1', instance: 0 }));
  let mod: Record<string, unknown>;
  try { mod = await import(pathToFileURL(bundle.path).href); } catch (e) {
    const ce = e as { exitCode?: number; message?: string };
    throw new CliError(`script error in init: ${ce.message}`, ce.exitCode ?? EXIT.SCRIPT_ERROR);
  }
  const raw = (mod.options ?? {}) as Record<string, unknown>;
  const options = resolveOptions(raw, { scriptDir: dirname(resolve(script)) });
  return { bundle, options, raw, totalVUs: options.scenarios.reduce((a, s) => a + maxVUsOf(s), 0) };
}
