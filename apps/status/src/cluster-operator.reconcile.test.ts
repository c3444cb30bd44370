import {
  KubeApiError,
  silentLogger,
  type ReconcileContext,
  type Request,
} from '@image-registry/controller-runtime';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { nodeCA, workload } from '../test/fixtures/conditions.ts';
import {
  ClusterOperatorReconciler,
  type ClusterOperatorReconcilerOptions,
  type Reader,
} from './cluster-operator.reconcile.ts';
import { ConditionMetrics } from './condition-metrics.ts';
import type { ClusterOperatorObject, ConfigObject } from './resources.ts';

const ctx: ReconcileContext = {
  signal: new AbortController().signal,
  log: silentLogger(),
  reconcileID: 'test',
};
const req: Request = { name: 'image-registry' };
const reader = <T>(obj?: T): Reader<T> => ({ get: () => obj });

const config: ConfigObject = {
  metadata: { name: 'cluster' },
  spec: { managementState: 'Managed' },
  status: { conditions: [...workload.ready(), ...nodeCA.ready()] },
};

/** A client that records what the reconciler sends and answers like the API server would. */
function fakeClient(opts: { existsOnCreate?: ClusterOperatorObject } = {}) {
  const calls: string[] = [];
  let stored: ClusterOperatorObject | undefined;
  let appliedOver: unknown;
  const client: ClusterOperatorReconcilerOptions['client'] = {
    create: async (_res, obj) => {
      calls.push('create');
      if (opts.existsOnCreate) {
        throw new KubeApiError({
          verb: 'create',
          path: '/clusteroperators',
          status: 409,
          body: { reason: 'AlreadyExists' },
        });
      }
      stored = { ...obj, metadata: { ...obj.metadata, uid: 'u1', resourceVersion: '1' } };
      return stored as never;
    },
    get: async () => {
      calls.push('get');
      return opts.existsOnCreate as never;
    },
    applyStatus: async (_res, desired, applyOpts) => {
      calls.push('applyStatus');
      appliedOver = applyOpts?.current;
      stored = {
        ...(applyOpts?.current ?? {}),
        ...desired,
        metadata: { ...applyOpts?.current?.metadata, resourceVersion: '2' },
      };
      return stored as never;
    },
  };
  return { client, calls, stored: () => stored, appliedOver: () => appliedOver };
}

function reconciler(
  client: ClusterOperatorReconcilerOptions['client'],
  clusterOperator?: ClusterOperatorObject,
) {
  return new ClusterOperatorReconciler({
    client,
    configs: reader(config),
    pruners: reader(),
    deployments: reader(),
    clusterOperators: reader(clusterOperator),
    namespace: 'openshift-image-registry',
    releaseVersion: '4.99.0',
    metrics: new ConditionMetrics(new Registry()),
    now: () => new Date('2030-01-01T00:00:00Z'),
  });
}

describe('ClusterOperatorReconciler', () => {
  it('creates the ClusterOperator without status, then applies the status in a second call', async () => {
    const fake = fakeClient();
    await reconciler(fake.client).reconcile(req, ctx);
    expect(fake.calls).toEqual(['create', 'applyStatus']);
    expect(fake.stored()?.status?.conditions?.[0]).toMatchObject({
      type: 'Available',
      status: 'True',
      reason: 'Ready',
    });
  });

  it('uses the existing ClusterOperator when another writer created it first', async () => {
    const existing: ClusterOperatorObject = {
      metadata: { name: 'image-registry', uid: 'cvo', resourceVersion: '7' },
      spec: {},
    };
    const fake = fakeClient({ existsOnCreate: existing });
    await reconciler(fake.client).reconcile(req, ctx);
    expect(fake.calls).toEqual(['create', 'get', 'applyStatus']);
    expect(fake.stored()?.metadata?.uid).toBe('cvo');
  });

  it('hands the cached ClusterOperator to the apply, so an unchanged status is not sent', async () => {
    const cached: ClusterOperatorObject = {
      metadata: { name: 'image-registry', uid: 'u1', resourceVersion: '9' },
      spec: {},
    };
    const fake = fakeClient();
    await reconciler(fake.client, cached).reconcile(req, ctx);
    expect(fake.calls).toEqual(['applyStatus']);
    expect(fake.appliedOver()).toBe(cached);
  });
});
