// The scenario a load step runs (llmload search, llmload sweep): the user's script, its other
// options kept (provider, timeouts, tags), under one injected executor whose load and duration
// come from __ENV (LLMLOAD_STEP_LOAD, LLMLOAD_STEP_DURATION). Written next to the script, so
// open() and relative imports resolve as they do for the script itself; removed afterwards.
import { resolve } from 'node:path';

export type StepLoad = 'rate' | 'vus';

/** `thresholds`: a JS expression for options.thresholds (search sets its SLOs), none by default;
 *  `gracefulStop`: how long a step lets its last calls finish */
export function stepWrapper(script: string, tool: string, load: StepLoad, o: { thresholds?: string; gracefulStop: string }): string {
  return `// written by llmload ${tool}; removed when it ends
import * as m from ${JSON.stringify(resolve(script))};
const o = { ...((m as any).options ?? {}) };
for (const k of ['vus', 'duration', 'iterations', 'stages', 'scenarios', 'thresholds']) delete o[k];
const load = Number(__ENV.LLMLOAD_STEP_LOAD);
const step = __ENV.LLMLOAD_STEP_DURATION;
export const options = {
  ...o,
  scenarios: { ${tool}: ${load === 'rate'
    ? `{ executor: 'constant-arrival-rate', rate: load, duration: step, preAllocatedVUs: Math.max(5, Math.ceil(load)), maxVUs: Math.max(100, Math.ceil(load * 30)), gracefulStop: '${o.gracefulStop}' }`
    : `{ executor: 'constant-vus', vus: load, duration: step, gracefulStop: '${o.gracefulStop}' }`} },${o.thresholds ? `\n  thresholds: ${o.thresholds},` : ''}
};
export default (m as any).default;
export const setup = (m as any).setup;
export const teardown = (m as any).teardown;
`;
}

/** the -e flags that set a step's load and duration */
export const stepEnv = (load: number, durationMs: number): string[] => ['-e', `LLMLOAD_STEP_LOAD=${load}`, '-e', `LLMLOAD_STEP_DURATION=${durationMs}ms`];
