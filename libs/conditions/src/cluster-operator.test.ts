import { describe, expect, it } from 'vitest';
import { clusterOperatorInputs, imageRegistryClusterOperatorConditions } from './cluster-operator.ts';
import type { Condition, ConditionStatus } from './types.ts';

const at = '2024-05-01T10:00:00Z';
const c = (type: string, status: ConditionStatus, reason = '', message = ''): Condition => {
  const condition: Condition = { type, status, lastTransitionTime: at };
  if (reason !== '') condition.reason = reason;
  if (message !== '') condition.message = message;
  return condition;
};

const nodeCA = [
  c('NodeCADaemonAvailable', 'True', 'AsExpected', 'The daemon set node-ca has available replicas'),
  c('NodeCADaemonProgressing', 'False', 'AsExpected', 'The daemon set node-ca is deployed'),
  c('NodeCADaemonControllerDegraded', 'False', 'AsExpected'),
  c('ImageRegistryCertificatesControllerDegraded', 'False', 'AsExpected'),
];
const others = [
  c('StorageExists', 'True', 'S3 Bucket Exists'),
  c('ImageConfigControllerDegraded', 'False', 'AsExpected'),
];
const healthyPruner = [
  c('Available', 'True', 'AsExpected', 'Pruner CronJob has been created'),
  c('Scheduled', 'True', 'Scheduled', 'The pruner job has been scheduled'),
  c('Failed', 'False', 'Complete', 'Pruner completed successfully'),
  c('Degraded', 'False', 'AsExpected'),
];

function byType(result: ReturnType<typeof imageRegistryClusterOperatorConditions>) {
  return Object.fromEntries(
    result.map((u) => [u.type, { status: u.status, reason: u.reason, message: u.message }]),
  );
}

describe('ClusterOperator image-registry conditions', () => {
  it('reports a healthy registry as upstream does: Available/Ready with one line per available component', () => {
    const config = [
      c('Available', 'True', 'Ready', 'The registry is ready'),
      c('Progressing', 'False', 'Ready', 'The registry is ready'),
      c('Degraded', 'False'),
      c('Removed', 'False'),
      ...nodeCA,
      ...others,
    ];
    expect(byType(imageRegistryClusterOperatorConditions(config, healthyPruner))).toEqual({
      Available: {
        status: 'True',
        reason: 'Ready',
        message:
          'Available: The registry is ready\n' +
          'NodeCADaemonAvailable: The daemon set node-ca has available replicas\n' +
          'ImagePrunerAvailable: Pruner CronJob has been created',
      },
      Progressing: {
        status: 'False',
        reason: 'Ready',
        message:
          'Progressing: The registry is ready\nNodeCADaemonProgressing: The daemon set node-ca is deployed',
      },
      Degraded: { status: 'False', reason: 'AsExpected', message: '' },
    });
  });

  it('reports Removed on all three conditions when the registry is removed', () => {
    const config = [
      c('Available', 'True', 'Removed', 'The registry is removed'),
      c('Progressing', 'False', 'Removed', 'All registry resources are removed'),
      c('Degraded', 'False', 'Removed', 'The registry is removed'),
      c('Removed', 'True', 'Removed', 'The registry is removed'),
      ...nodeCA,
    ];
    const result = byType(imageRegistryClusterOperatorConditions(config, healthyPruner));
    expect(result['Available']).toMatchObject({ status: 'True', reason: 'Removed' });
    expect(result['Progressing']).toMatchObject({ status: 'False', reason: 'Removed' });
    expect(result['Degraded']).toEqual({
      status: 'False',
      reason: 'Removed',
      message: 'Degraded: The registry is removed',
    });
  });

  it('puts Available first, where consumers that read conditions[0].reason look for Removed', () => {
    const config = [c('Degraded', 'False', 'Removed'), c('Available', 'True', 'Removed')];
    const result = imageRegistryClusterOperatorConditions(config, []);
    expect(result[0]).toMatchObject({ type: 'Available', reason: 'Removed' });
  });

  it('reports Unmanaged with the upstream message when the registry is unmanaged', () => {
    const unmanaged = 'The registry configuration is set to unmanaged mode';
    const config = [
      c('Available', 'True', 'Unmanaged', unmanaged),
      c('Progressing', 'False', 'Unmanaged', unmanaged),
      c('Degraded', 'False', 'Unmanaged', unmanaged),
      ...nodeCA,
    ];
    expect(byType(imageRegistryClusterOperatorConditions(config, healthyPruner))).toEqual({
      Available: {
        status: 'True',
        reason: 'Unmanaged',
        message: `Available: ${unmanaged}\nNodeCADaemonAvailable: The daemon set node-ca has available replicas\nImagePrunerAvailable: Pruner CronJob has been created`,
      },
      Progressing: {
        status: 'False',
        reason: 'Unmanaged',
        message: `Progressing: ${unmanaged}\nNodeCADaemonProgressing: The daemon set node-ca is deployed`,
      },
      Degraded: { status: 'False', reason: 'Unmanaged', message: `Degraded: ${unmanaged}` },
    });
  });

  it('turns Degraded with reason ImagePrunerJobFailed when the prune job failed', () => {
    const pruner = [
      ...healthyPruner.slice(0, 3),
      c('Degraded', 'True', 'JobFailed', 'Job has reached the specified backoff limit'),
    ];
    const result = byType(imageRegistryClusterOperatorConditions([c('Degraded', 'False')], pruner));
    expect(result['Degraded']).toEqual({
      status: 'True',
      reason: 'ImagePrunerJobFailed',
      message: 'ImagePrunerDegraded: Job has reached the specified backoff limit',
    });
  });

  it('orders inputs the same however the apps happened to write them', () => {
    const config = [c('Available', 'True', 'Ready', 'r'), ...nodeCA, ...others];
    const shuffled = [...config].reverse();
    expect(clusterOperatorInputs(shuffled, healthyPruner)).toEqual(
      clusterOperatorInputs(config, healthyPruner),
    );
    expect(clusterOperatorInputs(config, healthyPruner).map((x) => x.type)).toEqual([
      'Available',
      'ImageConfigControllerDegraded',
      'ImageRegistryCertificatesControllerDegraded',
      'NodeCADaemonAvailable',
      'NodeCADaemonControllerDegraded',
      'NodeCADaemonProgressing',
      'StorageExists',
      'ImagePrunerAvailable',
      'ImagePrunerDegraded',
      'ImagePrunerFailed',
      'ImagePrunerScheduled',
    ]);
  });
});
