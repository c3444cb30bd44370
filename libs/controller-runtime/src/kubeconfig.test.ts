import { mkdtempSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { loadKubeConfig, type ClusterAccess } from './kubeconfig.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-test-'));
writeFileSync(join(dir, 'ca.crt'), 'CA PEM');
writeFileSync(join(dir, 'token'), 'file-token\n');

function file(name: string, doc: object | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

function kubeconfig(cluster: object, user: object) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'other', cluster: { server: 'https://wrong:1' } }, { name: 'c', cluster }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  };
}

async function options(access: ClusterAccess): Promise<{ server: string | undefined; opts: https.RequestOptions }> {
  const opts: https.RequestOptions = {};
  await access.applyToHTTPSOptions(opts);
  return { server: access.getCurrentCluster()?.server, opts };
}

/** What client-node's own KubeConfig makes of the same file: the reference. */
async function reference(path: string) {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  const { server, opts } = await options(kc);
  return { server, ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername, authorization: (opts.headers as Record<string, string> | undefined)?.['Authorization'] };
}

async function ours(path: string) {
  const { server, opts } = await options(loadKubeConfig(path, {}));
  return { server, ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername, authorization: (opts.headers as Record<string, string> | undefined)?.['Authorization'] };
}

describe('loadKubeConfig', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it.each([
    ['a token and inline TLS material', kubeconfig({ server: 'https://api:6443', 'certificate-authority-data': b64('CA') }, { token: 't0k', 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') })],
    ['a CA file relative to the kubeconfig, no TLS verify, a server name', kubeconfig({ server: 'https://api:6443', 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true, 'tls-server-name': 'kubernetes' }, { token: 'x' })],
    ['a YAML file (client-node reads it)', `apiVersion: v1\nclusters: [{name: c, cluster: {server: "https://yaml:6443"}}]\nusers: [{name: u, user: {token: y}}]\ncontexts: [{name: ctx, context: {cluster: c, user: u}}]\ncurrent-context: ctx\n`],
    ['basic auth (client-node handles it)', kubeconfig({ server: 'https://api:6443' }, { username: 'a', password: 'b' })],
  ])('gives the same server, TLS material and Authorization as client-node for %s', async (_name, doc) => {
    const path = file(`${_name.length}-${Math.random()}.kubeconfig`, doc);
    expect(await ours(path)).toEqual(await reference(path));
  });

  it('reads a token file on every call (a bound token rotates on disk), without its newline', async () => {
    const tokenPath = join(dir, 'rotating');
    writeFileSync(tokenPath, 'one\n');
    const access = loadKubeConfig(file('rotating.kubeconfig', kubeconfig({ server: 'https://api:6443' }, { 'token-file': tokenPath })), {});
    expect((await options(access)).opts.headers).toEqual({ Authorization: 'Bearer one' });
    writeFileSync(tokenPath, 'two\n');
    expect((await options(access)).opts.headers).toEqual({ Authorization: 'Bearer two' });
  });

  it('takes the first file of KUBECONFIG when no path is given, and hands several files to client-node', async () => {
    const a = file('a.kubeconfig', kubeconfig({ server: 'https://a:6443' }, { token: 'a' }));
    expect((await options(loadKubeConfig(undefined, { KUBECONFIG: a }))).server).toBe('https://a:6443');
    const b = { clusters: [{ name: 'b', cluster: { server: 'https://b:6443' } }], users: [{ name: 'b', user: { token: 'b' } }], contexts: [{ name: 'b', context: { cluster: 'b', user: 'b' } }] };
    const merged = loadKubeConfig(undefined, { KUBECONFIG: `${a}:${file('b.kubeconfig', b)}` });
    expect(merged.getCurrentCluster()).toBeNull(); // deferred: nothing is read before the first use
    expect((await options(merged)).opts.headers).toEqual({ Authorization: 'Bearer a' });
  });

  it('says what is wrong with a kubeconfig client-node cannot read either', async () => {
    const access = loadKubeConfig(file('broken.kubeconfig', 'clusters: [unclosed'), {});
    await expect(options(access)).rejects.toThrow();
  });
});
