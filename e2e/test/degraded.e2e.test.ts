// failing_test.go: a Config the operator cannot carry out reports Degraded, naming what to fix.
import { afterEach, describe, expect, it } from 'vitest';
import { KubeRequestError, kubeRequest } from '@image-registry/testing';
import { condition, freshConfig, getConfig, kc, teardown, timeout } from '../src/helpers.ts';

const crdPath =
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/configs.imageregistry.operator.openshift.io';
const replicasSchema = '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/replicas';

/** Our CRD refuses replicas < 0 itself; upstream's has no minimum, so the operator sees -1 there. */
async function setReplicasMinimum(min: number | undefined): Promise<void> {
  const op =
    min === undefined
      ? { op: 'remove', path: `${replicasSchema}/minimum` }
      : { op: 'add', path: `${replicasSchema}/minimum`, value: min };
  await kubeRequest(kc, 'PATCH', crdPath, [op], 'application/json-patch+json');
}

async function createRefusal(spec: Record<string, unknown>): Promise<string> {
  try {
    await freshConfig(spec);
    return '';
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 422) return err.message;
    throw err;
  }
}

describe('degraded', () => {
  afterEach(teardown);

  it('TestDegraded', async () => {
    // Where our CRD is installed (plain Kubernetes) the API server refuses the value and names the field.
    expect(await createRefusal({ replicas: -1 })).toMatch(/spec\.replicas/);

    // Where upstream's CRD is (OpenShift) the value reaches the operator, which must report Degraded.
    await setReplicasMinimum(undefined);
    try {
      // The API server takes the new schema a moment later.
      await expect.poll(() => createRefusal({ replicas: -1 }), { timeout }).toBe('');
      await expect
        .poll(
          async () => {
            const c = await getConfig();
            const processed = (c?.status?.observedGeneration ?? -1) >= (c?.metadata.generation ?? 0);
            return processed ? condition(c, 'Degraded') : undefined;
          },
          { timeout },
        )
        .toMatchObject({
          status: 'True',
          message: expect.stringContaining('replicas must be greater than or equal to 0'),
        });
    } finally {
      await setReplicasMinimum(0);
    }
    // Teardown's patch leaves the stored -1 alone, which validation ratcheting lets through.
  });
});
