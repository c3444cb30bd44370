import { readFile } from 'node:fs/promises';
import type { Agent as HttpAgent } from 'node:http';
import https from 'node:https';
import { http } from '@image-registry/controller-runtime';

/** Credentials as the AWS SDK takes them from a provider. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Always set by AWS STS; optional for S3-compatible STS endpoints that issue plain keys. */
  sessionToken?: string;
  expiration: Date;
}

export interface WebIdentityOptions {
  roleArn: string;
  tokenFile: string;
  region: string;
  /** STS endpoint; default the regional one. */
  endpoint: string | undefined;
  agents: { httpAgent: HttpAgent; httpsAgent: https.Agent };
  now?: () => number;
}

export class WebIdentityError extends Error {
  override name = 'WebIdentityError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** `https://sts.<region>.amazonaws.com` (`.com.cn` in the China partition). */
export function regionalStsEndpoint(region: string): string {
  return `https://sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

const tag = (xml: string, name: string) => xml.match(new RegExp(`<${name}>([^<]*)</${name}>`))?.[1];

function post(
  url: URL,
  body: string,
  agents: WebIdentityOptions['agents'],
): Promise<{ status: number; text: string }> {
  const mod = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      url,
      {
        method: 'POST',
        agent: url.protocol === 'http:' ? agents.httpAgent : agents.httpsAgent,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
        timeout: 30_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url.host} within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * STS AssumeRoleWithWebIdentity with the projected ServiceAccount token (IRSA): an unsigned call, so no
 * key exists anywhere. The token is read afresh for every exchange (the kubelet rotates it); credentials
 * are reused until five minutes before they expire. Errors name the role and STS's code, never the token.
 */
export function webIdentityProvider(opts: WebIdentityOptions): () => Promise<AwsCredentials> {
  const now = opts.now ?? Date.now;
  let cached: AwsCredentials | undefined;
  return async () => {
    if (cached && cached.expiration.getTime() - now() > 5 * 60_000) return cached;
    const token = (await readFile(opts.tokenFile, 'utf8')).trim();
    const url = new URL(
      opts.endpoint || process.env['AWS_ENDPOINT_URL_STS'] || regionalStsEndpoint(opts.region),
    );
    const body = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: opts.roleArn,
      RoleSessionName: `image-registry-storage-${now()}`,
      WebIdentityToken: token,
    }).toString();
    const res = await post(url, body, opts.agents);
    if (res.status !== 200) {
      const code = tag(res.text, 'Code') ?? `HTTP${res.status}`;
      throw new WebIdentityError(
        code,
        `AssumeRoleWithWebIdentity ${opts.roleArn}: ${code}: ${tag(res.text, 'Message') ?? ''}`.trim(),
      );
    }
    const accessKeyId = tag(res.text, 'AccessKeyId');
    const secretAccessKey = tag(res.text, 'SecretAccessKey');
    const sessionToken = tag(res.text, 'SessionToken');
    const expiration = tag(res.text, 'Expiration');
    if (!accessKeyId || !secretAccessKey)
      throw new WebIdentityError(
        'MalformedResponse',
        `AssumeRoleWithWebIdentity ${opts.roleArn}: STS answered without credentials`,
      );
    cached = {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
      expiration: new Date(expiration ?? now() + 15 * 60_000),
    };
    return cached;
  };
}
