import {
  createServer as createHttpServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * Loopback-only network parts for the storage tests: a forward proxy, a TLS front, a fake STS. Each
 * refuses any target that is not 127.0.0.1 (test traffic never leaves the machine).
 */

const loopback = '127.0.0.1';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  return `${loopback}:${(server.address() as AddressInfo).port}`;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** Sends a request on to the loopback port as it came (path, headers), and its answer back. */
function forward(port: string, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(
    { host: loopback, port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}

export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request seen: `GET http://127.0.0.1:9000/bucket?…` or `CONNECT 127.0.0.1:9443`. */
  seen: string[];
  close(): Promise<void>;
}

/** An HTTP proxy (absolute-URI requests and CONNECT tunnels) to loopback targets only. */
export async function startLoopbackProxy(): Promise<LoopbackProxy> {
  const seen: string[] = [];
  const server = createHttpServer((req: IncomingMessage, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '/');
    if (target.hostname !== loopback) {
      res.writeHead(403).end('loopback only');
      return;
    }
    const upstream = request(
      {
        host: loopback,
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    if (host !== loopback) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), loopback, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const sockets = track(server);
  return { url: `http://${await listen(server)}`, seen, close: closer(server, sockets) };
}

/** A proxy address nothing listens on: every connection through it is refused. */
export async function deadProxyUrl(): Promise<string> {
  const server = createHttpServer();
  const address = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://${address}`;
}

export interface TlsFront {
  /** `https://127.0.0.1:<port>` */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * HTTPS in front of a loopback HTTP endpoint (MinIO over TLS with its own CA). The Host header is passed
 * on as sent, so SigV4 signatures made for the front still verify at the backend.
 */
export async function startTlsFront(backend: string, tls: { cert: string; key: string }): Promise<TlsFront> {
  const target = new URL(backend);
  const server = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) =>
    forward(target.port, req, res),
  );
  const sockets = track(server);
  return { endpoint: `https://${await listen(server)}`, close: closer(server, sockets) };
}

export interface FakeSts {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** Every AssumeRoleWithWebIdentity: the role and the token presented. */
  calls: { roleArn: string; token: string }[];
  close(): Promise<void>;
}

/**
 * STS for AssumeRoleWithWebIdentity: accepts `token` for `roleArn` and answers with `credentials`
 * (MinIO's own keys without a session token, which MinIO would refuse for them), anything else with
 * AccessDenied.
 */
export async function startFakeSts(
  expect: { roleArn: string; token: string },
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<FakeSts> {
  const calls: FakeSts['calls'] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const call = { roleArn: form.get('RoleArn') ?? '', token: form.get('WebIdentityToken') ?? '' };
      calls.push(call);
      res.setHeader('content-type', 'text/xml');
      if (
        form.get('Action') !== 'AssumeRoleWithWebIdentity' ||
        call.roleArn !== expect.roleArn ||
        call.token !== expect.token
      ) {
        res
          .writeHead(403)
          .end(
            '<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized</Message></Error></ErrorResponse>',
          );
        return;
      }
      const expiration = new Date(Date.now() + 3600_000).toISOString();
      res.end(
        `<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>` +
          `<AccessKeyId>${credentials.accessKeyId}</AccessKeyId><SecretAccessKey>${credentials.secretAccessKey}</SecretAccessKey>` +
          `<Expiration>${expiration}</Expiration>` +
          `</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
      );
    });
  });
  const sockets = track(server);
  return { endpoint: `http://${await listen(server)}`, calls, close: closer(server, sockets) };
}

export interface FakeGoogleSts {
  /** `http://127.0.0.1:<port>/v1/token`: the `token_url` of an external-account file. */
  tokenUrl: string;
  /** The subject tokens exchanged. */
  subjectTokens: string[];
  close(): Promise<void>;
}

/** Google's STS token exchange for workload identity federation: any subject token gets an access token. */
export async function startFakeGoogleSts(): Promise<FakeGoogleSts> {
  const subjectTokens: string[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      subjectTokens.push(form.get('subject_token') ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          access_token: `federated-${subjectTokens.length}`,
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        }),
      );
    });
  });
  const sockets = track(server);
  return {
    tokenUrl: `http://${await listen(server)}/v1/token`,
    subjectTokens,
    close: closer(server, sockets),
  };
}

export interface HoldingFront {
  /** `http://127.0.0.1:<port>`, in front of the backend. */
  endpoint: string;
  /** Every request seen: `DELETE /storage/v1/b/…`. */
  seen: string[];
  /** Requests held back so far. */
  held(): number;
  /** Held requests whose client closed the connection before they were sent on (it gave up). */
  abandoned(): number;
  /** Sends the held requests on (those whose client is still connected) and holds no more. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Plain HTTP in front of a loopback endpoint that holds back the requests `hold` picks until `release()`:
 * a test acts while a call is in flight, with no timing. A client that gave up meanwhile is not forwarded.
 */
export async function startHoldingFront(
  backend: string,
  hold: (method: string, url: string) => boolean,
): Promise<HoldingFront> {
  const target = new URL(backend);
  const seen: string[] = [];
  let holding = true;
  let heldSoFar = 0;
  let abandoned = 0;
  const waiting: (() => void)[] = [];
  const server = createHttpServer((req, res) => {
    const line = `${req.method} ${req.url}`;
    seen.push(line);
    let forwarded = false;
    const send = () => {
      if (req.socket.destroyed) return;
      forwarded = true;
      forward(target.port, req, res);
    };
    if (holding && hold(req.method ?? '', req.url ?? '')) {
      heldSoFar++;
      req.socket.once('close', () => {
        if (!forwarded) abandoned++;
      });
      waiting.push(send);
    } else send();
  });
  const sockets = track(server);
  return {
    endpoint: `http://${await listen(server)}`,
    seen,
    held: () => heldSoFar,
    abandoned: () => abandoned,
    release() {
      holding = false;
      for (const f of waiting.splice(0)) f();
    },
    close: closer(server, sockets),
  };
}
