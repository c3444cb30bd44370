// imageconfig_test.go TestAdditionalTrustedCA: the image config's additional CAs reach the nodes' bundle.
import { afterEach, describe, expect, it } from 'vitest';
import { kubeRequest } from '@image-registry/testing';
import {
  ensureAvailable,
  ensureClusterOperatorNormal,
  ensureInternalRegistryHostnameIsSet,
  ensureNotHotLooping,
  freshConfig,
  get,
  kc,
  namespace,
  teardown,
  timeout,
} from '../src/helpers.ts';

const imagePath = '/apis/config.openshift.io/v1/images/cluster';
const userCA = 'test-image-registry-operator-additional-trusted-ca';
const userCAPath = `/api/v1/namespaces/openshift-config/configmaps/${userCA}`;
const mergePatch = (path: string, body: unknown) =>
  kubeRequest(kc, 'PATCH', path, body, 'application/merge-patch+json');

describe('image config', () => {
  afterEach(teardown);

  it('TestAdditionalTrustedCA', async () => {
    const caData = { 'foo.example.com': 'certificateFoo', 'bar.example.com..5000': 'certificateBar' };
    await kubeRequest(kc, 'DELETE', userCAPath).catch(() => undefined);
    await kubeRequest(kc, 'POST', '/api/v1/namespaces/openshift-config/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: userCA },
      data: caData,
    });
    // The routes app creates the image config; upstream's cluster always has one.
    await expect.poll(() => get(imagePath), { timeout }).toBeDefined();
    const old = (await get<{ spec?: { additionalTrustedCA?: { name?: string } } }>(imagePath))?.spec
      ?.additionalTrustedCA?.name;
    await mergePatch(imagePath, { spec: { additionalTrustedCA: { name: userCA } } });
    try {
      await freshConfig({});
      await ensureAvailable();
      await ensureInternalRegistryHostnameIsSet();
      await ensureClusterOperatorNormal();
      await ensureNotHotLooping();
      await expect
        .poll(
          async () => {
            const data =
              (
                await get<{ data?: Record<string, string> }>(
                  `/api/v1/namespaces/${namespace}/configmaps/image-registry-certificates`,
                )
              )?.data ?? {};
            return {
              user: Object.fromEntries(Object.keys(caData).map((k) => [k, data[k]])),
              service: [
                `image-registry.${namespace}.svc..5000`,
                `image-registry.${namespace}.svc.cluster.local..5000`,
              ].filter((k) => (data[k] ?? '') !== '').length,
            };
          },
          { timeout },
        )
        .toEqual({ user: caData, service: 2 });
    } finally {
      await mergePatch(imagePath, { spec: { additionalTrustedCA: old ? { name: old } : null } });
      await kubeRequest(kc, 'DELETE', userCAPath).catch(() => undefined);
    }
  });
});
