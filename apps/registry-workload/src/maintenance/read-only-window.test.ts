import { describe, expect, it } from 'vitest';
import { readOnlyWindowCondition, rolledOutReadOnly, withReadOnlyWindow, type WindowDeployment } from './read-only-window.ts';

const now = new Date('2026-01-01T10:00:00Z');
const request = (status: string, at: string) => [{ type: 'ReadOnlyWindowRequested', status, lastTransitionTime: at }];
const readOnlyDeployment: WindowDeployment = {
  metadata: { generation: 3 },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'registry', env: [{ name: 'REGISTRY_STORAGE_MAINTENANCE_READONLY', value: '{enabled: true}' }] }] } } },
  status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
};

describe('the read-only window in registry-workload', () => {
  it('renders the registry read-only while a request is live and looks again at the deadline', () => {
    const config = { spec: { readOnly: false }, status: { conditions: request('True', '2026-01-01T09:30:00Z') } };
    const w = withReadOnlyWindow(config, now);
    expect(w.config.spec.readOnly).toBe(true);
    expect(w.recheckAfterMs).toBe(30 * 60 * 1000);
    expect(config.spec.readOnly).toBe(false);
  });

  it('leaves the spec alone without a request, after a release and after the deadline', () => {
    for (const conditions of [[], request('False', '2026-01-01T09:59:00Z'), request('True', '2026-01-01T08:00:00Z')]) {
      const config = { spec: { readOnly: false }, status: { conditions } };
      expect(withReadOnlyWindow(config, now)).toEqual({ config });
    }
  });

  it('reports ReadOnly only once every replica runs the read-only template', () => {
    const conditions = request('True', '2026-01-01T09:30:00Z');
    expect(readOnlyWindowCondition(conditions, readOnlyDeployment, now)).toEqual({
      type: 'ReadOnlyWindow',
      status: 'True',
      reason: 'ReadOnly',
      message: 'Every registry pod is read-only for maintenance until 2026-01-01T10:30:00.000Z',
    });
    const rolling = { ...readOnlyDeployment, status: { ...readOnlyDeployment.status, updatedReplicas: 1, replicas: 3 } };
    expect(rolledOutReadOnly(rolling)).toBe(false);
    expect(readOnlyWindowCondition(conditions, rolling, now)).toMatchObject({ status: 'False', reason: 'Pending' });
  });

  it('says when the deadline ended a window nobody released, and says nothing without a request', () => {
    expect(readOnlyWindowCondition(request('True', '2026-01-01T08:00:00Z'), readOnlyDeployment, now)).toMatchObject({
      status: 'False',
      reason: 'Expired',
      message: expect.stringContaining('ended at its deadline 2026-01-01T09:00:00.000Z without being released'),
    });
    expect(readOnlyWindowCondition([], readOnlyDeployment, now)).toBeUndefined();
  });

  it('refuses a request stamped in the future', () => {
    expect(readOnlyWindowCondition(request('True', '2026-01-01T12:00:00Z'), readOnlyDeployment, now)).toMatchObject({ status: 'False', reason: 'Refused' });
  });
});
