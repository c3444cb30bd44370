/** Proxy variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, either case), from the process or the cluster Proxy. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

const pick = (env: ProxyEnv, name: string) => env[name] ?? env[name.toLowerCase()];

/** Whether NO_PROXY exempts a host (exact name, `.suffix`/`suffix` domains, IPs, `*`). */
export function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (noProxy ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase().replace(/:\d+$/, ''))
    .filter(Boolean)
    .some((e) => e === '*' || h === e || h.endsWith(e.startsWith('.') ? e : `.${e}`));
}

/** The proxy URL for a request to `url`, or undefined for a direct connection. */
export function proxyFor(url: string, env: ProxyEnv): string | undefined {
  const u = new URL(url);
  const proxy = u.protocol === 'http:' ? pick(env, 'HTTP_PROXY') : pick(env, 'HTTPS_PROXY');
  if (!proxy || bypassesProxy(u.hostname, pick(env, 'NO_PROXY'))) return undefined;
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
