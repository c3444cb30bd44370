import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { http } from './node-http.ts';
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
  headers: IncomingHttpHeaders;
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
  /** The largest response body read into memory (default 256 MiB); larger ones fail the request. */
  maxBodyBytes?: number;
  /** The longest watch line (one event) (default 16 MiB); longer ones fail and restart the watch. */
  maxWatchLineBytes?: number;
}

const defaultMaxBodyBytes = 256 * 1024 * 1024;
const defaultMaxWatchLineBytes = 16 * 1024 * 1024;

/** One HTTP exchange with the API server over node:http(s), counted in rest_client_requests_total. */
export class Transport {
  private readonly opts: TransportOptions;

  constructor(opts: TransportOptions) {
    this.opts = opts;
  }

  private get maxBodyBytes(): number {
    return this.opts.maxBodyBytes ?? defaultMaxBodyBytes;
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    const started = performance.now();
    let res: IncomingMessage;
    try {
      res = await this.open(req);
    } catch (err) {
      this.count(req.verb, '<error>', started);
      throw err;
    }
    let text: string;
    try {
      text = await readBody(res, this.maxBodyBytes);
    } catch (err) {
      this.count(req.verb, '<error>', started);
      if (err instanceof KubeTransportError) throw new KubeTransportError(`${req.verb} ${req.path}: ${err.message}`);
      throw new KubeTransportError(`${req.verb} ${req.path}: the response was cut off`, { cause: err });
    }
    this.count(req.verb, String(res.statusCode ?? 0), started);
    return { status: res.statusCode ?? 0, headers: res.headers, body: parseJson(text) };
  }

  /**
   * A streaming GET (watch): calls `onLine` for each JSON line; resolves when the server ends the
   * stream. Rejects with KubeApiError for a non-200 answer and WatchIdleError when no byte arrives
   * for `idleTimeoutMs`, counted from before the request is sent: a server that accepts the
   * connection and never answers is a stall too, not a wait without end.
   */
  async stream(req: HttpRequest, idleTimeoutMs: number, onLine: (value: unknown) => void, onOpen?: () => void): Promise<void> {
    const started = performance.now();
    const abort = new AbortController();
    const signal = req.signal ? AbortSignal.any([req.signal, abort.signal]) : abort.signal;
    let idle: NodeJS.Timeout | undefined;
    let res: IncomingMessage | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        const err = new WatchIdleError(`${req.path}: no data for ${idleTimeoutMs} ms${res ? '' : ' (no response headers)'}`);
        abort.abort(err);
        res?.destroy(err);
      }, idleTimeoutMs);
    };
    arm();
    try {
      res = await this.open({ ...req, signal });
    } catch (err) {
      clearTimeout(idle);
      this.count(req.verb, '<error>', started);
      throw signal.reason instanceof WatchIdleError ? signal.reason : err;
    }
    const body = res;
    this.count(req.verb, String(body.statusCode ?? 0), started);
    if (body.statusCode !== 200) {
      clearTimeout(idle);
      const text = parseJson(await readBody(body, this.maxBodyBytes).catch(() => ''));
      throw apiError(req, body, text, this.opts.now());
    }
    onOpen?.();
    const maxLine = this.opts.maxWatchLineBytes ?? defaultMaxWatchLineBytes;
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      const finish = (err?: unknown) => {
        clearTimeout(idle);
        if (err) reject(err);
        else resolve();
      };
      arm();
      body.setEncoding('utf8');
      body.on('data', (chunk: string) => {
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
            body.destroy();
            return;
          }
          try {
            onLine(value);
          } catch (err) {
            finish(err);
            body.destroy();
            return;
          }
        }
        // No object is this large (etcd's limit is 1.5 MiB): a server or proxy gone wrong must not eat the heap.
        if (buffered.length > maxLine) {
          finish(new KubeTransportError(`${req.path}: a watch event exceeds ${maxLine} bytes; restarting the watch`));
          body.destroy();
        }
      });
      body.on('end', () => finish());
      body.on('error', (err) => finish(signal.reason instanceof Error ? signal.reason : transportError(req, err)));
      body.on('close', () => {
        if (!body.complete) finish(signal.reason instanceof Error ? signal.reason : transportError(req, undefined));
      });
    });
  }

  private async open(req: HttpRequest): Promise<IncomingMessage> {
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

export function apiError(req: HttpRequest, res: { statusCode?: number | undefined; headers: IncomingHttpHeaders }, body: unknown, now: number): KubeApiError {
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

function readBody(res: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(new KubeTransportError(`the response exceeds ${maxBytes} bytes (use a smaller page size or a narrower selector)`));
        res.destroy();
        return;
      }
      chunks.push(c);
    });
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
