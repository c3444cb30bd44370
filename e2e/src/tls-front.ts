// A loopback TLS terminator in front of a plain-HTTP emulator: upstream's TestS3Minio serves MinIO over
// HTTPS with a certificate of a private CA. Bytes pass through untouched, so SigV4 signatures made for
// the front's host still verify at MinIO.
import { connect, type Socket } from 'node:net';
import { createServer } from 'node:tls';

export interface TlsFront {
  /** `https://127.0.0.1:<port>` */
  endpoint: string;
  close(): Promise<void>;
}

export async function startTlsFront(backend: string, tls: { cert: string; key: string }): Promise<TlsFront> {
  const target = new URL(backend);
  const sockets = new Set<Socket>();
  const server = createServer({ cert: tls.cert, key: tls.key }, (client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the TLS front has no TCP address');
  return {
    endpoint: `https://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
