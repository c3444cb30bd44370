import { connect, createServer, type Server } from 'node:net';

/**
 * A TCP relay from `listenHost:port` to `127.0.0.1:port`: the API server listens on loopback only, and
 * the node's namespace reaches the host only through its veth. The relay lives in this process, so it
 * ends with it.
 */
export async function relayToLoopback(listenHost: string, port: number): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = connect(port, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.once('error', close).once('close', close);
    outbound.once('error', close).once('close', close);
  });
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, listenHost, () => resolve());
  });
  return server;
}
