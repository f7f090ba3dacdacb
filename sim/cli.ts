// `llmload sim`: run the simulator from the command line.
import type { Command } from 'commander';
import { startSim, type SimOptions } from './server.ts';
import { isSimChild, runChild, runPrimary } from './cluster.ts';
import { PROFILES } from './profiles.ts';
import { parseFault } from './faults.ts';
import { parseDist } from './dist.ts';
import { readFileSync } from 'node:fs';

class SimCliError extends Error { constructor(msg: string, readonly exitCode: number) { super(msg); } }

const num = (name: string) => (v: string) => { const n = Number(v); if (!Number.isFinite(n) || n < 0) throw new SimCliError(`invalid ${name} "${v}": expected a non-negative number`, 104); return n; };

export function simCommand(program: Command): void {
  program.command('sim')
    .description('run the built-in LLM API simulator (OpenAI chat completions + Anthropic messages)')
    .option('--port <n>', 'port (0 picks a free one)', num('--port'), 8080)
    .option('--host <addr>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--profile <name>', `latency profile: ${Object.keys(PROFILES).join(', ')}`, 'fast')
    .option('--config <file>', 'JSON profile overrides (fields of sim/profiles.ts Profile)')
    .option('--ttft-ms <n>', 'constant time to first token', num('--ttft-ms'))
    .option('--itl-ms <n>', 'constant inter-token latency', num('--itl-ms'))
    .option('--output-tokens <n|dist>', 'output length: N, lognormal:MEDIAN:SIGMA, uniform:MIN:MAX, normal:MEAN:SD')
    .option('--rpm <n>', 'requests per minute per API key', num('--rpm'))
    .option('--tpm <n>', 'tokens per minute per API key', num('--tpm'))
    .option('--concurrency <n>', 'concurrent generations (more wait in the queue)', num('--concurrency'))
    .option('--queue <n>', 'queue length before 503/529', num('--queue'))
    .option('--autoscale-delay-ms <n>', 'capacity model: this long after overload begins (every slot busy), the concurrency limit rises to --autoscale-concurrency', num('--autoscale-delay-ms'))
    .option('--autoscale-concurrency <n>', 'the concurrency limit after the autoscaler acts', num('--autoscale-concurrency'))
    .option('--fault <kind:rate>', 'inject a fault at a rate, e.g. 500:0.05, stall:0.01 (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--seed <n>', 'random seed', num('--seed'), 1)
    .option('--ground-truth <file>', 'write per-request ground truth as JSON lines')
    .option('--slow-first-byte-ms <n>', 'delay of the slow_first_byte fault', num('--slow-first-byte-ms'), 5000)
    .option('--stall-ms <n>', 'how long the stall fault keeps a stream silent before closing it', num('--stall-ms'), 600000)
    .option('--framing <mode>', 'stream framing: chunked (as real APIs) or length (Content-Length, cheaper)', 'chunked')
    .option('--precision <mode>', 'how writes wait out their last ~2 ms: nap (frees the CPU; ~0.1 ms late) or spin (µs-precise; holds a core)', 'nap')
    .option('--processes <n>', 'serve from N processes sharing the port (many-core machines; limits such as --concurrency and --rpm would apply per process, so they are refused)', num('--processes'), 1)
    .option('--idle-timeout-ms <n>', 'close a keep-alive connection after this long idle (as servers do; default 65000)', num('--idle-timeout-ms'))
    .option('--no-keepalive-hint', 'send no Keep-Alive: timeout=N header (uvicorn and many gateways send none)')
    .option('--tail-ms <ms>', 'wait this long between the last token and the finish (usage chunk, [DONE] / message_stop), as servers that send usage late', num('--tail-ms'))
    .option('--prefix-cache <blocks>', 'a prompt cache of this many 256-character blocks: shared prefixes skip their prefill and usage reports them as cached', num('--prefix-cache'))
    .option('--prefill-ms-per-token <ms>', 'prefill cost per uncached input token (TTFT grows with the prompt; overrides the profile)', Number)
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate (and --tls-key)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option('--quirks', 'wire quirks for client tests: CRLF, keep-alive comments, UTF-8 split across writes')
    .action(async (o: Record<string, any>) => {
      try {
        if (!PROFILES[o.profile]) throw new SimCliError(`unknown profile "${o.profile}": valid profiles are ${Object.keys(PROFILES).join(', ')}`, 104);
        for (const f of o.fault as string[]) { try { parseFault(f); } catch (e) { throw new SimCliError((e as Error).message, 104); } }
        if (o.precision !== 'nap' && o.precision !== 'spin') throw new SimCliError(`invalid --precision "${o.precision}": valid modes are nap, spin`, 104);
        if (o.framing !== 'chunked' && o.framing !== 'length') throw new SimCliError(`invalid --framing "${o.framing}": valid modes are chunked, length`, 104);
        if (o.outputTokens !== undefined) { try { parseDist(String(o.outputTokens)); } catch (e) { throw new SimCliError((e as Error).message, 104); } }
        let tls: { key: string; cert: string } | undefined;
        if (!!o.tlsCert !== !!o.tlsKey) throw new SimCliError('--tls-cert and --tls-key go together: give both PEM files, or neither for plain HTTP', 104);
        if (o.tlsCert) { try { tls = { cert: readFileSync(o.tlsCert, 'utf8'), key: readFileSync(o.tlsKey, 'utf8') }; } catch (e) { throw new SimCliError(`cannot read --tls-cert/--tls-key: ${(e as Error).message}`, 104); } }
        let config;
        if (o.config) { try { config = JSON.parse(readFileSync(o.config, 'utf8')); } catch (e) { throw new SimCliError(`cannot read --config ${o.config}: ${(e as Error).message}`, 104); } }
        const simOpts: SimOptions = { port: o.port, host: o.host, profile: o.profile, config, ttftMs: o.ttftMs, itlMs: o.itlMs, outputTokens: o.outputTokens === undefined ? undefined : /^\d+$/.test(o.outputTokens) ? Number(o.outputTokens) : o.outputTokens, rpm: o.rpm, tpm: o.tpm, concurrency: o.concurrency, queue: o.queue, autoscaleDelayMs: o.autoscaleDelayMs, autoscaleConcurrency: o.autoscaleConcurrency, faults: o.fault, seed: o.seed, groundTruth: o.groundTruth, quirks: !!o.quirks, framing: o.framing, precision: o.precision, slowFirstByteMs: o.slowFirstByteMs, stallMs: o.stallMs, tailMs: o.tailMs, idleTimeoutMs: o.idleTimeoutMs, keepAliveHint: o.keepaliveHint !== false, prefixCacheBlocks: o.prefixCache, ...(o.prefillMsPerToken !== undefined ? { config: { ...(config ?? {}), prefillMsPerToken: o.prefillMsPerToken } } : {}), ...(tls ? { tls } : {}) };
        const processes = Math.floor(o.processes);
        if (processes > 1) {
          const perProcess = ['concurrency', 'rpm', 'tpm', 'autoscaleDelayMs', 'autoscaleConcurrency'].filter((k) => o[k] !== undefined);
          if (perProcess.length) throw new SimCliError(`--processes ${processes} cannot be combined with ${perProcess.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', ')}: each process would apply its own limit; use one process for capacity and rate-limit models`, 104);
          if (tls) throw new SimCliError('--tls-cert with --processes is not supported: serve HTTPS from one process', 104);
          if (o.groundTruth === 'memory') throw new SimCliError('--ground-truth memory is for an in-process simulator; give a file with --processes', 104);
        }
        if (isSimChild()) {
          // a process that cannot start must not linger (its IPC channel would keep it alive)
          try { await runChild(simOpts); } catch (e) { process.stderr.write(`llmload sim: process ${process.env.LLMLOAD_SIM_PROCESS}: ${(e as Error).message}\n`); process.exit(106); }
          return;
        }
        if (processes > 1) { await runPrimary(processes, o.groundTruth, (url) => process.stdout.write(`llmload sim listening on ${url} (profile ${o.profile}, ${processes} processes)\n`)); return; }
        let sim;
        try {
          sim = await startSim(simOpts);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE') throw new SimCliError(`port ${o.port} on ${o.host} is already in use: pick another with --port, or --port 0 for a free one`, 106);
          if (code === 'EADDRNOTAVAIL' || code === 'EACCES') throw new SimCliError(`cannot listen on ${o.host}:${o.port} (${code}): use --host 127.0.0.1 and a free --port`, 106);
          throw e;
        }
        process.stdout.write(`llmload sim listening on ${sim.url} (profile ${o.profile})\n`);
        const stop = async () => { await sim.close(); process.exit(0); };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (e) {
        if (e instanceof SimCliError) { process.stderr.write(`llmload sim: ${e.message}\n`); process.exit(e.exitCode); }
        throw e;
      }
    });
}
