// k6/execution: https://grafana.com/docs/k6/latest/javascript-api/k6-execution/
import { runtime } from './runtime.ts';

const need = () => {
  const s = runtime().state();
  if (!s) throw new Error('exec.vu / exec.scenario are only available inside an iteration (not in init, setup or teardown)');
  return s;
};

export const exec = {
  get vu() {
    const s = need();
    return { idInInstance: s.idInInstance, idInTest: s.idInTest, iterationInInstance: s.iterationInInstance, iterationInScenario: s.iterationInScenario, tags: s.vuTags, metrics: { tags: s.vuTags } };
  },
  get scenario() {
    const s = need();
    const rt = runtime();
    return { name: s.scenario, executor: s.executor, startTime: s.scenarioStart, iterationInInstance: s.iterationInScenario, iterationInTest: s.iterationInTest ?? s.iterationInScenario, progress: 0, deadline: s.deadline, now: rt.now() };
  },
  get instance() { const t = runtime().testInfo(); return { segment: t.segment, instance: t.instance }; },
  test: {
    abort(reason = 'aborted by script'): never { runtime().abortTest(reason); throw new Error(`test aborted: ${reason}`); },
    get options() { return runtime().options; },
    get id() { return runtime().testInfo().testid; },
  },
};
export default exec;
