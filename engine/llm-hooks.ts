// Run hooks that know about LLM costs: the budget guard (issue: seed workload).
import type { RunArgs, RunHooks } from './runner.ts';
export function llmHooks(_args: RunArgs): RunHooks { return {}; }
