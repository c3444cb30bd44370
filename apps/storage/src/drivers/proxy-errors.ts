import { isIP } from 'node:net';
import type { ProxyEnv } from './proxy.ts';

interface SystemError extends Error {
  address?: string;
  port?: number;
}

/** The proxy URLs of an environment, without user info (a proxy password must not reach a condition). */
function proxyUrls(env: ProxyEnv): URL[] {
  return ['HTTP_PROXY', 'HTTPS_PROXY']
    .map((n) => env[n] ?? env[n.toLowerCase()])
    .flatMap((v) => {
      if (!v) return [];
      try {
        const u = new URL(v);
        u.username = '';
        u.password = '';
        return [u];
      } catch {
        return [];
      }
    });
}

const defaultPort = (u: URL) => Number(u.port || (u.protocol === 'https:' ? 443 : 80));
const bare = (host: string) => host.replace(/^\[|\]$/g, '');

/**
 * A connection that failed at the proxy says so: Node reports `connect ECONNREFUSED 127.0.0.1:3128`
 * with the proxy's address only, which reads as the storage endpoint's fault (Go says `proxyconnect`).
 * The error's message gains `proxy <url>: `; any other error is returned as it is.
 */
export function namingProxy(err: unknown, env: ProxyEnv): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as SystemError;
  if (typeof e.port !== 'number' || !e.address) return err;
  const proxy = proxyUrls(env).find(
    (u) =>
      defaultPort(u) === e.port &&
      // A proxy named by host name connects to one of its addresses: the port is what is known.
      (bare(u.hostname) === e.address || isIP(bare(u.hostname)) === 0),
  );
  if (!proxy || err.message.startsWith('proxy ')) return err;
  err.message = `proxy ${proxy.origin}: ${err.message}`;
  return err;
}
