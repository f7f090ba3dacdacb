// Exit codes: k6's where k6 has one (https://github.com/grafana/k6/blob/master/errext/exitcodes/codes.go
// lists them; we reuse the numbers, not the code), llmload's own from 110 up. docs/EXIT_CODES.md.
export const EXIT = {
  OK: 0,
  GENERIC: 1,
  USAGE: 2,
  THRESHOLDS_FAILED: 99,
  SETUP_TIMEOUT: 100,
  TEARDOWN_TIMEOUT: 101,
  ENGINE_ERROR: 103,
  INVALID_CONFIG: 104,
  EXTERNAL_ABORT: 105,
  CANNOT_LISTEN: 106,
  SCRIPT_ERROR: 107,
  SCRIPT_ABORTED: 108,
  CREDENTIALS_MISSING: 112,
  BUDGET_EXCEEDED: 113,
  OUTPUT_ERROR: 114,
  SHARDS_MISSING: 115,
} as const;

/** An error that ends the CLI with one line and a documented exit code. */
export class CliError extends Error {
  constructor(message: string, readonly code: number) { super(message); }
}
