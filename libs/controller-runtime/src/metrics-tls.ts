import { readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { issueCertificate } from './certificates.ts';
import type { KeyPair } from './certificates.ts';

export type { KeyPair };

/** `tls.crt` and `tls.key` of a mounted serving-cert Secret (OpenShift's service-ca, cert-manager), if both are there. */
export function readCertDir(dir: string): KeyPair | undefined {
  try {
    return { cert: readFileSync(join(dir, 'tls.crt'), 'utf8'), key: readFileSync(join(dir, 'tls.key'), 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A change stamp of the pair (kubelet swaps the files of a Secret volume atomically through a symlink). */
export function certDirStamp(dir: string): string {
  try {
    return ['tls.crt', 'tls.key'].map((f) => statSync(join(dir, f)).mtimeMs).join('/');
  } catch {
    return 'absent';
  }
}

/**
 * A self-signed ECDSA P-256 certificate made at start and never written anywhere, as kubebuilder does
 * where no serving certificate is mounted: the scrape is encrypted, and the scraper skips verification.
 */
export function selfSignedPair(commonName: string, now = new Date()): KeyPair {
  const host = hostname();
  return issueCertificate({
    commonName,
    dnsNames: ['localhost', ...(/^[\x21-\x7e]+$/.test(host) ? [host] : [])],
    ipAddresses: ['127.0.0.1'],
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 365 * 24 * 3600_000),
  });
}

export interface ServingPair {
  pair: KeyPair;
  /** Where it came from, for the start log line. */
  source: 'cert-dir' | 'self-signed';
  /** Calls `onChange` with the new pair when the files in the cert dir change; returns a stop function. */
  watch(onChange: (pair: KeyPair) => void): () => void;
}

/** The metrics server's certificate: the mounted pair when there is one (reloaded on rotation), else self-signed. */
export async function servingPair(opts: { certDir: string; commonName: string; logger: Logger; checkMs?: number }): Promise<ServingPair> {
  const mounted = opts.certDir ? readCertDir(opts.certDir) : undefined;
  const none = () => () => undefined;
  if (!mounted) {
    if (opts.certDir) opts.logger.info({ certDir: opts.certDir }, 'no tls.crt/tls.key in the metrics cert dir; serving a self-signed certificate');
    return { pair: selfSignedPair(opts.commonName), source: 'self-signed', watch: none };
  }
  return {
    pair: mounted,
    source: 'cert-dir',
    watch(onChange) {
      let seen = certDirStamp(opts.certDir);
      const timer = setInterval(() => {
        const now = certDirStamp(opts.certDir);
        if (now === seen) return;
        try {
          const pair = readCertDir(opts.certDir);
          if (!pair) return;
          onChange(pair);
          seen = now;
          opts.logger.info({ certDir: opts.certDir }, 'metrics serving certificate reloaded');
        } catch (err) {
          opts.logger.warn({ err, certDir: opts.certDir }, 'metrics serving certificate not reloaded; keeping the current one');
        }
      }, opts.checkMs ?? 60_000);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
