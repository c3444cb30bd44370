import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../control-plane/processes.ts';
import { ensureEmulators } from './binaries.ts';
import { baseEnv, emulatorRunDir, probe, spawnEmulator, waitUntilReady } from './process.ts';

export interface RegistryOptions {
  /**
   * The registry's environment, e.g. materialised from a rendered Deployment's container. Applied
   * as given, except REGISTRY_HTTP_ADDR (and REGISTRY_HTTP_DEBUG_ADDR when present), which are
   * replaced by free loopback ports. Nothing is inherited from the test process.
   */
  env: Record<string, string>;
  /**
   * Configuration file for `registry serve`. Default: the one the official distribution image
   * ships (/etc/distribution/config.yml), with its filesystem root moved into the run folder.
   */
  configPath?: string;
  timeoutMs?: number;
}

export interface Registry {
  /** `127.0.0.1:<port>`, for `docker://<address>/<repo>:<tag>`. */
  address: string;
  /** `https://<address>` when REGISTRY_HTTP_TLS_CERTIFICATE is set, else `http://<address>`. */
  url: string;
  tls: boolean;
  /** Folder with `registry.log` (and the default config and storage). */
  runDir: string;
  /** The whole log so far, e.g. to assert on what the registry said about its storage. */
  logs(): string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** The official image's /etc/distribution/config.yml, rooted at `rootDirectory`. */
export function defaultRegistryConfig(rootDirectory: string): string {
  return `version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: ${JSON.stringify(rootDirectory)}
http:
  addr: :5000
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
`;
}

/**
 * Runs the CNCF distribution registry (v3) with the given environment and waits until it answers
 * HTTP(S). A configuration it rejects (unknown storage driver, missing certificate, bucket not
 * found at start) makes it exit, and this function then throws with the registry's own words.
 */
export async function startRegistry(opts: RegistryOptions): Promise<Registry> {
  const { registry: bin } = await ensureEmulators();
  const runDir = emulatorRunDir();
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let configPath = opts.configPath;
  if (!configPath) {
    configPath = join(runDir, 'config.yml');
    writeFileSync(configPath, defaultRegistryConfig(join(runDir, 'storage')));
  }
  const env: Record<string, string> = {
    ...baseEnv(runDir),
    // v3 exports traces to https://localhost:4318 unless told otherwise.
    OTEL_TRACES_EXPORTER: 'none',
    ...opts.env,
    REGISTRY_HTTP_ADDR: address,
  };
  if ('REGISTRY_HTTP_DEBUG_ADDR' in env) env['REGISTRY_HTTP_DEBUG_ADDR'] = `127.0.0.1:${await freePort()}`;
  const tls = Boolean(env['REGISTRY_HTTP_TLS_CERTIFICATE']);
  const url = `${tls ? 'https' : 'http'}://${address}`;
  const proc = spawnEmulator({ name: 'registry', bin, args: ['serve', configPath], env, runDir });
  // Readiness is about listening; trust is what the test's client checks.
  await waitUntilReady(proc, () => probe(`${url}/`, { insecure: true }), opts.timeoutMs ?? 30_000);
  return {
    address,
    url,
    tls,
    runDir,
    logs: () => readFileSync(proc.logFile, 'utf8'),
    logTail: (n) => proc.logTail(n),
    stop: () => proc.stop(),
  };
}
