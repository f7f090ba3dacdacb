// --out parsing: NAME=TARGET, as k6 (https://grafana.com/docs/k6/latest/results-output/).
import { CliError, EXIT } from '../exitcodes.ts';
import { JsonOutput } from './json.ts';
import { InfluxOutput, parseInfluxTarget } from './influxdb/index.ts';
import type { Output } from './types.ts';

type Factory = (target: string, env: Record<string, string>) => Output;
export const OUTPUTS: Record<string, Factory> = {
  json: (t) => new JsonOutput(t),
  influxdb: (t, env) => new InfluxOutput(parseInfluxTarget('influxdb', t, env)),
  influxdb2: (t, env) => new InfluxOutput(parseInfluxTarget('influxdb2', t, env)),
};

export function registerOutput(name: string, f: Factory): void { OUTPUTS[name] = f; }

export function createOutputs(specs: string[], env: Record<string, string>): Output[] {
  return specs.map((spec) => {
    const i = spec.indexOf('=');
    const name = i < 0 ? spec : spec.slice(0, i);
    const target = i < 0 ? '' : spec.slice(i + 1);
    const f = OUTPUTS[name];
    if (!f) throw new CliError(`unknown output "${name}" in --out ${spec}: valid outputs are ${Object.keys(OUTPUTS).map((n) => `${n}=…`).join(', ')}`, EXIT.INVALID_CONFIG);
    if (!target) throw new CliError(`--out ${spec} needs a target: e.g. --out ${name}=${name === 'json' ? 'results.jsonl' : 'http://127.0.0.1:8086/llmload'}`, EXIT.INVALID_CONFIG);
    return f(target, env);
  });
}
