import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@image-registry/testing';

const run = promisify(execFile);

/** tools/ingress/build.sh: Traefik from the Go module proxy, built once into the cache (minutes cold). */
export async function ensureTraefik(): Promise<string> {
  const script = join(workspaceRoot(), 'tools/ingress/build.sh');
  try {
    const { stdout } = await run('bash', [script], { maxBuffer: 64 * 1024 * 1024 });
    const path = /^traefik=(.+)$/m.exec(stdout)?.[1];
    if (!path) throw new Error(`${script} printed no traefik=<path> line`);
    return path;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`building Traefik failed (${script}):\n${stderr.trimEnd().split('\n').slice(-15).join('\n')}`, { cause: err });
  }
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Traefik {
  /** `127.0.0.1:<port>` of the HTTPS entry point. */
  address: string;
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Traefik as an ingress controller watching the test API server (admin kubeconfig), serving the
 * Ingresses of one namespace on one loopback HTTPS entry point, reporting 127.0.0.1 as their address.
 * It trusts `backendCaFile` for re-encryption to the registry, serves `defaultCert` for hosts without
 * their own secret, and never calls home.
 */
export async function startTraefik(opts: {
  bin: string;
  kubeconfig: string;
  namespace: string;
  backendCaFile: string;
  defaultCert: { cert: string; key: string };
}): Promise<Traefik> {
  const dir = mkdtempSync(join(tmpdir(), 'iro-traefik-'));
  writeFileSync(join(dir, 'default.crt'), opts.defaultCert.cert);
  writeFileSync(join(dir, 'default.key'), opts.defaultCert.key, { mode: 0o600 });
  writeFileSync(
    join(dir, 'dynamic.yml'),
    `tls:\n  stores:\n    default:\n      defaultCertificate:\n        certFile: ${join(dir, 'default.crt')}\n        keyFile: ${join(dir, 'default.key')}\n`,
  );
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(
    opts.bin,
    [
      '--global.checkNewVersion=false',
      '--global.sendAnonymousUsage=false',
      `--entryPoints.websecure.address=127.0.0.1:${port}`,
      '--providers.kubernetesingress=true',
      `--providers.kubernetesingress.namespaces=${opts.namespace}`,
      '--providers.kubernetesingress.ingressendpoint.ip=127.0.0.1',
      // The API server refuses loopback endpoints; the registry Service is an ExternalName to a loopback IP.
      '--providers.kubernetesingress.allowExternalNameServices=true',
      `--providers.file.filename=${join(dir, 'dynamic.yml')}`,
      `--serversTransport.rootCAs=${opts.backendCaFile}`,
      '--log.level=INFO',
    ],
    { env: { PATH: '/usr/bin:/bin', HOME: dir, KUBECONFIG: opts.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    address: `127.0.0.1:${port}`,
    logs: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
