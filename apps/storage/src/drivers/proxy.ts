/** Proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, either case), from the process or the cluster Proxy. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

const pick = (env: ProxyEnv, name: string) => env[name] ?? env[name.toLowerCase()];

/** A NO_PROXY entry as host and optional port: `host`, `host:port`, `[v6]`, `[v6]:port`, bare `v6`. */
function noProxyEntry(raw: string): { host: string; port?: string } {
  const e = raw.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(e);
  if (bracketed) return { host: bracketed[1] ?? '', ...(bracketed[2] ? { port: bracketed[2] } : {}) };
  // More than one colon without brackets: an IPv6 address, no port.
  if (e.indexOf(':') !== e.lastIndexOf(':')) return { host: e };
  const m = /^(.*):(\d+)$/.exec(e);
  return m ? { host: m[1] ?? '', port: m[2] ?? '' } : { host: e };
}

/**
 * Whether NO_PROXY exempts a host on `port` (exact name, `.suffix`/`suffix` domains, IPs, `*`); an
 * entry with a port exempts that port only, as Node's own agents (the S3 client's) and Go read it.
 */
export function bypassesProxy(host: string, noProxy: string | undefined, port?: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (noProxy ?? '')
    .split(',')
    .map(noProxyEntry)
    .filter((e) => e.host)
    .some(
      (e) =>
        (e.port === undefined || port === undefined || e.port === port) &&
        (e.host === '*' || h === e.host || h.endsWith(e.host.startsWith('.') ? e.host : `.${e.host}`)),
    );
}

/** The proxy URL for a request to `url`, or undefined for a direct connection. */
export function proxyFor(url: string, env: ProxyEnv): string | undefined {
  const u = new URL(url);
  const proxy = u.protocol === 'http:' ? pick(env, 'HTTP_PROXY') : pick(env, 'HTTPS_PROXY');
  const port = u.port || (u.protocol === 'http:' ? '80' : '443');
  if (!proxy || bypassesProxy(u.hostname, pick(env, 'NO_PROXY'), port)) return undefined;
  return proxy;
}

/** Only the proxy variables of an environment (the process's holds much else). */
export function proxyVariables(env: ProxyEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY']) {
    const v = pick(env, name);
    if (v) out[name] = v;
  }
  return out;
}
