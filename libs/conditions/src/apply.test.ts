import { describe, expect, it } from 'vitest';
import { ConditionsApplyError, statusConditionsApply } from './apply.ts';
import type { Condition } from './types.ts';

const now = new Date('2024-05-01T12:00:00Z');
const current: Condition[] = [
  { type: 'Available', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'Ready' },
  {
    type: 'NodeCADaemonAvailable',
    status: 'True',
    lastTransitionTime: '2024-04-01T10:00:00Z',
    reason: 'AsExpected',
  },
  {
    type: 'NodeCADaemonProgressing',
    status: 'True',
    lastTransitionTime: '2024-04-01T10:00:00Z',
    reason: 'Progressing',
  },
];

describe('statusConditionsApply', () => {
  it('builds a minimal /status apply body holding only the given conditions', () => {
    const body = statusConditionsApply({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      name: 'cluster',
      current,
      conditions: [
        {
          type: 'NodeCADaemonAvailable',
          status: 'True',
          reason: 'AsExpected',
          message: 'The daemon set node-ca has available replicas',
        },
        {
          type: 'NodeCADaemonProgressing',
          status: 'False',
          reason: 'AsExpected',
          message: 'The daemon set node-ca is deployed',
        },
      ],
      now,
    });
    expect(body).toEqual({
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      status: {
        conditions: [
          {
            type: 'NodeCADaemonAvailable',
            status: 'True',
            lastTransitionTime: '2024-04-01T10:00:00Z',
            reason: 'AsExpected',
            message: 'The daemon set node-ca has available replicas',
          },
          {
            type: 'NodeCADaemonProgressing',
            status: 'False',
            lastTransitionTime: '2024-05-01T12:00:00Z',
            reason: 'AsExpected',
            message: 'The daemon set node-ca is deployed',
          },
        ],
      },
    });
  });

  it('stamps a condition the object does not have yet with now', () => {
    const body = statusConditionsApply({
      apiVersion: 'v',
      kind: 'K',
      name: 'n',
      current: undefined,
      conditions: [{ type: 'StorageExists', status: 'True' }],
      now,
    });
    expect(body.status.conditions[0]?.lastTransitionTime).toBe('2024-05-01T12:00:00Z');
  });

  it('carries the namespace for namespaced objects', () => {
    const body = statusConditionsApply({
      apiVersion: 'v',
      kind: 'K',
      name: 'n',
      namespace: 'ns',
      current: [],
      conditions: [],
      now,
    });
    expect(body.metadata).toEqual({ name: 'n', namespace: 'ns' });
  });

  it("refuses a type outside the app's own types", () => {
    expect(() =>
      statusConditionsApply({
        apiVersion: 'v',
        kind: 'K',
        name: 'n',
        current,
        conditions: [{ type: 'Available', status: 'True' }],
        ownedTypes: ['NodeCADaemonAvailable'],
        now,
      }),
    ).toThrow(ConditionsApplyError);
  });

  it('refuses the same type twice', () => {
    const twice = [
      { type: 'StorageExists', status: 'True' as const },
      { type: 'StorageExists', status: 'False' as const },
    ];
    expect(() =>
      statusConditionsApply({ apiVersion: 'v', kind: 'K', name: 'n', current, conditions: twice, now }),
    ).toThrow(/twice/);
  });
});
