import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseManifests, type Manifest } from './kube/apply.ts';
import { kubeRequest } from './kube/request.ts';
import { workspaceRoot } from './workspace.ts';

/** A kubeconfig that authenticates as a ServiceAccount with a bound token (TokenRequest), for RBAC tests. */
export async function serviceAccountKubeConfig(
  admin: KubeConfig,
  namespace: string,
  name: string,
  expirationSeconds = 3600,
): Promise<KubeConfig> {
  const request = await kubeRequest<{ status: { token: string } }>(
    admin,
    'POST',
    `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
  );
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: 'test' }],
    users: [{ name, token: request.status.token }],
    contexts: [{ name, cluster: 'test', user: name }],
    currentContext: name,
  });
  return kc;
}

/** Writes a kubeconfig to a private temp file (for an app started as a process) and returns its path. */
export function writeKubeconfigFile(kc: KubeConfig): string {
  const path = join(mkdtempSync(join(tmpdir(), 'iro-kubeconfig-')), 'kubeconfig');
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return path;
}

/**
 * An app's shipped ServiceAccount and RBAC (deploy/apps/<app>/{serviceaccount,rbac}.yaml) moved into a
 * test namespace, so a test can prove the shipped permissions are enough.
 */
export function shippedAppRbac(app: string, namespace: string, shippedNamespace = 'openshift-image-registry'): Manifest[] {
  const dir = join(workspaceRoot(), 'deploy/apps', app);
  const text = ['serviceaccount.yaml', 'rbac.yaml'].map((f) => readFileSync(join(dir, f), 'utf8')).join('\n---\n');
  return parseManifests(text.replaceAll(shippedNamespace, namespace));
}
