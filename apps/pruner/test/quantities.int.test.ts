import { canonicalQuantity } from '@image-registry/api';
import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import { expect, it } from 'vitest';

// The quantities an admin may write in ImagePruner (or Config) spec.resources, as the renderer copies them
// into a CronJob: canonicalQuantity must give what the API server stores, else every apply is a write (issue #19).
const inputs = ['100m', '0.5', '.5', '1', '1.0', '100', '1000', '1500m', '2000m', '0.1m', '0.0000000001', '256Mi', '1024Mi', '1.5Gi', '0.5Ki', '1Ki', '1536', '1G', '1000M', '1e3', '1.5e3', '1E6', '1.5E3', '2E3', '1e-3', '12345678901', '0', '0Mi'];

it('canonicalQuantity gives the form the API server stores', async () => {
  const kc = testKubeConfig();
  const namespace = await createTestNamespace(kc, 'pruner-quantity');
  const containers = inputs.map((q, i) => ({ name: `c${i}`, image: 'x', resources: { requests: { cpu: q, memory: q } } }));
  const stored = await kubeRequest<{ spec: { jobTemplate: { spec: { template: { spec: { containers: { resources: { requests: { cpu: string; memory: string } } }[] } } } } } }>(
    kc,
    'POST',
    `/apis/batch/v1/namespaces/${namespace}/cronjobs?dryRun=All`,
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'quantities' },
      spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers } } } } },
    },
  );
  const got = stored.spec.jobTemplate.spec.template.spec.containers.map((c) => c.resources.requests);
  const want = inputs.map((q) => canonicalQuantity(q, { precision: 'milli' }));
  expect(Object.fromEntries(inputs.map((q, i) => [q, got[i]]))).toEqual(Object.fromEntries(inputs.map((q, i) => [q, { cpu: want[i], memory: want[i] }])));
});
