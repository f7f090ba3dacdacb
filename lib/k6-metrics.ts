export { Counter, Gauge, Rate, Trend } from './metrics.ts';
