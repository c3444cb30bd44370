import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyYaml,
  createTestNamespace,
  kubeRequest,
  parseManifests,
  serviceAccountKubeConfig,
  shippedAppRbac,
  testKubeConfig,
  workspaceRoot,
  type Manifest,
} from '@image-registry/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../src/kube-client.ts';
import { Manager } from '../src/manager.ts';
import { metricSum } from './support/harness.ts';

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  subject: string;
}

/** GET over HTTPS without verifying the (self-signed) certificate, as the ServiceMonitor does. */
function get(address: string, path: string, token?: string): Promise<Answer> {
  const url = new URL(`https://${address}${path}`);
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      const cn = (res.socket as TLSSocket).getPeerCertificate().subject?.CN ?? '';
      const subject = Array.isArray(cn) ? cn.join(',') : cn;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, subject }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function tokenOf(kc: KubeConfig, namespace: string, sa: string): Promise<string> {
  await kubeRequest(kc, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa } });
  const r = await kubeRequest<{ status: { token: string } }>(kc, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${sa}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: 3600 },
  });
  return r.status.token;
}

/** Cluster-scoped names get the namespace as suffix, so parallel tests never share a ClusterRole. */
function scoped(manifests: Manifest[], namespace: string): Manifest[] {
  return JSON.parse(JSON.stringify(manifests).replaceAll('image-registry-operator:', `image-registry-operator-${namespace}:`)) as Manifest[];
}

let stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

describe('metrics behind TokenReview and SubjectAccessReview', () => {
  it('answers 401 without a token, 403 without get /metrics, 200 with the metrics-reader role; probes stay open', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'metrics-auth');
    // The app runs as its shipped ServiceAccount and RBAC: that is what must allow the reviews.
    await applyYaml(kc, scoped(shippedAppRbac('status', ns), ns));
    const reader = scoped(parseManifests(readFileSync(join(workspaceRoot(), 'deploy/monitoring/metrics-reader.yaml'), 'utf8')), ns);
    await applyYaml(kc, reader);
    const scraper = await tokenOf(kc, ns, 'prometheus');
    const stranger = await tokenOf(kc, ns, 'stranger');
    await applyYaml(kc, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `metrics-reader-${ns}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: reader[0]?.metadata.name ?? '' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: ns }],
    });
    stops.push(() => kubeRequest(kc, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/metrics-reader-${ns}`));

    const registry = new Registry();
    const client = new KubeClient({ kubeConfig: await serviceAccountKubeConfig(kc, ns, 'image-registry-status'), fieldManager: 'metrics-auth-test', registry });
    const mgr = new Manager({ name: 'status', client, metricsBindAddress: '127.0.0.1:0', metricsAuth: 'kubernetes' });
    await mgr.start();
    stops.push(() => mgr.stop());
    const address = mgr.address ?? '';

    const anonymous = await get(address, '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(anonymous.subject).toBe('image-registry-status-metrics');
    expect((await get(address, '/metrics', 'not-a-token')).status).toBe(401);

    // RBAC grants may take a moment to reach the authorizer's cache: poll, past the refusal's TTL.
    const forbidden = await get(address, '/metrics', stranger);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toContain('metrics-reader');
    await expect.poll(async () => (await get(address, '/metrics', scraper)).status, { timeout: 60_000, interval: 1000 }).toBe(200);
    const ok = await get(address, '/metrics', scraper);
    expect(ok.body).toContain('rest_client_requests_total');
    expect(ok.body).toContain('process_cpu_user_seconds_total');

    // Cached: more scrapes with the same token ask the API server nothing.
    const reviews = () => metricSum(registry, 'rest_client_requests_total', (l) => l['verb'] === 'create');
    const before = await reviews();
    for (let i = 0; i < 5; i++) expect((await get(address, '/metrics', scraper)).status).toBe(200);
    expect(await reviews()).toBe(before);

    expect((await get(address, '/healthz')).status).toBe(200);
    expect((await get(address, '/readyz')).status).toBe(200);
  });
});
