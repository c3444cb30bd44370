import { parseArgs } from 'node:util';

/** Every path the agent reads or writes, and its timing. Defaults are the real node paths. */
export interface AgentOptions {
  /** The mounted ConfigMap image-registry-certificates. */
  certificatesDir: string;
  /** The `hosts` key of the mounted hosts ConfigMap; missing means no mappings. */
  hostsSource: string;
  dockerCertsDir: string;
  containersCertsDir: string;
  containerdCertsDir: string;
  /** Read only, to say when containerd would not read containerdCertsDir. */
  containerdConfig: string;
  /** The node's /etc/hosts; empty turns host mappings off (the file is then never opened). */
  hostsFile: string;
  intervalMs: number;
  /** One pass, then exit (tests, benchmarks, a one-shot Job). */
  once: boolean;
  logLevel: string;
}

export const agentDefaults: AgentOptions = {
  certificatesDir: '/etc/node-ca/certificates',
  hostsSource: '/etc/node-ca/hosts/hosts',
  dockerCertsDir: '/etc/docker/certs.d',
  containersCertsDir: '/etc/containers/certs.d',
  containerdCertsDir: '/etc/containerd/certs.d',
  containerdConfig: '/etc/containerd/config.toml',
  hostsFile: '/etc/hosts',
  intervalMs: 60_000,
  once: false,
  logLevel: 'info',
};

const flags = {
  'certificates-dir': ['certificatesDir', 'folder of the mounted ConfigMap image-registry-certificates'],
  'hosts-source': ['hostsSource', 'file with the registry host mappings (the mounted hosts ConfigMap key)'],
  'docker-certs-dir': ['dockerCertsDir', 'Docker and CRI-O certs.d folder'],
  'containers-certs-dir': ['containersCertsDir', 'containers (CRI-O, podman) certs.d folder'],
  'containerd-certs-dir': ['containerdCertsDir', 'containerd certs.d folder (hosts.toml + ca.crt)'],
  'containerd-config': ['containerdConfig', 'containerd config.toml, read to check config_path'],
  'hosts-file': ['hostsFile', "the node's hosts file; empty: no host mappings"],
  interval: ['intervalMs', 'seconds between passes'],
  'log-level': ['logLevel', 'trace, debug, info, warn, error'],
} as const satisfies Record<string, readonly [keyof AgentOptions, string]>;

export class AgentOptionsError extends Error {
  override name = 'AgentOptionsError';
}

export function agentUsage(): string {
  const rows = Object.entries(flags).map(([flag, [field, what]]) => {
    const def = field === 'intervalMs' ? String(agentDefaults.intervalMs / 1000) : String(agentDefaults[field]);
    return `  --${flag}\n      ${what} (default ${JSON.stringify(def)})`;
  });
  return ['usage: node-ca sync [flags]', '', ...rows, '  --once\n      one pass, then exit'].join('\n');
}

/** Parses `node-ca sync` flags (`--name=value`). */
export function parseAgentOptions(argv: string[]): AgentOptions & { help: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.keys(flags).map((k) => [k, { type: 'string' as const }])),
        once: { type: 'boolean' as const },
        help: { type: 'boolean' as const, short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new AgentOptionsError(`${(err as Error).message} (run node-ca sync --help for the flags)`, { cause: err });
  }
  const opts: AgentOptions = { ...agentDefaults, once: values['once'] === true };
  for (const [flag, [field]] of Object.entries(flags)) {
    const v = values[flag];
    if (typeof v !== 'string') continue;
    if (field === 'intervalMs') {
      const seconds = Number(v);
      if (!Number.isFinite(seconds) || seconds < 1) throw new AgentOptionsError(`--interval must be a number of seconds ≥ 1, not "${v}"`);
      opts.intervalMs = seconds * 1000;
    } else {
      opts[field] = v;
    }
  }
  if (!['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'].includes(opts.logLevel)) {
    throw new AgentOptionsError(`--log-level must be trace, debug, info, warn or error, not "${opts.logLevel}"`);
  }
  return { ...opts, help: values['help'] === true };
}
