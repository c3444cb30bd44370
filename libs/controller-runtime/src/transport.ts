import http from 'node:http';
import https from 'node:https';
import type { Credentials } from './credentials.ts';
import { KubeApiError, KubeTransportError, parseRetryAfter, type KubeStatus } from './errors.ts';
import type { RuntimeMetrics } from './metrics.ts';

/** Kubernetes verbs, the `verb` label of rest_client_requests_total. */
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'apply' | 'delete';

export interface HttpRequest {
  verb: Verb;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

/** The watch stream went quiet for longer than the idle timeout (a silent stall or a half-open TCP connection). */
export class WatchIdleError extends KubeTransportError {
  override name = 'WatchIdleError';
}

export interface TransportOptions {
  credentials: Credentials;
  metrics: RuntimeMetrics;
  userAgent: string;
  now: () => number;
}

/** One HTTP exchange with the API server over node:http(s), counted in rest_client_requests_total. */
export class Transport {
  private readonly opts: TransportOptions;

  constructor(opts: TransportOptions) {
    this.opts = opts;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    let res: http.IncomingMessage;
    try {
      res = await this.open(req);
    } catch (err) {
      this.count(req.verb, '<error>', started);
      throw err;
    }
    let text: string;
    try {
      text = await readBody(res);
    } catch (err) {
      this.count(req.verb, '<error>', started);
      throw new KubeTransportError(`${req.verb} ${req.path}: the response was cut off`, { cause: err });
    }
    this.count(req.verb, String(res.statusCode ?? 0), started);
    return { status: res.statusCode ?? 0, headers: res.headers, body: parseJson(text) };
  }

  /**
   * A streaming GET (watch): calls `onLine` for each JSON line; resolves when the server ends the
   * stream. Rejects with KubeApiError for a non-200 answer and WatchIdleError when no byte arrives
   * for `idleTimeoutMs`.
   */
  async stream(req: HttpRequest, idleTimeoutMs: number, onLine: (value: unknown) => void): Promise<void> {
    const started = performance.now();
    const abort = new AbortController();
    const signal = req.signal ? AbortSignal.any([req.signal, abort.signal]) : abort.signal;
    let res: http.IncomingMessage;
    try {
      res = await this.open({ ...req, signal });
    } catch (err) {
      this.count(req.verb, '<error>', started);
      throw err;
    }
    this.count(req.verb, String(res.statusCode ?? 0), started);
    if (res.statusCode !== 200) {
      const body = parseJson(await readBody(res).catch(() => ''));
      throw apiError(req, res, body, this.opts.now());
    }
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      let idle: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          const err = new WatchIdleError(`${req.path}: no data for ${idleTimeoutMs} ms`);
          abort.abort(err);
          res.destroy(err);
        }, idleTimeoutMs);
      };
      const finish = (err?: unknown) => {
        clearTimeout(idle);
        if (err) reject(err);
        else resolve();
      };
      arm();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        arm();
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch (err) {
            finish(new KubeTransportError(`${req.path}: the watch sent a line that is not JSON`, { cause: err }));
            res.destroy();
            return;
          }
          try {
            onLine(value);
          } catch (err) {
            finish(err);
            res.destroy();
            return;
          }
        }
      });
      res.on('end', () => finish());
      res.on('error', (err) => finish(signal.reason instanceof Error ? signal.reason : transportError(req, err)));
      res.on('close', () => {
        if (!res.complete) finish(signal.reason instanceof Error ? signal.reason : transportError(req, undefined));
      });
    });
  }

  private async open(req: HttpRequest): Promise<http.IncomingMessage> {
    const conn = await this.opts.credentials.get();
    const url = new URL(req.path, conn.server);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      ...conn.headers,
      accept: 'application/json',
      'user-agent': this.opts.userAgent,
    };
    if (payload !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const timeout = req.timeoutMs === undefined ? undefined : AbortSignal.timeout(req.timeoutMs);
    const signal = timeout && req.signal ? AbortSignal.any([timeout, req.signal]) : (timeout ?? req.signal);
    signal?.throwIfAborted();
    const mod = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const r = mod.request(url, { method: req.method, headers, agent: conn.agent, signal }, resolve);
      r.on('error', (err) => {
        const reason: unknown = signal?.reason;
        reject(signal?.aborted && reason instanceof Error && reason.name !== 'AbortError' ? reason : transportError(req, err));
      });
      r.end(payload);
    });
  }

  private count(verb: Verb, code: string, started: number): void {
    this.opts.metrics.restRequests.inc({ verb, code });
    this.opts.metrics.restLatency.observe({ verb }, (performance.now() - started) / 1000);
  }
}

export function apiError(req: HttpRequest, res: { statusCode?: number | undefined; headers: http.IncomingHttpHeaders }, body: unknown, now: number): KubeApiError {
  const status = res.statusCode ?? 0;
  const retryAfter = res.headers['retry-after'];
  return new KubeApiError({
    verb: req.verb,
    path: req.path,
    status,
    body: isStatus(body) ? body : { message: typeof body === 'string' ? body.slice(0, 500) : undefined },
    retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, now),
  });
}

function transportError(req: HttpRequest, cause: unknown): KubeTransportError {
  const detail = cause instanceof Error ? cause.message : 'the connection closed early';
  return new KubeTransportError(`${req.verb} ${req.path}: ${detail} (is the API server reachable?)`, { cause });
}

function isStatus(body: unknown): body is KubeStatus {
  return typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'Status';
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('aborted')));
  });
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
