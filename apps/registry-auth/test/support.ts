import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { createLogger } from '@image-registry/controller-runtime';
import {
  applyYaml,
  createServingCertificate,
  createTestNamespace,
  kubeRequest,
  parseManifests,
  serviceAccountKubeConfig,
  startRegistry,
  testKubeconfigPath,
  workspaceRoot,
  writeCaCertDir,
  type Manifest,
  type Registry,
} from '@image-registry/testing';
import { startRegistryAuth, type RegistryAuthDeps, type RunningRegistryAuth } from '../src/app.ts';
import type { AuthSettings } from '../src/flags.ts';
import { nodeTlsProfile } from '../src/tls-profile.ts';

/** The Service name clients use; tests reach it on loopback through skopeo's `resolve`. */
export const serviceHost = 'image-registry.openshift-image-registry.svc:5000';

/** The shipped RBAC of registry-auth (deploy/apps/registry-auth) for SA `registry` in `namespace`. */
export function shippedRbac(namespace: string): Manifest[] {
  const text = readFileSync(join(workspaceRoot(), 'deploy/apps/registry-auth/rbac.yaml'), 'utf8');
  return parseManifests(text.replaceAll('openshift-image-registry', namespace)).map((m) =>
    // One binding per test namespace, so test files never take each other's grant away.
    m.kind === 'ClusterRoleBinding' ? { ...m, metadata: { ...m.metadata, name: `${m.metadata.name}-${namespace}` } } : m,
  );
}

/** OpenShift's image roles as shipped (deploy/apps/registry-auth/image-roles). */
export function imageRoles(): Manifest[] {
  return parseManifests(readFileSync(join(workspaceRoot(), 'deploy/apps/registry-auth/image-roles/image-roles.yaml'), 'utf8'));
}

export interface StackOptions {
  /** The registry's environment (storage); default: the filesystem in its run folder, like emptyDir. */
  registryEnv?: Record<string, string>;
  settings?: Partial<AuthSettings>;
  reviewApi?: RegistryAuthDeps['reviewApi'];
  /** Run the proxy as a ServiceAccount without the shipped RBAC (its reviews are then forbidden). */
  withoutRbac?: boolean;
  /** Replace the proxy's kubeconfig, e.g. with one whose API server does not answer. */
  kubeConfig?: KubeConfig;
}

export interface Stack {
  registry: Registry;
  auth: RunningRegistryAuth;
  /** `127.0.0.1:<port>` of the proxy. */
  address: string;
  /** Trust for skopeo (`--*-cert-dir`) and for `get`. */
  caCertDir: string;
  caCert: string;
  /** The serving certificate and key files (PEM), e.g. for a second registry with the same identity. */
  certFile: string;
  keyFile: string;
  /** Every log line the proxy wrote. */
  logs: string[];
  stop(): Promise<void>;
}

/**
 * The real registry binary on loopback (plain HTTP, as in the pod) behind the proxy, which runs as
 * ServiceAccount `registry` with exactly the shipped RBAC.
 */
export async function startStack(admin: KubeConfig, opts: StackOptions = {}): Promise<Stack> {
  const proxyNamespace = await createTestNamespace(admin, 'auth-proxy');
  await kubeRequest(admin, 'POST', `/api/v1/namespaces/${proxyNamespace}/serviceaccounts`, { metadata: { name: 'registry' } });
  await applyYaml(admin, [...(opts.withoutRbac ? [] : shippedRbac(proxyNamespace)), ...imageRoles()]);
  const proxyKubeConfig = opts.kubeConfig ?? (await serviceAccountKubeConfig(admin, proxyNamespace, 'registry'));
  const registry = await startRegistry({ env: { REGISTRY_STORAGE_DELETE_ENABLED: 'true', ...opts.registryEnv } });
  const tls = await createServingCertificate({ dnsNames: ['localhost', serviceHost.split(':')[0] ?? ''], ipAddresses: ['127.0.0.1'] });
  const dir = mkdtempSync(join(tmpdir(), 'iro-registry-auth-'));
  writeFileSync(join(dir, 'tls.crt'), tls.cert);
  writeFileSync(join(dir, 'tls.key'), tls.key, { mode: 0o600 });
  const caCertDir = writeCaCertDir(join(dir, 'ca'), tls.caCert);
  const logs: string[] = [];
  const settings: AuthSettings = {
    listenAddress: '127.0.0.1:0',
    upstream: new URL(registry.url),
    certFile: join(dir, 'tls.crt'),
    keyFile: join(dir, 'tls.key'),
    tls: nodeTlsProfile('VersionTLS12', []),
    realm: 'openshift',
    allowTtlMs: 10_000,
    denyTtlMs: 2_000,
    cacheSize: 1000,
    reviewTimeoutMs: 10_000,
    shutdownDelayMs: 0,
    drainTimeoutMs: 25_000,
    maxHeaderBytes: 16_384,
    ...opts.settings,
  };
  const auth = await startRegistryAuth({
    settings,
    kubeConfig: proxyKubeConfig,
    logger: createLogger({ level: 'trace', name: 'registry-auth', destination: { write: (line: string) => void logs.push(line) } }),
    metricsBindAddress: '127.0.0.1:0',
    ...(opts.reviewApi ? { reviewApi: opts.reviewApi } : {}),
  });
  return {
    registry,
    auth,
    address: `127.0.0.1:${auth.address.port}`,
    caCertDir,
    caCert: tls.caCert,
    certFile: settings.certFile,
    keyFile: settings.keyFile,
    logs,
    async stop() {
      await auth.stop();
      await registry.stop();
    },
  };
}

/** A token of a ServiceAccount (TokenRequest), optionally bound to a Secret: it dies with the Secret. */
export async function serviceAccountToken(
  admin: KubeConfig,
  namespace: string,
  name = 'default',
  boundSecret?: { name: string; uid: string },
): Promise<string> {
  const spec: Record<string, unknown> = { expirationSeconds: 3600 };
  if (boundSecret) spec['boundObjectRef'] = { apiVersion: 'v1', kind: 'Secret', ...boundSecret };
  const r = await kubeRequest<{ status: { token: string } }>(admin, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec,
  });
  return r.status.token;
}

/** A plain user's bearer token (the control plane's static token file: alice and bob, group developers). */
export function userToken(user: 'alice' | 'bob'): string {
  const tokens = JSON.parse(readFileSync(join(dirname(testKubeconfigPath()), 'user-tokens.json'), 'utf8')) as Record<string, string>;
  const token = tokens[user];
  if (!token) throw new Error(`the control plane has no user ${user}`);
  return token;
}

/** Binds a ClusterRole in a namespace (a RoleBinding), to a ServiceAccount or a user. */
export async function bindRole(
  admin: KubeConfig,
  namespace: string,
  role: string,
  subject: { kind: 'ServiceAccount'; namespace: string; name: string } | { kind: 'User'; name: string },
): Promise<void> {
  const subjects = [subject.kind === 'User' ? { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: subject.name } : subject];
  await kubeRequest(admin, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
    metadata: { name: `${role.replaceAll(':', '-')}-${subject.name}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to the proxy, trusting its CA. */
export function request(stack: Stack, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: stack.auth.address.port, method, path, headers, ca: stack.caCert, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export const basic = (token: string) => `Basic ${Buffer.from(`<token>:${token}`).toString('base64')}`;
