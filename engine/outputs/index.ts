// --out parsing: NAME=TARGET, as k6 (https://grafana.com/docs/k6/latest/results-output/).
import { CliError, EXIT } from '../exitcodes.ts';
import { JsonOutput } from './json.ts';
import { InfluxOutput, parseInfluxTarget } from './influxdb/index.ts';
import { CsvOutput, parseCsvTarget } from './csv.ts';
import { PrometheusRwOutput, parsePromRwTarget } from './prometheus/index.ts';
import type { Output } from './types.ts';

type Factory = (target: string, env: Record<string, string>) => Output;
export const OUTPUTS: Record<string, Factory> = {
  json: (t) => new JsonOutput(t),
  influxdb: (t, env) => new InfluxOutput(parseInfluxTarget('influxdb', t, env)),
  influxdb2: (t, env) => new InfluxOutput(parseInfluxTarget('influxdb2', t, env)),
  csv: (t, env) => new CsvOutput(parseCsvTarget(t, env)),
  'experimental-prometheus-rw': (t, env) => new PrometheusRwOutput(parsePromRwTarget('experimental-prometheus-rw', t, env)),
  'prometheus-rw': (t, env) => new PrometheusRwOutput(parsePromRwTarget('prometheus-rw', t, env)),
};
/** outputs whose target may be left out (k6: `-o experimental-prometheus-rw` reads its URL
 *  from K6_PROMETHEUS_RW_SERVER_URL, `-o csv` its file from K6_CSV_FILENAME) */
const TARGET_OPTIONAL = new Set(['experimental-prometheus-rw', 'prometheus-rw', 'csv']);

export function registerOutput(name: string, f: Factory): void { OUTPUTS[name] = f; }

export function createOutputs(specs: string[], env: Record<string, string>): Output[] {
  return specs.map((spec) => {
    const i = spec.indexOf('=');
    const name = i < 0 ? spec : spec.slice(0, i);
    const target = i < 0 ? '' : spec.slice(i + 1);
    const f = OUTPUTS[name];
    if (!f) throw new CliError(`unknown output "${name}" in --out ${spec}: valid outputs are ${Object.keys(OUTPUTS).map((n) => `${n}=…`).join(', ')}`, EXIT.INVALID_CONFIG);
    if (!target && !TARGET_OPTIONAL.has(name)) throw new CliError(`--out ${spec} needs a target: e.g. --out ${name}=${name === 'json' ? 'results.jsonl' : 'http://127.0.0.1:8086/llmload'}`, EXIT.INVALID_CONFIG);
    return f(target, env);
  });
}
