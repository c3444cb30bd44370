import { createTestNamespace, testKubeConfig } from '@image-registry/testing';
import type { LevelWithSilent } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../src/kube-client.ts';
import { followLogLevel } from '../src/log-level.ts';
import { createLogger } from '../src/logger.ts';
import { Manager } from '../src/manager.ts';
import { Resources, type ResourceType } from '../src/resources.ts';
import type { KubeObject } from '../src/objects.ts';
import { userClient } from './support/harness.ts';

const poll = { timeout: 30_000, interval: 100 };
let stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const s of stops.reverse()) await s();
  stops = [];
});

interface Setting extends KubeObject {
  data?: { level?: string };
}
const Settings = Resources.ConfigMap as ResourceType<Setting>;

/** An object standing in for Config/cluster's spec.operatorLogLevel: the mechanism is the same for any kind. */
const levelOf = (obj: Setting | undefined): LevelWithSilent | undefined => obj?.data?.level as LevelWithSilent | undefined;

describe('the log level follows a cluster object live', () => {
  it('raises the level when the object asks, never below --log-level, and back when it is deleted', async () => {
    const kc = testKubeConfig();
    const ns = await createTestNamespace(kc, 'cr-log-level');
    const name = `log-level-${ns}`;
    const lines: { msg?: string; from?: string; to?: string }[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(JSON.parse(l) as (typeof lines)[number]) } });
    const client = new KubeClient({ kubeConfig: kc, fieldManager: 'image-registry-operator/log-level-test', logger });
    const mgr = new Manager({ name: 'log-level-test', client, logger });
    followLogLevel(mgr, Settings, name, levelOf);
    await mgr.start();
    stops.push(() => mgr.stop());
    expect(logger.level).toBe('info');

    const user = userClient(kc);
    await user.create(Settings, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name }, data: { level: 'debug' } });
    await expect.poll(() => logger.level, poll).toBe('debug');
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'log level changed', from: 'info', to: 'debug' }));

    // Less verbose than the flag: the flag wins.
    await user.apply(Settings, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name }, data: { level: 'error' } });
    await expect.poll(() => logger.level, poll).toBe('info');

    await user.apply(Settings, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: ns, name }, data: { level: 'trace' } });
    await expect.poll(() => logger.level, poll).toBe('trace');
    await user.delete(Resources.ConfigMap, { namespace: ns, name });
    await expect.poll(() => logger.level, poll).toBe('info');
  });
});
