import { createTestNamespace, testKubeConfig } from '@image-registry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Resources } from '../src/resources.ts';
import { AppProcess } from './support/app-process.ts';
import { configMap, mirrored, userClient } from './support/harness.ts';

let app: AppProcess | undefined;
afterEach(() => {
  if (app?.alive) app.kill('SIGKILL');
});

describe('graceful shutdown', () => {
  it('on SIGTERM releases the lease and exits 0 within 30 s', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-sigterm');
    const user = userClient(kc);
    await user.create(Resources.ConfigMap, configMap(ns, 'a', { key: 'v1' }));
    app = await AppProcess.start(kc, ns);
    await expect.poll(() => app?.isLeader(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => mirrored(user, ns, 'a'), { timeout: 30_000 }).toEqual({ key: 'v1' });

    const sentAt = Date.now();
    app.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - sentAt).toBeLessThan(30_000);
    const lease = (await user.get(Resources.Lease, { namespace: ns, name: 'mirror-test-leader' })) as { spec?: { holderIdentity?: string } };
    expect(lease.spec?.holderIdentity ?? '').toBe('');
    expect(app.logs.map((l) => l['msg'])).toEqual(expect.arrayContaining(['SIGTERM received; shutting down', 'released the lease', 'manager stopped']));
  });
});
