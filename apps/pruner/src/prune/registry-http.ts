import type { Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { http } from '@image-registry/controller-runtime';

export class RegistryHttpError extends Error {
  override name = 'RegistryHttpError';
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface RegistryHttpOptions {
  /** `https://image-registry.openshift-image-registry.svc:5000`, or `http://…` for a bare registry in tests. */
  baseUrl: string;
  /** PEM of the CA that signed the registry's certificate; default the system roots. */
  ca?: string | undefined;
  /** The pruner ServiceAccount's token, sent as Bearer (Basic when the registry asks for it). */
  token?: string | undefined;
  /** Parallel connections (default 8). */
  maxSockets?: number;
  timeoutMs?: number;
  /** Retries of an idempotent request after a transport error or 502/503/504 (default 5). */
  retries?: number;
}

/**
 * The registry's HTTP API at the transport level: keep-alive connections, the CA, and the token. The
 * token is put on every request and never into an error or a log line: errors name the method, the
 * path and the status only.
 */
export class RegistryHttp {
  private readonly base: URL;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly opts: RegistryHttpOptions;
  /** Set once the registry (registry-auth) answered 401 with a Basic challenge. */
  private basic = false;

  constructor(opts: RegistryHttpOptions) {
    this.opts = opts;
    this.base = new URL(opts.baseUrl);
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 8 };
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent({ ...agentOpts, ...(opts.ca ? { ca: opts.ca } : {}) }) : new http.Agent(agentOpts);
  }

  /**
   * One request; GET and DELETE (idempotent here) are retried on a dropped connection or a 502/503/504,
   * which is what a registry rollout looks like from a client, with backoff up to about half a minute.
   */
  async send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<HttpResponse> {
    const retries = method === 'GET' || method === 'DELETE' ? (this.opts.retries ?? 5) : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.sendOnce(method, path, headers, body);
        if (attempt >= retries || ![502, 503, 504].includes(res.status)) return res;
      } catch (err) {
        if (attempt >= retries || !(err instanceof RegistryHttpError) || err.status !== undefined) throw err;
      }
      await new Promise((r) => setTimeout(r, Math.min(16_000, 500 * 2 ** attempt)));
    }
  }

  private async sendOnce(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<HttpResponse> {
    let res = await this.once(method, path, headers, body);
    if (res.status === 401 && this.opts.token && !this.basic && /^basic/i.test(String(res.headers['www-authenticate'] ?? ''))) {
      this.basic = true;
      res = await this.once(method, path, headers, body);
    }
    const location = res.headers['location'];
    if (method === 'GET' && [301, 302, 303, 307, 308].includes(res.status) && typeof location === 'string') {
      return this.followRedirect(new URL(location, this.base), headers);
    }
    return res;
  }

  /**
   * A blob GET the registry redirects to its storage (a presigned URL). The token stays with the
   * registry: it is never sent to another origin.
   */
  private async followRedirect(url: URL, headers: Record<string, string>): Promise<HttpResponse> {
    if (url.origin === this.base.origin) return this.once('GET', `${url.pathname}${url.search}`, headers);
    let res: Response;
    try {
      res = await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000) });
    } catch (err) {
      throw new RegistryHttpError(`GET ${url.origin} (the registry's storage redirect): ${(err as Error).message}`, undefined, { cause: err });
    }
    const out: HttpResponse['headers'] = {};
    res.headers.forEach((v, k) => (out[k] = v));
    return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
  }

  close(): void {
    this.agent.destroy();
  }

  private authorization(): string | undefined {
    const token = this.opts.token;
    if (!token) return undefined;
    return this.basic ? `Basic ${Buffer.from(`pruner:${token}`).toString('base64')}` : `Bearer ${token}`;
  }

  private once(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<HttpResponse> {
    const url = new URL(path, this.base);
    const auth = this.authorization();
    const send = url.protocol === 'https:' ? httpsRequest : http.request;
    return new Promise((resolve, reject) => {
      const req = send(
        url,
        {
          method,
          agent: this.agent,
          headers: { ...headers, ...(auth ? { authorization: auth } : {}), ...(body ? { 'content-length': String(body.length) } : {}) },
          timeout: this.opts.timeoutMs ?? 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', (err) => reject(new RegistryHttpError(`${method} ${url.pathname}: ${err.message}`, undefined, { cause: err })));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => reject(new RegistryHttpError(`${method} ${url.pathname}: ${err.message}`, undefined, { cause: err })));
      req.end(body);
    });
  }
}
