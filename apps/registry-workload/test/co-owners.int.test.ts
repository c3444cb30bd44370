import { kubeRequest, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settled, sentinelRound } from './quiet.ts';
import { deploymentPath, get, getDeployment, useWorkloadFixture, waitAvailable } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());

const restartedAt = 'kubectl.kubernetes.io/restartedAt';

describe('co-owners of the registry objects', () => {
  it('keeps the CA that service-ca injects into serviceca, and goes quiet', async () => {
    const app = await f.managed({}, { servingCert: 'service-ca' });
    await waitAvailable(f.kc);
    const path = `/api/v1/namespaces/${f.ns}/configmaps/serviceca`;
    await expect.poll(async () => (await get(f.kc, path)) !== undefined, { timeout: 30_000 }).toBe(true);
    // Plays OpenShift's service-ca operator: its own field manager writes the bundle into data.
    await kubeRequest(f.kc, 'PATCH', `${path}?fieldManager=service-ca-operator`, { data: { 'service-ca.crt': 'PEM OF THE SERVICE CA' } }, 'application/merge-patch+json');
    await settled(f.kc, app);
    const cm = await get<{ data?: Record<string, string>; metadata: { annotations?: Record<string, string> } }>(f.kc, path);
    expect(cm?.data).toEqual({ 'service-ca.crt': 'PEM OF THE SERVICE CA' });
    expect(cm?.metadata.annotations).toEqual({ 'service.beta.openshift.io/inject-cabundle': 'true' });
    expect(await sentinelRound(f.kc, app)).toBe(0);
  });

  it('rolls the pods once on kubectl rollout restart, and goes quiet', async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    await settled(f.kc, app);
    const before = await getDeployment(f.kc, f.ns);
    // What `kubectl rollout restart` sends.
    const at = new Date().toISOString();
    await kubeRequest(
      f.kc,
      'PATCH',
      `${deploymentPath(f.ns)}?fieldManager=kubectl-rollout`,
      { spec: { template: { metadata: { annotations: { [restartedAt]: at } } } } },
      'application/strategic-merge-patch+json',
    );
    await settled(f.kc, app);
    const after = await getDeployment(f.kc, f.ns);
    expect(after?.spec.template.metadata.annotations?.[restartedAt]).toBe(at);
    // One template change: the restart itself, not a revert and a second rollout.
    expect(after?.metadata.generation).toBe((before?.metadata.generation ?? 0) + 1);
  });

  it('scales the Deployment back to spec.replicas after kubectl scale, and goes quiet', async () => {
    const app = await f.managed();
    await waitAvailable(f.kc);
    await kubeRequest(f.kc, 'PATCH', `${deploymentPath(f.ns)}/scale?fieldManager=kubectl`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    await expect.poll(async () => (await getDeployment(f.kc, f.ns))?.spec.replicas, { timeout: 30_000 }).toBe(1);
    await settled(f.kc, app);
    expect((await getDeployment(f.kc, f.ns))?.spec.replicas).toBe(1);
  });
});
