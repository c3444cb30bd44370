import type { Agent, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { http } from '@image-registry/controller-runtime';

// RFC 9110 §7.6.1: these describe one connection, never the message.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function connectionTokens(headers: IncomingHttpHeaders): Set<string> {
  const value = headers['connection'];
  if (!value) return new Set();
  return new Set(value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean));
}

/**
 * The request headers the registry sees: the client's, minus hop-by-hop headers, the credentials (the
 * registry trusts the proxy and must never see a token) and `Expect` (the proxy answers 100-continue
 * itself, after the decision). Host stays, and X-Forwarded-Proto says https, so the upload locations the
 * registry writes point back at the proxy.
 */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, remoteAddress: string | undefined): OutgoingHttpHeaders {
  const drop = connectionTokens(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || drop.has(name)) continue;
    if (name === 'authorization' || name === 'expect' || name === 'forwarded' || name.startsWith('x-forwarded-')) continue;
    out[name] = value;
  }
  out['x-forwarded-proto'] = 'https';
  if (remoteAddress) out['x-forwarded-for'] = remoteAddress;
  return out;
}

/** The registry's response headers for the client, minus hop-by-hop ones. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const drop = connectionTokens(headers);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || drop.has(name)) continue;
    out[name] = value;
  }
  return out;
}

export interface ForwardOptions {
  upstream: URL;
  agent: Agent;
  /** Target to send (the client's, or one rewritten by the decision). */
  path: string;
  /** Called once the registry's response headers arrive. */
  onResponse?: () => void;
  /** Called when the registry could not be reached or broke off before answering. */
  onUpstreamError: (err: Error) => void;
}

/**
 * Streams one request to the registry and its answer back: bodies flow through with backpressure and
 * are never buffered; a redirect (to object storage) reaches the client as the registry wrote it.
 */
export function forward(req: IncomingMessage, res: ServerResponse, opts: ForwardOptions): void {
  const upstreamReq = http.request({
    protocol: opts.upstream.protocol,
    hostname: opts.upstream.hostname,
    port: opts.upstream.port,
    method: req.method,
    path: opts.path,
    headers: upstreamRequestHeaders(req.headers, req.socket.remoteAddress),
    agent: opts.agent,
  });
  let answered = false;
  upstreamReq.on('response', (upstreamRes) => {
    answered = true;
    opts.onResponse?.();
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, clientResponseHeaders(upstreamRes.headers));
    pipeline(upstreamRes, res, () => {
      // A client that went away, or a registry that broke off mid-body: both ends are closed by now.
    });
  });
  upstreamReq.on('error', (err) => {
    // A client that left first tore the request down itself: nothing to answer, nothing to count.
    if (res.destroyed) return;
    if (!answered) opts.onUpstreamError(err);
    else res.destroy(err);
  });
  // The client's body (an upload) streams to the registry with backpressure. Not pipeline(): a registry
  // error must leave the client connection open for the 502.
  req.pipe(upstreamReq);
  res.on('close', () => {
    if (!res.writableFinished) upstreamReq.destroy();
  });
}
