// k6 duration strings (one parser for options, thresholds, chat() timeouts, k6/http params and
// the outputs' settings): "1h2m3.5s", "500ms", "90s", "2m"; a bare number means seconds
// (k6 accepts a number for durations in options; in strings it requires a unit).
// https://grafana.com/docs/k6/latest/using-k6/k6-options/reference/ (Go time.ParseDuration)
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };
const PART = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;

export class DurationError extends Error {}

/** Parses a k6 duration into milliseconds; throws DurationError naming the bad value. */
export function parseDuration(input: string | number, what = 'duration'): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new DurationError(`invalid ${what} ${input}: must be a non-negative number of seconds`);
    return input * 1000;
  }
  const s = String(input);
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  let ms = 0;
  let pos = 0;
  if (s.length === 0) throw new DurationError(`invalid ${what} "": use a number with a unit, e.g. 30s, 1m30s, 500ms`);
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) throw new DurationError(`invalid ${what} "${s}": use a number with a unit and no spaces, e.g. 30s, 5m, 1h2m, 500ms (units: h, m, s, ms, us, ns)`);
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalS = ms / 1000;
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = +(totalS % 60).toFixed(1);
  return `${h ? h + 'h' : ''}${m ? m + 'm' : ''}${s || (!h && !m) ? s + 's' : ''}`;
}
