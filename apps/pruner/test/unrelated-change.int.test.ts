import { applyYaml, createTestNamespace, kubeRequest, testKubeConfig, type Manifest } from '@image-registry/testing';
import type { Manager } from '@image-registry/controller-runtime';
import type { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyConfig, applyImageHostname, configPath, cronJobPath, deleteSingletons, patchPrunerSpec, prunerConditions, startPruner } from './support.ts';
import type { JobFlavour } from '../src/render/job-flavour.ts';

// Issue #19: a Config replicas change (and the status writes of the rollout it starts) cost the pruner
// a CronJob patch on every pass, because the apply was never recognised as a no-op.
const kc = testKubeConfig();
const poll = { timeout: 60_000, interval: 250 };
const controller = 'image-pruner';
interface CronJobPod {
  spec: { jobTemplate: { spec: { template: { spec: { initContainers?: { name: string }[]; containers: { resources?: unknown }[] } } } } };
}
const writeVerbs = new Set(['create', 'update', 'patch', 'apply', 'delete']);

describe('a Config change that is not about the pruner', () => {
  let namespace: string;
  let app: { manager: Manager; registry: Registry } | undefined;

  beforeEach(async () => {
    await deleteSingletons(kc);
    namespace = await createTestNamespace(kc, 'pruner-quiet');
  });
  afterEach(async () => {
    await app?.manager.stop();
    app = undefined;
  });

  async function metricSum(name: string, match: (labels: Partial<Record<string, string | number>>) => boolean): Promise<number> {
    const m = await app?.registry.getSingleMetric(name)?.get();
    return (m?.values ?? []).filter((v) => match(v.labels)).reduce((n, v) => n + v.value, 0);
  }
  const writes = () => metricSum('rest_client_requests_total', (l) => writeVerbs.has(String(l['verb'])));
  const reconciles = () => metricSum('controller_runtime_reconcile_total', (l) => l['controller'] === controller);
  const idle = async () =>
    (await metricSum('controller_runtime_active_workers', (l) => l['controller'] === controller)) === 0 &&
    (await metricSum('workqueue_depth', (l) => l['controller'] === controller || l['name'] === controller)) === 0;

  /** Makes `change` once the controller is quiet, and waits until the pass it caused is done. */
  async function passAfter(change: () => Promise<unknown>): Promise<void> {
    await expect.poll(idle, poll).toBe(true);
    const done = await reconciles();
    await change();
    await expect.poll(async () => (await reconciles()) > done && (await idle()), poll).toBe(true);
  }
  const patchConfig = (body: unknown, subresource = '') =>
    kubeRequest(kc, 'PATCH', `${configPath}${subresource}`, body, 'application/merge-patch+json');

  for (const flavour of ['oc', 'registry-api'] as JobFlavour[]) {
    it(`costs the ${flavour} pruner no write: not the CronJob (the admin's quantities and tolerations included), not its other objects, not ImagePruner status`, async () => {
      await applyConfig(kc, 'Managed');
      await applyImageHostname(kc, 'image-registry.openshift-image-registry.svc:5000');
      // Our job borrows the registry Deployment's image and claims: its defaulted volumes must compare equal too.
      if (flavour === 'registry-api') await applyYaml(kc, registryDeployment(namespace, 1), { fieldManager: 'image-registry-operator/registry-workload' });
      app = await startPruner(kc, { namespace, flavour });
      await expect.poll(() => prunerConditions(kc).then((c) => c['Available']?.status), poll).toBe('True');
      // The admin's quantities and scheduling, not in the form the server stores them in the CronJob.
      await patchPrunerSpec(kc, {
        resources: { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: 1 } },
        tolerations: [{ key: 'k', operator: 'Exists', effect: '' }],
        affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
      });
      const resources = () =>
        kubeRequest<CronJobPod>(kc, 'GET', cronJobPath(namespace)).then((cj) => cj.spec.jobTemplate.spec.template.spec.containers[0]?.resources);
      await expect.poll(resources, poll).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } });
      if (flavour === 'registry-api') {
        const initContainers = () =>
          kubeRequest<CronJobPod>(kc, 'GET', cronJobPath(namespace)).then((cj) => cj.spec.jobTemplate.spec.template.spec.initContainers?.map((c) => c.name));
        await expect.poll(initContainers, poll).toEqual(['registry-binary']);
      }
      // One pass more after the bootstrap's; then every write until the end is counted, late ones too.
      await passAfter(() => patchConfig({ spec: { replicas: 3 } }));
      const before = await writes();
      await passAfter(() => patchConfig({ spec: { replicas: 2 } }));
      await passAfter(() => patchConfig({ status: { readyReplicas: 1 } }, '/status'));
      await passAfter(() => patchConfig({ spec: { replicas: 1 } }));
      if (flavour === 'registry-api') {
        // The rollout of a replicas change: the Deployment the job reads changes, its storage does not.
        await passAfter(() => applyYaml(kc, registryDeployment(namespace, 2), { fieldManager: 'image-registry-operator/registry-workload' }));
      }
      expect((await writes()) - before).toBe(0);
      const skipped = await metricSum('apply_skipped_total', (l) => l['kind'] === 'CronJob');
      expect(skipped).toBeGreaterThan(0);
    });
  }
});

/** The registry Deployment as registry-workload applies it, reduced to what the job reads: image and claim. */
function registryDeployment(namespace: string, replicas: number): Manifest {
  const labels = { 'docker-registry': 'default' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'image-registry', namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: 'registry', image: 'registry:test', volumeMounts: [{ name: 'registry-storage', mountPath: '/registry' }] }],
          volumes: [{ name: 'registry-storage', persistentVolumeClaim: { claimName: 'image-registry-storage' } }],
        },
      },
    },
  };
}
