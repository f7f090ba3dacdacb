// Generator health: is the load generator, not the target, the bottleneck?
import { base, layout, q, InfluxQL, RUN, PRUN, type Datasource } from './common.ts';

export const generator = (ds: Datasource) => layout(
  base('llmload-generator', 'llmload / Generator health', 'The load generator\'s own CPU, event-loop lag and VU allocation. If these are high, the run measured llmload, not the target.', ds),
  [
    { title: 'Generator', panels: [
      { title: 'Generator CPU', description: 'CPU used by the llmload process (all threads), percent of one core. Above ~85 % per usable core the generator is the bottleneck.', unit: 'percent', threshold: 85,
        queries: [q(new InfluxQL(`SELECT max("value") FROM "generator_cpu_percent" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'A', 'cpu %'), `max(k6_generator_cpu_percent{${PRUN}})`, 'cpu %')] },
      { title: 'Event-loop lag p99', description: 'How late the generator\'s event loop ran timers (p99 per second, per worker thread). Above 50 ms, client-side timings are inflated.', unit: 'ms', threshold: 50,
        queries: [q(new InfluxQL(`SELECT max("p99") FROM "generator_event_loop_lag" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'A', 'lag p99'), `max(k6_generator_event_loop_lag_p99{${PRUN}}) * 1000`, 'lag p99')] },
      { title: 'VUs allocated vs active', description: 'VUs created (vus_max) and VUs running an iteration (vus), summed over runners.', unit: 'short', w: 24,
        queries: [q(new InfluxQL(`SELECT last("value") FROM "vus_max" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'A', 'vus_max'), `sum(k6_vus_max{${PRUN}})`, 'vus_max'),
          q(new InfluxQL(`SELECT last("value") FROM "vus" WHERE ${RUN} GROUP BY time($__interval) fill(none)`, 'B', 'vus'), `sum(k6_vus{${PRUN}})`, 'vus')] },
    ] },
  ],
  ds,
);
