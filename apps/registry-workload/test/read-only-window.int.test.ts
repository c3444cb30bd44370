import { applyYaml, testKubeConfig } from '@image-registry/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { condition, envOf, getConfig, getDeployment, useWorkloadFixture, waitAvailable } from './support.ts';

const f = useWorkloadFixture({ beforeEach, afterEach }, testKubeConfig());
const poll = { timeout: 60_000, interval: 250 };
const readOnlyEnv = 'REGISTRY_STORAGE_MAINTENANCE_READONLY';

/** What the prune job applies to ask for (True) or release (False) the window. */
async function pruneJobRequests(status: 'True' | 'False', at: Date): Promise<void> {
  await applyYaml(
    f.kc,
    {
      apiVersion: 'imageregistry.operator.openshift.io/v1',
      kind: 'Config',
      metadata: { name: 'cluster' },
      status: {
        conditions: [
          {
            type: 'ReadOnlyWindowRequested',
            status,
            lastTransitionTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
            reason: status === 'True' ? 'GarbageCollection' : 'Released',
            message: 'test',
          },
        ],
      },
    },
    { fieldManager: 'image-registry-operator/pruner', subresource: 'status' },
  );
}

const windowCondition = async () => condition(await getConfig(f.kc), 'ReadOnlyWindow');
const readOnly = async () => envOf(await getDeployment(f.kc, f.ns))[readOnlyEnv];

describe('the read-only window registry-workload grants the prune job', () => {
  it('makes the registry read-only while asked, reports it, and restores writes on release', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    expect(await readOnly()).toBeUndefined();
    await pruneJobRequests('True', new Date());
    await expect.poll(readOnly, poll).toBe('{enabled: true}');
    await expect.poll(windowCondition, poll).toMatchObject({ status: 'True', reason: 'ReadOnly', message: expect.stringContaining('Every registry pod is read-only for maintenance until') });
    await pruneJobRequests('False', new Date());
    await expect.poll(readOnly, poll).toBeUndefined();
    await expect.poll(windowCondition, poll).toBeUndefined();
  });

  it('ends a window nobody released at its deadline, on its own', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    // Requested almost an hour ago: the window is open for a few more seconds only.
    await pruneJobRequests('True', new Date(Date.now() - 3600_000 + 8_000));
    await expect.poll(readOnly, poll).toBe('{enabled: true}');
    await expect.poll(windowCondition, poll).toMatchObject({ status: 'False', reason: 'Expired' });
    expect(await readOnly()).toBeUndefined();
    expect((await windowCondition())?.message).toContain('without being released; the registry accepts writes again');
  });

  it('leaves the registry writable when the admin set nothing and no window was asked for', async () => {
    await f.managed();
    await waitAvailable(f.kc);
    expect(await readOnly()).toBeUndefined();
    expect(await windowCondition()).toBeUndefined();
  });
});
