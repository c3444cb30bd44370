import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureEmulators } from './binaries.ts';

export class SkopeoError extends Error {
  override name = 'SkopeoError';
}

export interface SkopeoCopyOptions {
  /**
   * Folder of CA certificates (`*.crt`) that docker:// endpoints must chain to, on both sides.
   * Without it the system roots apply, so a self-signed registry fails verification.
   */
  caCertDir?: string;
  /** Verify the source registry's certificate (default true). */
  srcTlsVerify?: boolean;
  /** Verify the destination registry's certificate (default true). */
  dstTlsVerify?: boolean;
  /** `user:password` per side. */
  creds?: { src?: string; dst?: string };
  /**
   * Reach `host:port` names at other addresses, like curl's --resolve: e.g.
   * `{ 'image-registry.openshift-image-registry.svc:5000': registry.address }`, so TLS is verified
   * against the Service DNS name while the registry listens on loopback. Done with an HTTPS proxy
   * (CONNECT) in this process; TLS stays end to end between skopeo and the registry.
   */
  resolve?: Record<string, string>;
  timeoutMs?: number;
}

export interface SkopeoResult {
  stdout: string;
  stderr: string;
}

/** `skopeo copy src dst`, e.g. `skopeoCopy(image.ref, 'docker://127.0.0.1:5000/ns/app:v1', { caCertDir })`. */
export async function skopeoCopy(
  src: string,
  dst: string,
  opts: SkopeoCopyOptions = {},
): Promise<SkopeoResult> {
  const args = ['copy', '--retry-times', '0'];
  if (src.startsWith('docker://')) {
    if (opts.caCertDir) args.push('--src-cert-dir', opts.caCertDir);
    args.push(`--src-tls-verify=${String(opts.srcTlsVerify ?? true)}`);
    args.push(...(opts.creds?.src ? ['--src-creds', opts.creds.src] : ['--src-no-creds']));
  }
  if (dst.startsWith('docker://')) {
    if (opts.caCertDir) args.push('--dest-cert-dir', opts.caCertDir);
    args.push(`--dest-tls-verify=${String(opts.dstTlsVerify ?? true)}`);
    args.push(...(opts.creds?.dst ? ['--dest-creds', opts.creds.dst] : ['--dest-no-creds']));
  }
  args.push(src, dst);
  return skopeo(args, opts);
}

const credFlags = new Set(['--src-creds', '--dest-creds', '--creds']);

/** `user:secret` after a credentials flag becomes `user:<redacted>`. */
export function redactCreds(args: readonly string[]): string[] {
  return args.map((a, i) => (i > 0 && credFlags.has(args[i - 1] ?? '') ? `${a.split(':')[0] ?? ''}:<redacted>` : a));
}

/** Runs skopeo with a permissive signature policy and no user or system auth/registries files. */
export async function skopeo(
  args: string[],
  opts: Pick<SkopeoCopyOptions, 'resolve' | 'timeoutMs'> = {},
): Promise<SkopeoResult> {
  const { skopeo: bin } = await ensureEmulators();
  const home = mkdtempSync(join(tmpdir(), 'iro-skopeo-'));
  const policy = join(home, 'policy.json');
  writeFileSync(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  const registriesConf = join(home, 'registries.conf');
  writeFileSync(registriesConf, '');
  const proxy = opts.resolve ? await startResolvingProxy(opts.resolve) : undefined;
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_RUNTIME_DIR: home,
    TMPDIR: home,
    REGISTRY_AUTH_FILE: join(home, 'auth.json'),
    CONTAINERS_REGISTRIES_CONF: registriesConf,
  };
  if (proxy) env['HTTPS_PROXY'] = env['HTTP_PROXY'] = proxy.url;
  const fullArgs = ['--policy', policy, '--registries.d', home, ...args];
  try {
    return await new Promise<SkopeoResult>((resolve, reject) => {
      execFile(
        bin,
        fullArgs,
        { env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) {
            // Neither the message nor the cause may carry a credential: execFile's error repeats the command line.
            const why = err.code !== undefined ? `exit code ${String(err.code)}` : err.signal ? `signal ${err.signal}` : 'no exit code';
            reject(
              new SkopeoError(`skopeo ${redactCreds(args).join(' ')} failed: ${stderr.trim() || why}`, {
                cause: new Error(`skopeo ended with ${why}`),
              }),
            );
          } else {
            resolve({ stdout, stderr });
          }
        },
      );
    });
  } finally {
    await proxy?.close();
    rmSync(home, { recursive: true, force: true });
  }
}

interface ResolvingProxy {
  url: string;
  close(): Promise<void>;
}

/** A CONNECT-only proxy on loopback that tunnels each mapped `host:port` to its target address. */
function startResolvingProxy(map: Record<string, string>): Promise<ResolvingProxy> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end('CONNECT only\n');
  });
  // Tunnelled sockets leave the server's bookkeeping: track them to close them with the server.
  const sockets = new Set<Socket>();
  server.on('connect', (req, clientSocket: Socket, head) => {
    sockets.add(clientSocket);
    clientSocket.once('close', () => sockets.delete(clientSocket));
    const target = req.url ? map[req.url] : undefined;
    if (!target) {
      clientSocket.end(`HTTP/1.1 502 Bad Gateway\r\n\r\nno mapping for ${req.url ?? ''}\n`);
      return;
    }
    const [host, port] = splitHostPort(target);
    const upstream = connect(port, host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  if (i < 0) throw new Error(`expected host:port, got ${address}`);
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), Number(address.slice(i + 1))];
}
