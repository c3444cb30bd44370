// nodecadaemon_test.go TestNodeCADaemonChangesReverted: a user's edit of the node-ca DaemonSet is undone.
import { afterEach, describe, expect, it } from 'vitest';
import { kubeRequest } from '@image-registry/testing';
import { ensureAvailable, freshConfig, get, kc, namespace, teardown, timeout } from '../src/helpers.ts';

const daemonSetPath = `/apis/apps/v1/namespaces/${namespace}/daemonsets/node-ca`;
const tolerations = async () =>
  (await get<{ spec: { template: { spec: { tolerations?: unknown[] } } } }>(daemonSetPath))?.spec.template
    .spec.tolerations;

describe('node-ca daemon', () => {
  afterEach(teardown);

  it('TestNodeCADaemonChangesReverted', async () => {
    await freshConfig({});
    await ensureAvailable();
    await expect.poll(() => get(daemonSetPath), { timeout }).toBeDefined();
    await kubeRequest(
      kc,
      'PATCH',
      daemonSetPath,
      [{ op: 'remove', path: '/spec/template/spec/tolerations' }],
      'application/json-patch+json',
    );
    await expect.poll(tolerations, { timeout }).toEqual([{ operator: 'Exists' }]);
  });
});
