import { describe, expect, it } from 'vitest';
import { renderCronJob, type CronJobInput } from './cronjob.ts';
import { keepYoungerThan, retryScript } from './job-command.ts';
import { registryStorageMounts } from './registry-storage.ts';

const base: CronJobInput = {
  namespace: 'openshift-image-registry',
  ownerUid: 'uid-1',
  flavour: 'oc',
  image: 'cli:latest',
  spec: { logLevel: 'Normal', keepTagRevisions: 3, ignoreInvalidImageReferences: true },
  internalRegistryHostname: 'image-registry.openshift-image-registry.svc:5000',
  managementState: 'Managed',
  registry: undefined,
};

const podSpec = (input: CronJobInput) => renderCronJob(input).spec?.jobTemplate.spec?.template.spec;
const container = (input: CronJobInput) => podSpec(input)?.containers[0];

describe('renderCronJob', () => {
  it('sets every upstream field with upstream defaults', () => {
    const cj = renderCronJob(base);
    expect(cj.metadata).toMatchObject({ name: 'image-pruner', namespace: 'openshift-image-registry' });
    expect(cj.spec).toMatchObject({
      suspend: false,
      schedule: '0 0 * * *',
      concurrencyPolicy: 'Forbid',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 3,
      startingDeadlineSeconds: 3600,
      jobTemplate: { metadata: { labels: { 'created-by': 'image-pruner' } }, spec: { backoffLimit: 0 } },
    });
    const template = cj.spec?.jobTemplate.spec?.template;
    // Not sent empty: the server does not store an empty map or list, and applyIsNoop compares with what it stores.
    expect(template?.spec).not.toHaveProperty('nodeSelector');
    expect(template?.spec).not.toHaveProperty('tolerations');
    expect(template?.metadata).toEqual({ labels: { app: 'image-pruner' }, annotations: { 'openshift.io/required-scc': 'restricted-v2' } });
    expect(template?.spec).toMatchObject({
      restartPolicy: 'Never',
      serviceAccountName: 'pruner',
      priorityClassName: 'system-cluster-critical',
      affinity: {},
      volumes: [{ name: 'serviceca', configMap: { name: 'serviceca' } }],
    });
    expect(container(base)).toMatchObject({
      name: 'image-pruner',
      image: 'cli:latest',
      resources: { requests: { cpu: '100m', memory: '256Mi' } },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      securityContext: { readOnlyRootFilesystem: true },
      command: ['/bin/sh'],
      volumeMounts: [{ name: 'serviceca', mountPath: '/var/run/configmaps/serviceca', readOnly: true }],
    });
  });

  it("runs upstream's oc adm prune images command line where the image API exists", () => {
    expect(container(base)?.args).toEqual([
      '-c',
      retryScript,
      'arg0',
      'oc',
      'adm',
      'prune',
      'images',
      '--confirm=true',
      '--certificate-authority=/var/run/configmaps/serviceca/service-ca.crt',
      '--keep-tag-revisions=3',
      '--keep-younger-than=60m',
      '--ignore-invalid-refs=true',
      '--loglevel=1',
      '--prune-registry=true',
      '--registry-url=https://image-registry.openshift-image-registry.svc:5000',
    ]);
  });

  it.each(['Removed', 'Unmanaged'])('does not prune the registry when it is %s', (managementState) => {
    const args = container({ ...base, managementState })?.args ?? [];
    expect(args).toContain('--prune-registry=false');
    expect(args.some((a) => a.startsWith('--registry-url'))).toBe(false);
  });

  it('does not prune the registry without a hostname', () => {
    expect(container({ ...base, internalRegistryHostname: '' })?.args).toContain('--prune-registry=false');
  });

  it('takes the spec: schedule, suspend, limits, resources, scheduling, durations, log level', () => {
    const input: CronJobInput = {
      ...base,
      spec: {
        schedule: '10 10 * * *',
        suspend: true,
        failedJobsHistoryLimit: 1,
        successfulJobsHistoryLimit: 2,
        keepTagRevisions: 5,
        keepYoungerThanDuration: '90m',
        keepYoungerThan: 10_000_000_000,
        ignoreInvalidImageReferences: false,
        logLevel: 'Debug',
        resources: { requests: { cpu: '1', memory: '1Gi' } },
        nodeSelector: { role: 'infra' },
        tolerations: [{ key: 'infra', operator: 'Exists' }],
        affinity: { nodeAffinity: {} },
      },
    };
    const cj = renderCronJob(input);
    expect(cj.spec).toMatchObject({ schedule: '10 10 * * *', suspend: true, failedJobsHistoryLimit: 1, successfulJobsHistoryLimit: 2 });
    expect(podSpec(input)).toMatchObject({ nodeSelector: { role: 'infra' }, tolerations: [{ key: 'infra', operator: 'Exists' }], affinity: { nodeAffinity: {} } });
    expect(container(input)?.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' } });
    // As the server stores them: anything else would be re-applied on every pass.
    const loose = { ...input, spec: { ...input.spec, resources: { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: '1000m' } } } };
    expect(container(loose)?.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } });
    expect(container(input)?.args).toEqual(
      expect.arrayContaining(['--keep-tag-revisions=5', '--keep-younger-than=1h30m0s', '--ignore-invalid-refs=false', '--loglevel=4']),
    );
  });

  it('passes the deprecated keepYoungerThan nanoseconds as a Go duration', () => {
    expect(keepYoungerThan({ keepYoungerThan: 10_000_000_000 })).toBe('10s');
    expect(keepYoungerThan({})).toBe('60m');
  });

  it('runs our prune command with the same flags where there is no image API', () => {
    const registry = registryStorageMounts({
      spec: {
        template: {
          spec: {
            volumes: [
              { name: 'registry-storage', persistentVolumeClaim: { claimName: 'image-registry-storage' } },
              { name: 'registry-tls', projected: { sources: [] } },
            ],
            containers: [
              {
                name: 'registry',
                image: 'registry:3',
                volumeMounts: [
                  { name: 'registry-storage', mountPath: '/registry' },
                  { name: 'registry-tls', mountPath: '/etc/secrets' },
                ],
              },
            ],
          },
        },
      },
    });
    const input: CronJobInput = { ...base, flavour: 'registry-api', image: 'pruner:1', registry };
    const c = container(input);
    // No shell in the app image: node runs the command, which retries by itself.
    expect(c?.command).toEqual(['node']);
    expect(c?.args?.slice(0, 3)).toEqual(['/app/main.mjs', 'prune', '--retries=5']);
    expect(c?.args).toEqual(expect.arrayContaining(['--prune-registry=true', '--namespace=openshift-image-registry']));
    expect(podSpec(input)?.initContainers?.[0]).toMatchObject({ name: 'registry-binary', image: 'registry:3' });
    // The storage claim comes along; the registry's serving key does not.
    expect(c?.volumeMounts?.map((m) => m.name)).toEqual(['serviceca', 'tmp', 'registry-binary', 'registry-storage']);
    expect(podSpec(input)?.volumes?.some((v) => v.name === 'registry-tls')).toBe(false);
  });
});
