import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';
import { AgentOptionsError, agentUsage, parseAgentOptions, type AgentOptions } from './options.ts';
import { AgentState, syncOnce } from './sync.ts';

/** Quiet period after a change of a mounted ConfigMap before the pass (the kubelet swaps several links). */
const settleMs = 500;

/**
 * The node agent's life: a pass at start, then one every interval and shortly after the mounted
 * ConfigMaps change, until SIGTERM/SIGINT, which waits for a running pass, logs `shutting down node-ca`
 * and exits 0. It never calls the API: all it knows arrives through the two mounted ConfigMaps.
 */
export async function runAgent(argv: string[]): Promise<void> {
  let opts: AgentOptions & { help: boolean };
  try {
    opts = parseAgentOptions(argv);
  } catch (err) {
    if (!(err instanceof AgentOptionsError)) throw err;
    process.stderr.write(`node-ca sync: ${err.message}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${agentUsage()}\n`);
    process.exit(0);
  }
  const log: Logger = pino({ name: 'node-ca', level: opts.logLevel, base: { pid: process.pid } });
  const state = new AgentState();
  let running: Promise<void> | undefined;
  let again = false;
  let stopping = false;

  const pass = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        const start = process.hrtime.bigint();
        try {
          const r = await syncOnce(opts, log, state);
          const summary = `copied: ${pad(r.copied)} skipped: ${pad(r.skipped)} trimmed: ${pad(r.trimmed)}`;
          const ms = Math.round(Number(process.hrtime.bigint() - start) / 1e4) / 100;
          const maxRssMB = Math.round(process.resourceUsage().maxRSS / 102.4) / 10;
          if (r.copied || r.trimmed || r.hostsChanged || r.errors) log.info({ ...r, ms, maxRssMB }, summary);
          else log.debug({ ...r, ms, maxRssMB }, summary);
        } catch (err) {
          log.error({ err: (err as Error).message }, 'syncing certs failed; retrying at the next pass');
        }
      } while (again && !stopping);
      running = undefined;
    })();
    return running;
  };

  if (opts.once) {
    await pass();
    return;
  }

  let settle: NodeJS.Timeout | undefined;
  const soon = () => {
    clearTimeout(settle);
    settle = setTimeout(() => void pass(), settleMs);
  };
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([opts.certificatesDir, dirname(opts.hostsSource)])) {
    try {
      watchers.push(watch(dir, soon).on('error', () => undefined));
    } catch {
      log.debug({ dir }, 'not watching (missing); the interval pass still runs');
    }
  }
  const timer = setInterval(() => void pass(), opts.intervalMs);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    clearTimeout(settle);
    for (const w of watchers) w.close();
    await running;
    log.info('shutting down node-ca');
    log.flush();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  log.info({ ...opts, help: undefined }, 'node-ca agent started');
  await pass();
}

const pad = (n: number) => String(n).padStart(3, '0');
