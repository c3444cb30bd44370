import type { ManagementState } from '@image-registry/api';
import type { Condition } from '@image-registry/conditions';
import { describe, expect, it } from 'vitest';
import {
  healthyAvailableMessage,
  healthyProgressingMessage,
  nodeCA,
  pruner,
  storage,
  workload,
} from '../../test/fixtures/conditions.ts';
import {
  configMissingMessage,
  notReportedMessage,
  renderClusterOperatorStatus,
  type ClusterOperatorInputs,
} from './cluster-operator.ts';
import type { ClusterOperatorStatus, RegistryDeployment } from './types.ts';

const now = new Date('2024-05-02T08:30:00Z');
const NOW = '2024-05-02T08:30:00Z';

const rolledOut: RegistryDeployment = {
  metadata: { generation: 3, annotations: { 'release.openshift.io/version': '4.99.0' } },
  status: { replicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 3 },
};

function render(
  over: Partial<ClusterOperatorInputs> & {
    configConditions?: Condition[];
    managementState?: ManagementState;
  },
) {
  const { configConditions, managementState, ...rest } = over;
  return renderClusterOperatorStatus({
    config: {
      spec: { managementState: managementState ?? 'Managed' },
      status: {
        conditions: configConditions ?? [...workload.ready(), ...nodeCA.ready(), ...storage.ready()],
      },
    },
    pruner: { status: { conditions: pruner.ready() } },
    deployment: rolledOut,
    releaseVersion: '4.99.0',
    namespace: 'openshift-image-registry',
    previous: undefined,
    now,
    ...rest,
  });
}

function condition(status: ClusterOperatorStatus, type: string) {
  return status.conditions?.find((c) => c.type === type);
}

describe('renderClusterOperatorStatus', () => {
  it('reports a healthy registry with upstream exact texts and reason Ready', () => {
    const status = render({});
    expect(status.conditions).toEqual([
      {
        type: 'Available',
        status: 'True',
        reason: 'Ready',
        message: healthyAvailableMessage,
        lastTransitionTime: NOW,
      },
      {
        type: 'Progressing',
        status: 'False',
        reason: 'Ready',
        message: healthyProgressingMessage,
        lastTransitionTime: NOW,
      },
      { type: 'Degraded', status: 'False', reason: 'AsExpected', lastTransitionTime: NOW },
    ]);
  });

  it('gives the same message whichever app wrote its conditions to the Config first', () => {
    const status = render({ configConditions: [...nodeCA.ready(), ...storage.ready(), ...workload.ready()] });
    expect(condition(status, 'Available')?.message).toBe(healthyAvailableMessage);
    expect(condition(status, 'Progressing')?.message).toBe(healthyProgressingMessage);
  });

  it('reports Removed when the registry is removed', () => {
    const status = render({
      managementState: 'Removed',
      configConditions: [...workload.removed(), ...nodeCA.ready()],
    });
    expect(condition(status, 'Available')).toMatchObject({ status: 'True', reason: 'Removed' });
    expect(condition(status, 'Available')?.message).toBe(
      'Available: The registry is removed\n' +
        'NodeCADaemonAvailable: The daemon set node-ca has available replicas\n' +
        'ImagePrunerAvailable: Pruner CronJob has been created',
    );
    expect(condition(status, 'Progressing')).toMatchObject({ status: 'False', reason: 'Removed' });
    expect(condition(status, 'Degraded')).toEqual({
      type: 'Degraded',
      status: 'False',
      reason: 'Removed',
      message: 'Degraded: The registry is removed',
      lastTransitionTime: NOW,
    });
  });

  it('reports Unmanaged when the registry is unmanaged', () => {
    const status = render({
      managementState: 'Unmanaged',
      configConditions: [...workload.unmanaged(), ...nodeCA.ready()],
    });
    for (const type of ['Available', 'Progressing', 'Degraded']) {
      expect(condition(status, type)?.reason).toBe('Unmanaged');
      expect(condition(status, type)?.message?.split('\n')[0]).toBe(
        `${type}: The registry configuration is set to unmanaged mode`,
      );
    }
    expect(condition(status, 'Available')?.status).toBe('True');
    expect(condition(status, 'Progressing')?.status).toBe('False');
    expect(condition(status, 'Degraded')?.status).toBe('False');
  });

  it('reports Degraded with every failing reason, prefixed by the app that reported it', () => {
    const status = render({
      configConditions: [...workload.noReplicas(), ...nodeCA.failing()],
      pruner: { status: { conditions: pruner.jobFailed() } },
    });
    expect(condition(status, 'Available')).toMatchObject({
      status: 'False',
      reason: 'NoReplicasAvailable::NodeCADaemonNoAvailableReplicas',
    });
    expect(condition(status, 'Degraded')).toMatchObject({
      status: 'True',
      reason: 'ImagePrunerJobFailed::NodeCADaemonControllerError::Unavailable',
      message:
        'Degraded: The deployment does not have available replicas\n' +
        'NodeCADaemonControllerDegraded: failed to apply daemonset: forbidden\n' +
        'NodeCADaemonControllerDegraded: retrying\n' +
        'ImagePrunerDegraded: Job has reached the specified backoff limit',
    });
    expect(condition(status, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'DeploymentNotCompleted',
    });
  });

  it('reports Unknown when a contributing condition is Unknown and none is abnormal', () => {
    const conditions = [...workload.ready(), ...nodeCA.ready()].map((c) =>
      c.type === 'NodeCADaemonAvailable' ? { ...c, status: 'Unknown' as const, reason: 'Unknown' } : c,
    );
    expect(condition(render({ configConditions: conditions }), 'Available')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeCADaemonUnknown::Ready',
    });
  });

  it('says the configuration is missing, with Unknown conditions, when Config/cluster does not exist', () => {
    const status = render({ config: undefined });
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'Unknown', 'ConfigMissing'],
      ['Progressing', 'Unknown', 'ConfigMissing'],
      ['Degraded', 'Unknown', 'ConfigMissing'],
    ]);
    expect(condition(status, 'Available')?.message).toBe(configMissingMessage);
    expect(configMissingMessage).toMatch(
      /configs\.imageregistry\.operator\.openshift\.io\/cluster does not exist/,
    );
  });

  it('reports Unknown, not healthy, while registry-workload has not reported the registry', () => {
    const status = render({ configConditions: [...nodeCA.ready(), ...storage.ready()] });
    expect(condition(status, 'Available')).toMatchObject({
      status: 'Unknown',
      reason: 'NotReported',
      message:
        `Available: ${notReportedMessage}\n` +
        'NodeCADaemonAvailable: The daemon set node-ca has available replicas\n' +
        'ImagePrunerAvailable: Pruner CronJob has been created',
    });
    expect(condition(status, 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'NotReported' });
    expect(condition(status, 'Degraded')).toMatchObject({ status: 'Unknown', reason: 'NotReported' });
  });

  it('lets a failing app decide even before registry-workload has reported', () => {
    const status = render({ configConditions: nodeCA.failing() });
    expect(condition(status, 'Available')).toMatchObject({
      status: 'False',
      reason: 'NodeCADaemonNoAvailableReplicas::NotReported',
    });
    expect(condition(status, 'Degraded')).toMatchObject({ status: 'True' });
  });

  it('leaves the pruner out when ImagePruner/cluster does not exist', () => {
    const status = render({ pruner: undefined });
    expect(condition(status, 'Available')?.message).toBe(
      'Available: The registry is ready\nNodeCADaemonAvailable: The daemon set node-ca has available replicas',
    );
  });

  it('keeps a transition time while the status stays and moves it when the status changes', () => {
    const previous = render({});
    const later = new Date('2024-05-03T00:00:00Z');
    const minimum = workload
      .ready()
      .map((c) =>
        c.type === 'Available'
          ? { ...c, reason: 'MinimumAvailability', message: 'The registry has minimum availability' }
          : c,
      );
    const same = render({ previous, now: later, configConditions: [...minimum, ...nodeCA.ready()] });
    expect(condition(same, 'Available')).toMatchObject({
      status: 'True',
      reason: 'MinimumAvailability',
      lastTransitionTime: NOW,
    });
    expect(condition(same, 'Available')?.message?.split('\n')[0]).toBe(
      'Available: The registry has minimum availability',
    );

    const failing = render({
      previous,
      now: later,
      configConditions: [...workload.noReplicas(), ...nodeCA.ready()],
    });
    expect(failing.conditions?.map((c) => c.lastTransitionTime)).toEqual([
      '2024-05-03T00:00:00Z',
      '2024-05-03T00:00:00Z',
      '2024-05-03T00:00:00Z',
    ]);
  });

  it('renders the same status from the same inputs, so an unchanged cluster needs no write', () => {
    const first = render({});
    expect(render({ previous: first, now: new Date('2030-01-01T00:00:00Z') })).toEqual(first);
  });

  it('lists the objects must-gather collects, in upstream order, with the operand namespace', () => {
    expect(render({ namespace: 'registry' }).relatedObjects).toEqual([
      { group: 'imageregistry.operator.openshift.io', resource: 'configs', name: 'cluster' },
      { group: 'imageregistry.operator.openshift.io', resource: 'imagepruners', name: 'cluster' },
      { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'system:registry' },
      { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', name: 'registry-registry-role' },
      {
        group: 'rbac.authorization.k8s.io',
        resource: 'clusterrolebindings',
        name: 'openshift-image-registry-pruner',
      },
      { group: '', resource: 'namespaces', name: 'registry' },
    ]);
  });
});

describe('versions', () => {
  const previous: ClusterOperatorStatus = { versions: [{ name: 'operator', version: '4.98.0' }] };

  it('reports the version of a Managed registry once its Deployment is available and updated', () => {
    expect(render({ previous }).versions).toEqual([{ name: 'operator', version: '4.99.0' }]);
  });

  it('keeps the old version while the Deployment rolls out', () => {
    const rolling: RegistryDeployment = {
      ...rolledOut,
      status: { replicas: 3, updatedReplicas: 1, availableReplicas: 2, observedGeneration: 3 },
    };
    expect(render({ previous, deployment: rolling }).versions).toEqual(previous.versions);
    const unobserved: RegistryDeployment = {
      ...rolledOut,
      metadata: { ...rolledOut.metadata, generation: 4 },
    };
    expect(render({ previous, deployment: unobserved }).versions).toEqual(previous.versions);
    const unavailable: RegistryDeployment = {
      ...rolledOut,
      status: { replicas: 2, updatedReplicas: 2, availableReplicas: 0, observedGeneration: 3 },
    };
    expect(render({ previous, deployment: unavailable }).versions).toEqual(previous.versions);
  });

  it('reports no version of a Managed registry before its Deployment exists', () => {
    expect(render({ deployment: undefined }).versions).toBeUndefined();
    expect(render({ previous, deployment: undefined }).versions).toEqual(previous.versions);
  });

  it('takes the version from the Deployment annotation, as upstream, else the release version', () => {
    const annotated: RegistryDeployment = {
      ...rolledOut,
      metadata: { ...rolledOut.metadata, annotations: { 'release.openshift.io/version': '4.98.5' } },
    };
    expect(render({ deployment: annotated }).versions).toEqual([{ name: 'operator', version: '4.98.5' }]);
    const bare: RegistryDeployment = { ...rolledOut, metadata: { generation: 3 } };
    expect(render({ deployment: bare }).versions).toEqual([{ name: 'operator', version: '4.99.0' }]);
  });

  it('reports the release version right away when the registry is Removed or Unmanaged', () => {
    for (const managementState of ['Removed', 'Unmanaged'] as const) {
      expect(render({ managementState, deployment: undefined, previous }).versions).toEqual([
        { name: 'operator', version: '4.99.0' },
      ]);
    }
  });

  it('keeps the previous versions when the release version is unknown', () => {
    expect(render({ managementState: 'Removed', releaseVersion: '', previous }).versions).toEqual(
      previous.versions,
    );
    expect(render({ managementState: 'Removed', releaseVersion: '' }).versions).toBeUndefined();
  });

  it('keeps the previous versions while Config/cluster is missing', () => {
    expect(render({ config: undefined, previous }).versions).toEqual(previous.versions);
  });
});
