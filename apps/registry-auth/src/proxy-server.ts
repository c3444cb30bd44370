import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { http, type Logger } from '@image-registry/controller-runtime';
import { decide, type Outcome } from './decide.ts';
import { forward } from './forward.ts';
import type { ProxyMetrics } from './metrics.ts';
import type { Reviewer } from './reviewer.ts';
import { routeRequest, withoutMount, type Route } from './route.ts';

export interface AuthProxyOptions {
  reviewer: Reviewer;
  metrics: ProxyMetrics;
  logger: Logger;
  /** The registry, on loopback: `http://127.0.0.1:5001`. */
  upstream: URL;
  /** Named in `WWW-Authenticate: Basic realm="…"`. */
  realm: string;
  /** Serving certificate and key (PEM), minimum version and ciphers. */
  tls: SecureContextOptions & { minVersion?: 'TLSv1.2' | 'TLSv1.3' };
  /** Largest request head (request line and headers) the proxy reads. */
  maxHeaderBytes: number;
  /** A client must send its whole request head within this time. */
  headersTimeoutMs: number;
  /** A connection that moves no byte for this long is closed (uploads and downloads keep it busy). */
  idleTimeoutMs: number;
}

function actionOf(route: Route): string {
  if (route.kind === 'access') return route.action;
  return route.kind === 'reject' ? 'other' : route.kind;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * The TLS front door: every request is classified, authenticated and authorized before a byte reaches
 * the registry; allowed ones stream through. Stopping drains in-flight requests (uploads included).
 */
export class AuthProxy {
  readonly server: https.Server;
  private readonly agent = new http.Agent({ keepAlive: true, maxFreeSockets: 64 });
  private inFlight = 0;
  private draining = false;
  private drained: (() => void) | undefined;
  private readonly opts: AuthProxyOptions;

  constructor(opts: AuthProxyOptions) {
    this.opts = opts;
    this.server = https.createServer({
      ...opts.tls,
      maxHeaderSize: opts.maxHeaderBytes,
      headersTimeout: opts.headersTimeoutMs,
      // Uploads of large layers take as long as they take; idleness is bounded instead.
      requestTimeout: 0,
      keepAliveTimeout: 65_000,
    });
    this.server.setTimeout(opts.idleTimeoutMs, (socket) => socket.destroy());
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res, false));
    // Decide before telling the client to send its body.
    this.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res, true));
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  /** Replaces the serving certificate for new connections (a rotated secret). */
  setSecureContext(tls: SecureContextOptions): void {
    this.server.setSecureContext({ ...this.opts.tls, ...tls });
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /**
   * Stops accepting connections and waits until every in-flight request has finished, at most
   * `timeoutMs`; then closes what is left. True when everything finished in time.
   */
  async stop(timeoutMs: number): Promise<boolean> {
    this.draining = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      this.inFlight === 0 ? Promise.resolve(true) : new Promise<boolean>((resolve) => (this.drained = () => resolve(true))),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    this.server.closeAllConnections();
    await closed;
    this.agent.destroy();
    return finished;
  }

  private handle(req: IncomingMessage, res: ServerResponse, expectContinue: boolean): void {
    this.inFlight++;
    this.opts.metrics.inFlight.inc();
    res.once('close', () => {
      this.inFlight--;
      this.opts.metrics.inFlight.dec();
      if (this.inFlight === 0) this.drained?.();
    });
    if (this.draining) res.setHeader('connection', 'close');
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const route = routeRequest(method, url);
    const action = actionOf(route);
    decide(this.opts.reviewer, route, req.headers.authorization)
      .then((outcome) => {
        this.opts.metrics.requests.inc({ verb: action, decision: outcome.decision });
        if (outcome.decision === 'allowed') {
          if (expectContinue) res.writeContinue();
          this.pass(req, res, action, outcome.dropMount ? withoutMount(url) : url, outcome);
        } else {
          this.refuse(req, res, action, outcome);
        }
      })
      .catch((err: unknown) => {
        this.opts.logger.error({ err, method, path: pathOf(url) }, 'request failed');
        this.respond(req, res, 500, 'UNKNOWN', 'internal error in the registry proxy');
      });
  }

  private pass(req: IncomingMessage, res: ServerResponse, action: string, path: string, outcome: Outcome): void {
    const end = this.opts.metrics.upstreamDuration.startTimer({ verb: action });
    this.opts.logger.debug({ method: req.method, path: pathOf(path), user: outcome.identity?.username, action }, 'forwarding');
    forward(req, res, {
      upstream: this.opts.upstream,
      agent: this.agent,
      path,
      onResponse: () => end(),
      onUpstreamError: (err) => {
        this.opts.metrics.upstreamErrors.inc({ verb: action });
        this.opts.logger.warn({ err, method: req.method, path: pathOf(path) }, 'the registry did not answer');
        this.respond(req, res, 502, 'UNAVAILABLE', `the registry behind this proxy did not answer (${err.message}); retry later`);
      },
    });
  }

  private refuse(req: IncomingMessage, res: ServerResponse, action: string, outcome: Exclude<Outcome, { decision: 'allowed' }>): void {
    const fields = { method: req.method, path: pathOf(req.url ?? '/'), action, status: outcome.status, user: outcome.identity?.username };
    if (outcome.decision === 'unavailable') this.opts.logger.warn({ ...fields, err: outcome.cause }, outcome.message);
    else if (outcome.decision === 'denied') this.opts.logger.info(fields, 'request denied');
    else this.opts.logger.debug(fields, outcome.message);
    if (outcome.status === 401) res.setHeader('www-authenticate', `Basic realm="${this.opts.realm}"`);
    this.respond(req, res, outcome.status, outcome.code, outcome.message);
  }

  /** A registry-style JSON error (`{"errors":[{code,message}]}`), closing the connection if a body is unread. */
  private respond(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body = JSON.stringify({ errors: [{ code, message, detail: null }] });
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('docker-distribution-api-version', 'registry/2.0');
    res.setHeader('content-length', Buffer.byteLength(body));
    if (hasBody(req) && !req.readableEnded) res.setHeader('connection', 'close');
    res.writeHead(status);
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

/** A request target for logs: the path only (queries of upload sessions carry opaque state). */
function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
