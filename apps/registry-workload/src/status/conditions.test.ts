import type { Condition } from '@image-registry/conditions';
import { describe, expect, it } from 'vitest';
import { registryConditions, type ObservedDeployment, type StatusInput } from './conditions.ts';

const now = new Date('2025-01-01T12:00:00Z');
const applied = { kind: 'applied' } as const;

function ready(replicas = 2): ObservedDeployment {
  return {
    metadata: { generation: 3 },
    spec: { replicas },
    status: {
      observedGeneration: 3,
      availableReplicas: replicas,
      readyReplicas: replicas,
      conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' }],
    },
  };
}

function run(partial: Partial<StatusInput>) {
  return registryConditions({ managementState: 'Managed', deployment: undefined, outcome: applied, previous: [], now, ...partial });
}

function byType(r: ReturnType<typeof run>) {
  return Object.fromEntries(r.conditions.map((c) => [c.type, c]));
}

describe('registryConditions', () => {
  it('reports a ready registry as Available Ready, not Progressing, not Degraded', () => {
    const r = run({ deployment: ready() });
    expect(r.conditions).toEqual([
      { type: 'Available', status: 'True', reason: 'Ready', message: 'The registry is ready' },
      { type: 'Progressing', status: 'False', reason: 'Ready', message: 'The registry is ready' },
      { type: 'Degraded', status: 'False' },
      { type: 'Removed', status: 'False' },
    ]);
    expect(r.readyReplicas).toBe(2);
  });

  it('reports Unmanaged on all three', () => {
    const c = byType(run({ managementState: 'Unmanaged', deployment: ready() }));
    for (const t of ['Available', 'Progressing', 'Degraded']) expect(c[t]?.reason).toBe('Unmanaged');
    expect([c['Available']?.status, c['Progressing']?.status, c['Degraded']?.status]).toEqual(['True', 'False', 'False']);
  });

  it('reports Removed exactly as upstream once the deployment is gone', () => {
    expect(run({ managementState: 'Removed' }).conditions).toEqual([
      { type: 'Available', status: 'True', reason: 'Removed', message: 'The registry is removed' },
      { type: 'Progressing', status: 'False', reason: 'Removed', message: 'All registry resources are removed' },
      { type: 'Degraded', status: 'False', reason: 'Removed', message: 'The registry is removed' },
      { type: 'Removed', status: 'True', reason: 'Removed', message: 'The registry is removed' },
    ]);
    expect(byType(run({ managementState: 'Removed', deployment: ready() }))['Progressing']).toMatchObject({
      status: 'True',
      reason: 'DeletingDeployment',
    });
  });

  it('waits for storage with the storage condition message', () => {
    const c = byType(run({ outcome: { kind: 'waitingForStorage', message: 'S3 bucket is being created' } }));
    expect(c['Progressing']).toEqual({ type: 'Progressing', status: 'True', reason: 'WaitingForStorage', message: 'S3 bucket is being created' });
    expect(c['Available']).toMatchObject({ status: 'False', reason: 'DeploymentNotFound' });
  });

  it('reports bad input as Degraded with the error, not progressing', () => {
    const c = byType(
      run({ outcome: { kind: 'error', permanent: true, reason: 'VerificationFailed', message: 'replicas must be greater than or equal to 0' } }),
    );
    expect(c['Degraded']).toEqual({ type: 'Degraded', status: 'True', reason: 'VerificationFailed', message: 'Error: replicas must be greater than or equal to 0' });
    expect(c['Available']).toMatchObject({ status: 'False', reason: 'VerificationFailed' });
    expect(c['Progressing']).toMatchObject({ status: 'False', reason: 'Error', message: 'Unable to apply resources: replicas must be greater than or equal to 0' });
  });

  it('keeps Progressing True for a transient apply error', () => {
    const c = byType(run({ deployment: ready(), outcome: { kind: 'error', permanent: false, reason: 'Error', message: 'boom' } }));
    expect(c['Progressing']).toMatchObject({ status: 'True', reason: 'Error' });
    expect(c['Degraded']?.status).toBe('False');
  });

  it('distinguishes no available replicas, minimum availability and an unfinished rollout', () => {
    const none = { ...ready(), status: { ...ready().status, availableReplicas: 0 } };
    expect(byType(run({ deployment: none }))['Available']).toMatchObject({ status: 'False', reason: 'NoReplicasAvailable' });
    const some = { ...ready(), status: { ...ready().status, availableReplicas: 1 } };
    expect(byType(run({ deployment: some }))['Available']).toMatchObject({ status: 'True', reason: 'MinimumAvailability' });
    const rolling = { ...ready(), metadata: { generation: 4 } };
    expect(byType(run({ deployment: rolling }))['Progressing']).toMatchObject({ status: 'True', reason: 'DeploymentNotCompleted' });
  });

  it('turns Degraded Unavailable after Available has been False for 5 minutes', () => {
    const previous = (minutesAgo: number): Condition[] => [
      { type: 'Available', status: 'False', reason: 'DeploymentNotFound', lastTransitionTime: new Date(now.getTime() - minutesAgo * 60_000).toISOString() },
    ];
    const early = run({ previous: previous(2) });
    expect(byType(early)['Degraded']?.status).toBe('False');
    expect(early.recheckAfterMs).toBe(3 * 60_000);
    expect(byType(run({ previous: previous(6) }))['Degraded']).toEqual({
      type: 'Degraded',
      status: 'True',
      reason: 'Unavailable',
      message: 'The deployment does not exist',
    });
  });

  it('counts the 5 minutes from now when Available just changed', () => {
    const previous: Condition[] = [{ type: 'Available', status: 'True', reason: 'Ready', lastTransitionTime: '2020-01-01T00:00:00Z' }];
    const r = run({ previous });
    expect(byType(r)['Degraded']?.status).toBe('False');
    expect(r.recheckAfterMs).toBe(5 * 60_000);
  });

  it('reports ProgressDeadlineExceeded as Degraded with the deployment message', () => {
    const stuck: ObservedDeployment = {
      ...ready(),
      status: {
        ...ready().status,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "x" has timed out progressing.' }],
      },
    };
    expect(byType(run({ deployment: stuck }))['Degraded']).toEqual({
      type: 'Degraded',
      status: 'True',
      reason: 'ProgressDeadlineExceeded',
      message: 'Registry deployment has timed out progressing: ReplicaSet "x" has timed out progressing.',
    });
  });

  it('reports a deployment being deleted', () => {
    const deleting = { ...ready(), metadata: { ...ready().metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    const c = byType(run({ deployment: deleting }));
    expect(c['Available']).toMatchObject({ status: 'False', reason: 'DeploymentDeleted' });
    expect(c['Progressing']).toMatchObject({ status: 'True', reason: 'FinalizingDeployment' });
  });
});
