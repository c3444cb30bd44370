// A loopback door into the system the global setup owns: test files run in workers and cannot reach its
// processes, so a test that must change how an app runs (RELEASE_VERSION, as upstream patches the operator
// Deployment's env) asks here. Loopback only, and only for the length of the run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { System } from './system.ts';

export interface Control {
  url: string;
  close(): Promise<void>;
}

/** POST /restart/<app> with a JSON body `{"env":{...}}` restarts that app with the env added. */
export async function startControl(system: System): Promise<Control> {
  const server: Server = createServer((req, res) => {
    const m = /^\/restart\/([a-z-]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m?.[1]) {
      res.writeHead(404).end('POST /restart/<app>\n');
      return;
    }
    const app = m[1];
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      let env: Record<string, string> = {};
      try {
        env = body ? ((JSON.parse(body) as { env?: Record<string, string> }).env ?? {}) : {};
      } catch {
        res.writeHead(400).end('the body must be JSON: {"env":{"NAME":"value"}}\n');
        return;
      }
      system.restart(app, env).then(
        () => res.writeHead(204).end(),
        (err: unknown) => res.writeHead(500).end(`${String(err)}\n`),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
