import { createTestNamespace, kubeRequest, testKubeConfig } from '@image-registry/testing';
import type { Manager } from '@image-registry/controller-runtime';
import type { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyConfig,
  applyImageHostname,
  cronJobArgs,
  cronJobPath,
  deleteSingletons,
  getOrUndefined,
  ownedObjectPaths,
  patchPrunerSpec,
  prunerConditions,
  prunerPath,
  startPruner,
  type CronJobView,
  type PrunerView,
} from './support.ts';

const kc = testKubeConfig();
const hostname = 'image-registry.openshift-image-registry.svc:5000';
const poll = { timeout: 60_000, interval: 250 };

describe('pruner controller against a real API server', () => {
  let namespace: string;
  let app: { manager: Manager; registry: Registry } | undefined;

  beforeEach(async () => {
    await deleteSingletons(kc);
    namespace = await createTestNamespace(kc, 'pruner');
  });
  afterEach(async () => {
    await app?.manager.stop();
    app = undefined;
  });

  it('bootstraps ImagePruner/cluster with upstream defaults and reports Available, Scheduled, Failed and Degraded', async () => {
    await applyConfig(kc, 'Managed');
    await applyImageHostname(kc, hostname);
    app = await startPruner(kc, { namespace });
    await expect.poll(() => getOrUndefined<PrunerView>(kc, prunerPath).then((p) => p?.spec), poll).toEqual({
      suspend: false,
      keepTagRevisions: 3,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      ignoreInvalidImageReferences: true,
      logLevel: 'Normal',
    });
    await expect.poll(() => prunerConditions(kc), poll).toEqual({
      Available: { status: 'True', reason: 'AsExpected', message: 'Pruner CronJob has been created' },
      Scheduled: { status: 'True', reason: 'Scheduled', message: 'The pruner job has been scheduled' },
      Failed: { status: 'False', reason: 'Complete', message: 'Pruner completed successfully' },
      Degraded: { status: 'False', reason: 'AsExpected' },
    });
    const pruner = await getOrUndefined<PrunerView>(kc, prunerPath);
    expect(pruner?.status?.observedGeneration).toBe(pruner?.metadata.generation);
    // Created once (an Update entry); the app never applies the spec, so an admin's edit is never taken back.
    const spec = pruner?.metadata.managedFields?.filter((m) => m.manager === 'image-registry-operator/pruner' && m.subresource !== 'status');
    expect(spec?.map((m) => m.operation)).toEqual(['Update']);
    for (const path of ownedObjectPaths(namespace)) {
      expect(await getOrUndefined(kc, path), path).toBeDefined();
    }
    const metrics = await app.registry.getSingleMetricAsString('image_registry_operator_image_pruner_install_status');
    expect(metrics).toContain('image_registry_operator_image_pruner_install_status 2');
  });

  it('bootstraps even when neither Config nor Image exists yet, and does not prune the registry then', async () => {
    app = await startPruner(kc, { namespace });
    await expect.poll(() => prunerConditions(kc).then((c) => c['Available']?.status), poll).toBe('True');
    expect(await cronJobArgs(kc, namespace)).toContain('--prune-registry=false');
  });

  it('TestPruneRegistryFlag: --prune-registry=true while Managed, false once Removed', async () => {
    await applyConfig(kc, 'Managed');
    await applyImageHostname(kc, hostname);
    app = await startPruner(kc, { namespace });
    await expect.poll(() => cronJobArgs(kc, namespace), poll).toContain('--prune-registry=true');
    await applyConfig(kc, 'Removed');
    await expect.poll(() => cronJobArgs(kc, namespace), poll).toContain('--prune-registry=false');
    expect((await cronJobArgs(kc, namespace)).some((a) => a.startsWith('--registry-url'))).toBe(false);
  });

  it('TestPruner: upstream args, then suspend, schedule and ignoreInvalidImageReferences follow the spec', async () => {
    await applyConfig(kc, 'Managed');
    await applyImageHostname(kc, hostname);
    app = await startPruner(kc, { namespace });
    await expect.poll(() => cronJobArgs(kc, namespace), poll).toEqual(
      expect.arrayContaining(['--ignore-invalid-refs=true', `--registry-url=https://${hostname}`, '--keep-tag-revisions=3', '--keep-younger-than=60m']),
    );
    await patchPrunerSpec(kc, { suspend: true, schedule: '10 10 * * *', ignoreInvalidImageReferences: false });
    await expect.poll(() => prunerConditions(kc).then((c) => c['Scheduled']), poll).toEqual({
      status: 'False',
      reason: 'Suspended',
      message: 'The pruner job has been suspended',
    });
    const cj = await getOrUndefined<CronJobView>(kc, cronJobPath(namespace));
    expect(cj?.spec).toMatchObject({ suspend: true, schedule: '10 10 * * *' });
    expect(await cronJobArgs(kc, namespace)).toContain('--ignore-invalid-refs=false');
    await expect.poll(() => app?.registry.getSingleMetricAsString('image_registry_operator_image_pruner_install_status'), poll).toContain('status 1');
  });

  it('TestPrunerPodCompletes and TestPrunerIgnoreInvalidImageReferences: a per-minute schedule runs a pod to Succeeded', async () => {
    await applyConfig(kc, 'Managed');
    await applyImageHostname(kc, hostname);
    app = await startPruner(kc, { namespace });
    await expect.poll(() => getOrUndefined(kc, prunerPath), poll).toBeDefined();
    await patchPrunerSpec(kc, { schedule: '* * * * *', suspend: false, ignoreInvalidImageReferences: true });
    await expect
      .poll(async () => {
        const p = await getOrUndefined<PrunerView>(kc, prunerPath);
        return p?.status?.observedGeneration === p?.metadata.generation;
      }, poll)
      .toBe(true);
    expect(await cronJobArgs(kc, namespace)).toContain('--ignore-invalid-refs=true');
    interface PodList {
      items: { metadata: { name: string }; status?: { phase?: string }; spec: { containers: { args?: string[] }[] } }[];
    }
    await expect
      .poll(
        async () => {
          const pods = await kubeRequest<PodList>(kc, 'GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3Dimage-pruner`);
          return pods.items.some(
            (p) => p.metadata.name.startsWith('image-pruner-') && p.status?.phase === 'Succeeded' && (p.spec.containers[0]?.args ?? []).includes('--ignore-invalid-refs=true'),
          );
        },
        { timeout: 180_000, interval: 2000 },
      )
      .toBe(true);
    // The Job the CronJob made is the newest finished one, and it completed.
    await expect.poll(() => prunerConditions(kc).then((c) => c['Failed']), poll).toEqual({ status: 'False', reason: 'Complete', message: 'Pruner completed successfully' });
  }, 300_000);

  it('repairs a deleted CronJob and an edited NetworkPolicy', async () => {
    await applyConfig(kc, 'Managed');
    await applyImageHostname(kc, hostname);
    app = await startPruner(kc, { namespace });
    await expect.poll(() => getOrUndefined(kc, cronJobPath(namespace)), poll).toBeDefined();
    await kubeRequest(kc, 'DELETE', cronJobPath(namespace));
    const npPath = `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/image-pruner-networkpolicy`;
    await kubeRequest(kc, 'PATCH', npPath, { spec: { podSelector: { matchLabels: { app: 'other' } } } }, 'application/merge-patch+json');
    await expect.poll(() => getOrUndefined(kc, cronJobPath(namespace)), poll).toBeDefined();
    await expect
      .poll(() => getOrUndefined<{ spec: { podSelector: unknown } }>(kc, npPath).then((np) => np?.spec.podSelector), poll)
      .toEqual({ matchLabels: { app: 'image-pruner' } });
  });
});
