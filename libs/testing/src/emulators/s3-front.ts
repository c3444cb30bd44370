import { randomBytes } from 'node:crypto';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

export interface S3Front {
  /** `http://127.0.0.1:<port>`: use it instead of the backend's endpoint. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A loopback HTTP front for an S3 endpoint that answers every request carrying one of
 * `notImplemented` as a query key (e.g. `publicAccessBlock`) with S3's `501 NotImplemented`, and
 * passes everything else through untouched. The Host header is forwarded as sent, so SigV4
 * signatures made for the front's address still verify at the backend.
 */
export function startS3Front(backend: string, notImplemented: readonly string[]): Promise<S3Front> {
  const target = new URL(backend);
  const rejected = new Set(notImplemented);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://front');
    if ([...url.searchParams.keys()].some((k) => rejected.has(k))) {
      req.resume();
      req.once('end', () => {
        res.writeHead(501, {
          'Content-Type': 'application/xml',
          'x-amz-request-id': randomBytes(8).toString('hex'),
        });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code>' +
            '<Message>A header you provided implies functionality that is not implemented</Message>' +
            `<Resource>${url.pathname}</Resource></Error>`,
        );
      });
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // Backend down: drop the client's connection, as the backend itself would.
    upstream.once('error', () => res.socket?.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
