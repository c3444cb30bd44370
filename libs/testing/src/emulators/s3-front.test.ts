import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startS3Front, type S3Front } from './s3-front.ts';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

async function backend(): Promise<{ endpoint: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'x-backend': 'yes' }).end('from backend');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { endpoint: `http://127.0.0.1:${port}`, seen, server };
}

describe('startS3Front', () => {
  let front: S3Front | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await front?.close();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  it('answers publicAccessBlock requests with an S3 NotImplemented error and never forwards them', async () => {
    const b = await backend();
    server = b.server;
    front = await startS3Front(b.endpoint, ['publicAccessBlock']);
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const res = await fetch(`${front.endpoint}/bucket?publicAccessBlock`, {
        method,
        body: method === 'PUT' ? '<x/>' : undefined,
      });
      expect(res.status).toBe(501);
      expect(await res.text()).toContain('<Code>NotImplemented</Code>');
    }
    expect(b.seen).toEqual([]);
  });

  it('forwards everything else with the Host header, path, query and body as the client sent them', async () => {
    const b = await backend();
    server = b.server;
    front = await startS3Front(b.endpoint, ['publicAccessBlock']);
    const res = await fetch(`${front.endpoint}/bucket?encryption`, {
      method: 'PUT',
      body: '<ServerSideEncryptionConfiguration/>',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-backend')).toBe('yes');
    expect(await res.text()).toBe('from backend');
    expect(b.seen).toHaveLength(1);
    expect(b.seen[0]).toMatchObject({
      method: 'PUT',
      url: '/bucket?encryption',
      body: '<ServerSideEncryptionConfiguration/>',
      headers: { host: new URL(front.endpoint).host },
    });
  });
});
