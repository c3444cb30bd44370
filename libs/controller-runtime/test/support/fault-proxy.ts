import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A loopback HTTP proxy in front of the real API server that can misbehave on demand:
 * - `pass`: forward everything;
 * - `down`: drop every connection (an unreachable API server);
 * - `expire-watches`: answer each watch with an in-stream 410 `Expired` error, as after etcd compaction;
 * - `stall-watches`: accept watches and then send nothing, ever (a half-open connection);
 * - `hang-watches`: accept watches and never even answer with headers.
 */
export class FaultProxy {
  mode: 'pass' | 'down' | 'expire-watches' | 'stall-watches' | 'hang-watches' = 'pass';
  /** Points at the proxy (plain HTTP on loopback); the proxy adds the real credentials. */
  kubeConfig = new KubeConfig();
  watchRequests = 0;
  private readonly upstream: KubeConfig;
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.handle(req, res));

  private constructor(upstream: KubeConfig) {
    this.upstream = upstream;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(upstream: KubeConfig): Promise<FaultProxy> {
    const p = new FaultProxy(upstream);
    await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', r));
    const { port } = p.server.address() as AddressInfo;
    p.kubeConfig.loadFromOptions({
      clusters: [{ name: 'proxy', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
      users: [{ name: 'proxy', token: 'the-proxy-authenticates' }],
      contexts: [{ name: 'proxy', cluster: 'proxy', user: 'proxy' }],
      currentContext: 'proxy',
    });
    return p;
  }

  /** Cuts every open connection (watches included) without closing the listener. */
  cutAll(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const isWatch = new URL(req.url ?? '/', 'http://x').searchParams.has('watch');
    if (isWatch) this.watchRequests++;
    if (this.mode === 'down') return void req.socket.destroy();
    if (isWatch && this.mode === 'expire-watches') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version' };
      return void res.end(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
    }
    if (isWatch && this.mode === 'hang-watches') return;
    if (isWatch && this.mode === 'stall-watches') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    }
    const cluster = this.upstream.getCurrentCluster();
    if (!cluster) throw new Error('upstream kubeconfig has no cluster');
    const target = new URL(req.url ?? '/', cluster.server);
    const opts: RequestOptions = { method: req.method ?? 'GET', headers: { ...req.headers, host: target.host } };
    delete (opts.headers as Record<string, unknown>)['authorization'];
    await this.upstream.applyToHTTPSOptions(opts);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const up = send(target, opts, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      res.flushHeaders(); // as the API server does for a watch: headers before the first event
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  }
}
