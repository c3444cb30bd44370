import type { Agent } from 'node:http';
import https from 'node:https';
import { http } from './node-http.ts';
import type { ClusterAccess } from './kubeconfig.ts';

export interface Connection {
  server: URL;
  headers: Record<string, string>;
  agent: Agent;
}

/** Re-read credentials at most this often: tokens from files and exec plugins rotate. */
const refreshMs = 10_000;

/**
 * TLS material and auth headers from a client-node KubeConfig (kubeconfig file or in-cluster),
 * with one keep-alive agent per set of TLS material. client-node's own agents do not keep
 * connections alive, which costs a TLS handshake per request.
 */
export class Credentials {
  private readonly kc: ClusterAccess;
  private cached: { at: number; conn: Promise<Connection> } | undefined;
  private agent: { fingerprint: string; agent: Agent } | undefined;

  constructor(kc: ClusterAccess) {
    this.kc = kc;
  }

  get(): Promise<Connection> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > refreshMs) {
      const conn = this.load();
      this.cached = { at: now, conn };
      conn.catch(() => (this.cached = undefined));
    }
    return this.cached.conn;
  }

  /** Forget the cached headers (after a 401, for instance). */
  invalidate(): void {
    this.cached = undefined;
  }

  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
  }

  private async load(): Promise<Connection> {
    const opts: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    // Only now: a deferred kubeconfig is read by the call above.
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster: pass --kubeconfig or run in a pod');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = String(v);
    if (opts.auth) headers['authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const server = new URL(cluster.server);
    // A proxy needs client-node's proxy agents; everything else gets our keep-alive agent.
    const agent = cluster.proxyUrl ? (opts.agent as Agent) : this.keepAliveAgent(server, opts);
    return { server, headers, agent };
  }

  private keepAliveAgent(server: URL, opts: https.RequestOptions): Agent {
    const tls = {
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      rejectUnauthorized: opts.rejectUnauthorized,
      servername: opts.servername,
    };
    const fingerprint = JSON.stringify(tls, (_k, v: unknown) =>
      Buffer.isBuffer(v) ? v.toString('base64') : (v as unknown),
    );
    if (this.agent?.fingerprint !== fingerprint) {
      const old = this.agent?.agent;
      const common = { keepAlive: true, keepAliveMsecs: 30_000 };
      const agent = server.protocol === 'http:' ? new http.Agent(common) : new https.Agent({ ...common, ...tls });
      this.agent = { fingerprint, agent };
      // Let requests on the old agent finish (watches may be long): destroy only idle sockets now.
      if (old) setTimeout(() => old.destroy(), 5 * 60_000).unref();
    }
    return this.agent.agent;
  }
}
