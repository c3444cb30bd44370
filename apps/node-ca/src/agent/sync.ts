import type { Logger } from 'pino';
import { readIfExists, writeAtomicOrInPlace } from './atomic-write.ts';
import { syncRoot, type RootResult } from './certs-root.ts';
import { containerdConfigAdvice } from './containerd-config.ts';
import { parseHostsSource, renderHostsFile } from './hosts-block.ts';
import type { AgentOptions } from './options.ts';
import { planCerts } from './plan.ts';
import { readSourceDir } from './sources.ts';

export interface PassResult {
  copied: number;
  skipped: number;
  trimmed: number;
  /** The hosts block was written (added, changed or removed). */
  hostsChanged: boolean;
  errors: number;
}

/**
 * The agent's memory between passes, only to keep logs quiet: what it already said. Correctness
 * never depends on it; every pass converges from the files alone.
 */
export class AgentState {
  readonly said = new Set<string>();
  /** Logs `msg` once until `key` is forgotten, then again when it recurs. */
  once(key: string, log: () => void): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    log();
  }
}

/** One pass: every certs.d root from the mounted bundle, then the hosts block. */
export async function syncOnce(opts: AgentOptions, log: Logger, state = new AgentState()): Promise<PassResult> {
  const out: PassResult = { copied: 0, skipped: 0, trimmed: 0, hostsChanged: false, errors: 0 };
  const source = await readSourceDir(opts.certificatesDir);
  for (const p of source.problems) log.warn({ problem: p }, 'skipped a bundle entry');
  const plan = planCerts(source.files, opts.containerdCertsDir);
  for (const r of plan.refused) {
    state.once(`refused:${r.key}`, () =>
      log.warn({ key: r.key.slice(0, 300), reason: r.reason }, 'skipped a bundle key that names no registry host'),
    );
  }
  const roots = [
    [opts.dockerCertsDir, plan.docker],
    [opts.containersCertsDir, plan.containers],
    [opts.containerdCertsDir, plan.containerd],
  ] as const;
  for (const [root, rootPlan] of roots) {
    let r: RootResult;
    try {
      r = await syncRoot(root, rootPlan);
    } catch (err) {
      out.errors++;
      log.error({ root, err: (err as Error).message }, 'syncing certs: could not prepare the folder; check the hostPath mount');
      continue;
    }
    out.copied += r.copied;
    out.skipped += r.skipped;
    out.trimmed += r.trimmed;
    out.errors += r.errors.length;
    for (const e of r.errors) log.error({ root, err: e }, 'syncing certs');
    for (const host of r.foreign) {
      state.once(`foreign:${root}/${host}`, () =>
        log.info({ root, host }, 'left alone a host folder the agent did not create (no marker file); remove it to let the agent manage it'),
      );
    }
  }
  await checkContainerd(opts, log, state);
  if (opts.hostsFile) {
    try {
      out.hostsChanged = await syncHostsFile(opts, log);
    } catch (err) {
      out.errors++;
      log.error({ file: opts.hostsFile, err: (err as Error).message }, 'could not update the host mappings');
    }
  }
  return out;
}

async function syncHostsFile(opts: AgentOptions, log: Logger): Promise<boolean> {
  const sourceText = (await readIfExists(opts.hostsSource))?.toString('utf8') ?? '';
  const { mappings, refused } = parseHostsSource(sourceText);
  for (const line of refused) log.warn({ line }, 'skipped a host mapping that is not "<ip> <hostname>..."');
  const current = await readIfExists(opts.hostsFile);
  if (current === undefined) {
    log.warn({ file: opts.hostsFile }, 'the hosts file does not exist; host mappings skipped');
    return false;
  }
  const next = renderHostsFile(current.toString('utf8'), mappings);
  if (!next.ok) {
    log.error({ file: opts.hostsFile }, next.reason);
    return false;
  }
  if (!next.changed) return false;
  await writeAtomicOrInPlace(opts.hostsFile, Buffer.from(next.content, 'utf8'));
  log.info({ file: opts.hostsFile, mappings: mappings.length }, mappings.length ? 'updated the registry host mappings' : 'removed the registry host mappings');
  return true;
}

async function checkContainerd(opts: AgentOptions, log: Logger, state: AgentState): Promise<void> {
  const config = await readIfExists(opts.containerdConfig).catch(() => undefined);
  const advice = config === undefined ? undefined : containerdConfigAdvice(config.toString('utf8'), opts.containerdCertsDir);
  for (const k of state.said) if (k.startsWith('containerd:') && k !== `containerd:${advice}`) state.said.delete(k);
  if (advice) state.once(`containerd:${advice}`, () => log.warn({ file: opts.containerdConfig }, advice));
}
