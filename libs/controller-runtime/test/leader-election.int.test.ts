import { createTestNamespace, testKubeConfig } from '@image-registry/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { Resources } from '../src/resources.ts';
import { AppProcess } from './support/app-process.ts';
import { configMap, mirrored, userClient } from './support/harness.ts';

const poll = { timeout: 40_000, interval: 200 };
let apps: AppProcess[] = [];
afterEach(() => {
  for (const a of apps) if (a.alive) a.kill('SIGKILL');
  apps = [];
});

async function pair(ns: string): Promise<{ leader: AppProcess; follower: AppProcess }> {
  const kc = testKubeConfig();
  apps = await Promise.all([AppProcess.start(kc, ns), AppProcess.start(kc, ns)]);
  let leader: AppProcess | undefined;
  await expect
    .poll(async () => {
      const states = await Promise.all(apps.map((a) => a.isLeader()));
      leader = states.filter(Boolean).length === 1 ? apps[states.indexOf(true)] : undefined;
      return leader !== undefined;
    }, poll)
    .toBe(true);
  const follower = apps.find((a) => a !== leader);
  if (!leader || !follower) throw new Error('no leader');
  return { leader, follower };
}

const writesOf = (a: AppProcess) => a.metric('rest_client_requests_total', { verb: 'apply' });
const reconcilesOf = (a: AppProcess) => a.metric('controller_runtime_reconcile_total');

describe('leader election between two app processes', () => {
  it('only the leader reconciles; when the leader is killed the other takes over within a lease duration', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-leader');
    const user = userClient(kc);
    await user.create(Resources.ConfigMap, configMap(ns, 'a', { key: 'v1' }));
    const { leader, follower } = await pair(ns);

    await expect.poll(() => mirrored(user, ns, 'a'), poll).toEqual({ key: 'v1' });
    expect(await reconcilesOf(leader)).toBeGreaterThan(0);
    expect(await reconcilesOf(follower)).toBe(0);
    expect(await writesOf(follower)).toBe(0);
    // The follower's caches are warm all the same: it is ready to take over.
    await expect.poll(async () => (await fetch(`http://${follower.address}/readyz`)).status, poll).toBe(200);

    const killedAt = Date.now();
    leader.kill('SIGKILL');
    await expect.poll(() => follower.isLeader(), poll).toBe(true);
    const takeoverMs = Date.now() - killedAt;
    // The lease (15 s) runs from the last renewal before the kill; the follower retries every 2 s (+20% jitter).
    expect(takeoverMs).toBeLessThanOrEqual(15_000 + 2_400 + 1_000);

    await user.create(Resources.ConfigMap, configMap(ns, 'b', { key: 'v1' }));
    await expect.poll(() => mirrored(user, ns, 'b'), poll).toEqual({ key: 'v1' });
    expect(await writesOf(follower)).toBeGreaterThan(0);
  });

  it('a leader frozen past its lease writes nothing when it wakes up, and steps down', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-frozen');
    const user = userClient(kc);
    await user.create(Resources.ConfigMap, configMap(ns, 'a', { key: 'v1' }));
    const { leader, follower } = await pair(ns);
    await expect.poll(() => mirrored(user, ns, 'a'), poll).toEqual({ key: 'v1' });
    const writesBefore = await writesOf(leader);

    leader.kill('SIGSTOP'); // a long GC pause, a frozen VM: the process keeps its connections and its belief
    await expect.poll(() => follower.isLeader(), poll).toBe(true);
    await user.patch(Resources.ConfigMap, { namespace: ns, name: 'a' }, { data: { key: 'v2' } });
    await user.create(Resources.ConfigMap, configMap(ns, 'b', { key: 'v1' }));
    await expect.poll(() => mirrored(user, ns, 'b'), poll).toEqual({ key: 'v1' });

    leader.kill('SIGCONT'); // its watches deliver the backlog at once; its lease is long gone
    await expect.poll(() => leader.isLeader(), poll).toBe(false);
    await user.patch(Resources.ConfigMap, { namespace: ns, name: 'b' }, { data: { key: 'v2' } });
    await expect.poll(() => mirrored(user, ns, 'b'), poll).toEqual({ key: 'v2' });
    expect(await writesOf(leader)).toBe(writesBefore);
    expect(await mirrored(user, ns, 'a')).toEqual({ key: 'v2' });
  });
});
