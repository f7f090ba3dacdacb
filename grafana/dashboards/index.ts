// Every dashboard, by output file name.
import { overview } from './overview.ts';
import { latency } from './latency.ts';
import { tokensCost } from './tokens-cost.ts';
import { rateLimits } from './rate-limits.ts';
import { generator } from './generator.ts';

export const DASHBOARDS = { overview, latency, 'tokens-cost': tokensCost, 'rate-limits': rateLimits, generator };
