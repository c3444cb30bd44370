import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * What the client needs of a kubeconfig; client-node's KubeConfig is one. `getCurrentCluster` is
 * read only after `applyToHTTPSOptions` has resolved (a deferred source loads on the first call).
 */
export type ClusterAccess = Pick<KubeConfig, 'getCurrentCluster' | 'applyToHTTPSOptions'>;

type Cluster = NonNullable<ReturnType<KubeConfig['getCurrentCluster']>>;

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * The credentials of `path`, else of $KUBECONFIG, ~/.kube/config or the pod's ServiceAccount, as
 * client-node's loadFromFile/loadFromDefault find them. The common shapes (in-cluster; a JSON kubeconfig
 * with a token, token file or client certificate) are read here: loading client-node's KubeConfig costs
 * ~25 MB of resident memory per process (undici, proxy agents, OIDC). Anything else (YAML, exec and
 * auth-provider plugins, proxies, basic auth, impersonation, several files) is handed to client-node,
 * loaded on first use.
 */
export function loadKubeConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  const files = path ? [path] : (env['KUBECONFIG'] ?? '').split(delimiter).filter(Boolean);
  const home = env['HOME'] ?? homedir();
  const found = files.length > 0 ? files : home && existsSync(join(home, '.kube/config')) ? [join(home, '.kube/config')] : [];
  if (found.length === 1 && found[0]) return fromFile(found[0]) ?? deferred(found);
  if (found.length === 0 && existsSync(join(serviceAccountDir, 'token'))) {
    const inCluster = fromServiceAccount(env);
    if (inCluster) return inCluster;
  }
  return deferred(found);
}

/** A kubeconfig read by client-node, imported only now: its KubeConfig is what costs the memory. */
function deferred(files: string[]): ClusterAccess {
  let kc: KubeConfig | undefined;
  let loading: Promise<KubeConfig> | undefined;
  return {
    getCurrentCluster: () => kc?.getCurrentCluster() ?? null,
    async applyToHTTPSOptions(opts) {
      loading ??= import('@kubernetes/client-node/dist/config.js').then(({ KubeConfig }) => {
        const [first, ...more] = files;
        const k = new KubeConfig();
        if (!first) k.loadFromDefault();
        else k.loadFromFile(first);
        // Several files merge as client-node's loadFromDefault merges $KUBECONFIG.
        for (const f of more) {
          const next = new KubeConfig();
          next.loadFromFile(f);
          k.mergeConfig(next);
        }
        return (kc = k);
      });
      await (await loading).applyToHTTPSOptions(opts);
    },
  };
}

interface Material {
  server: string;
  ca?: { file?: string; data?: string };
  cert?: { file?: string; data?: string };
  key?: { file?: string; data?: string };
  token?: { file?: string; value?: string };
  skipTLSVerify: boolean;
  tlsServerName?: string;
}

/** Reads the files each time: a bound token rotates on disk (client-node reads them per request too). */
function fixed(m: Material): ClusterAccess {
  const cluster: Cluster = { name: 'cluster', server: m.server, skipTLSVerify: m.skipTLSVerify };
  return {
    getCurrentCluster: () => cluster,
    async applyToHTTPSOptions(opts: https.RequestOptions) {
      if (m.skipTLSVerify) opts.rejectUnauthorized = false;
      if (m.tlsServerName) opts.servername = m.tlsServerName;
      const ca = material(m.ca);
      if (ca) opts.ca = ca;
      const cert = material(m.cert);
      if (cert) opts.cert = cert;
      const key = material(m.key);
      if (key) opts.key = key;
      const token = m.token?.value ?? (m.token?.file ? readFileSync(m.token.file, 'utf8').trim() : undefined);
      opts.headers = { ...opts.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) };
    },
  };
}

function material(src: { file?: string; data?: string } | undefined): Buffer | undefined {
  if (src?.file) return readFileSync(src.file);
  return src?.data ? Buffer.from(src.data, 'base64') : undefined;
}

function fromServiceAccount(env: NodeJS.ProcessEnv): ClusterAccess | undefined {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) return undefined;
  const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
  return fixed({
    server: `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    ca: { file: join(serviceAccountDir, 'ca.crt') },
    token: { file: join(serviceAccountDir, 'token') },
    skipTLSVerify: false,
  });
}

type Fields = Record<string, unknown>;
const obj = (v: unknown): Fields | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const named = (list: unknown, name: string | undefined, field: string): Fields | undefined =>
  obj((Array.isArray(list) ? list : []).map(obj).find((e) => e?.['name'] === name)?.[field]);

/** Fields of the current context that only client-node handles. */
const clusterOnly = ['proxy-url'];
const userOnly = ['exec', 'auth-provider', 'username', 'password', 'as', 'as-groups', 'as-uid', 'as-user-extra'];

/** A JSON kubeconfig of a shape read here, or undefined (let client-node read it). */
function fromFile(file: string): ClusterAccess | undefined {
  let doc: Fields | undefined;
  try {
    doc = obj(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined; // YAML, or unreadable: client-node parses it (and says what is wrong)
  }
  const context = named(doc?.['contexts'], str(doc?.['current-context']), 'context');
  const cluster = named(doc?.['clusters'], str(context?.['cluster']), 'cluster');
  const user = named(doc?.['users'], str(context?.['user']), 'user') ?? {};
  const server = str(cluster?.['server']);
  if (!cluster || !server || clusterOnly.some((k) => k in cluster) || userOnly.some((k) => k in user)) return undefined;
  const path = (v: unknown) => {
    const p = str(v);
    return p && !isAbsolute(p) ? join(dirname(file), p) : p;
  };
  const pair = (fileKey: string, dataKey: string, from: Fields) => ({ ...opt('file', path(from[fileKey])), ...opt('data', str(from[dataKey])) });
  return fixed({
    server,
    ca: pair('certificate-authority', 'certificate-authority-data', cluster),
    cert: pair('client-certificate', 'client-certificate-data', user),
    key: pair('client-key', 'client-key-data', user),
    token: { ...opt('file', path(user['token-file'] ?? user['tokenFile'])), ...opt('value', str(user['token'])) },
    skipTLSVerify: cluster['insecure-skip-tls-verify'] === true,
    ...opt('tlsServerName', str(cluster['tls-server-name'])),
  });
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
