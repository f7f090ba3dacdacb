// Stopping a run: the first reason to stop wins (a signal, a script's abort, a threshold's
// abortOnFail, a watch hook), and every worker hears 'stop' (graceful) or 'abort'. Signals
// are handled from the start: a Ctrl+C during init or setup() stops the test before any
// iteration (workers get 'stop' with 'go'), and the summary is still written.
import type { Worker } from 'node:worker_threads';
import type { ToWorker } from '../protocol.ts';
import { EXIT } from '../exitcodes.ts';
import { redact } from '../redact.ts';

export interface AbortReason { reason: string; code: number }

export class RunControl {
  abortReason: AbortReason | null = null;
  stopping: 'stop' | 'abort' | null = null;
  readonly workers: Worker[] = [];
  private sigints = 0;
  // setup() and teardown() are the script's code and cannot be cancelled: a signal during them
  // stops the waiting instead, so the summary is still written (k6 ends there too)
  private sigWaiters: Array<(sig: string) => void> = [];
  private readonly onSigint = () => this.onSignal('SIGINT');
  private readonly onSigterm = () => this.onSignal('SIGTERM');

  constructor(private readonly log: (s: string) => void) {
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigterm);
  }

  /** whether a signal has arrived */
  get signalled(): boolean { return this.sigints > 0; }

  /** the next signal's name, when it comes */
  nextSignal(): Promise<string> { return new Promise<string>((r) => this.sigWaiters.push(r)); }

  stopAll(kind: 'stop' | 'abort'): void {
    if (this.stopping === 'abort' || this.stopping === kind) return;
    this.stopping = kind;
    for (const w of this.workers) w.postMessage({ type: kind } satisfies ToWorker);
  }

  /** records the first reason only, then aborts every worker */
  abort(reason: AbortReason): void {
    this.abortReason ??= reason;
    this.stopAll('abort');
  }

  /** a call's configuration cannot work (lib's ConfigError in an iteration): one line on stderr,
   *  also under -q, and the run stops with the error's exit code, its summary written */
  configError(message: string, code: number): void {
    if (!this.abortReason) process.stderr.write(`llmload: ${redact(message)}\n`);
    this.abort({ reason: message, code });
  }

  /** the script called exec.test.abort() (in any thread) */
  scriptAborted(reason: string): void { this.abort({ reason: `test aborted by script: ${reason}`, code: EXIT.SCRIPT_ABORTED }); }

  private onSignal(sig: string): void {
    this.sigints++;
    for (const w of this.sigWaiters.splice(0)) w(sig);
    if (this.sigints === 1) {
      this.log(`\n${sig}: stopping gracefully (gracefulStop); press Ctrl+C again to abort now`);
      this.abortReason ??= { reason: `stopped by ${sig}`, code: EXIT.EXTERNAL_ABORT };
      this.stopAll('stop');
    } else this.stopAll('abort');
  }

  dispose(): void {
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigterm);
  }
}
