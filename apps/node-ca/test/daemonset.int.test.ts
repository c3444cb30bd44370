import { kubeRequest } from '@image-registry/testing';
import { describe, expect, it } from 'vitest';
import type { DaemonSetObject } from '../src/resources.ts';
import {
  configMapData,
  createConfig,
  createRegistryService,
  get,
  nodeCAConditions,
  startNodeCAApp,
  useNodeCATest,
} from './support.ts';

const t = useNodeCATest();

const dsPath = () => `/apis/apps/v1/namespaces/${t.ns.namespace}/daemonsets/node-ca`;
type PodSpec = { tolerations?: unknown[]; containers: { args: string[] }[] };
const podSpec = (ds: DaemonSetObject | undefined) => (ds?.spec as { template: { spec: PodSpec } } | undefined)?.template.spec;

describe('DaemonSet node-ca', () => {
  it('is deployed when the registry is Removed, its pods run on every node, and the conditions say so', async () => {
    await createConfig(t.kc, { managementState: 'Removed', storage: { emptyDir: {} } });
    t.app = await startNodeCAApp(t.kc, t.ns);
    // kwok's two nodes run the DaemonSet's pods to Ready.
    await expect
      .poll(async () => (await get<DaemonSetObject>(t.kc, dsPath()))?.status?.numberAvailable, { timeout: 120_000 })
      .toBe(2);
    await expect
      .poll(() => nodeCAConditions(t.kc), { timeout: 60_000 })
      .toEqual({
        NodeCADaemonAvailable: { status: 'True', reason: 'AsExpected', message: 'The daemon set node-ca has available replicas' },
        NodeCADaemonProgressing: { status: 'False', reason: 'AsExpected', message: 'The daemon set node-ca is deployed' },
        NodeCADaemonControllerDegraded: { status: 'False', reason: 'AsExpected' },
        ImageRegistryCertificatesControllerDegraded: { status: 'False', reason: 'AsExpected' },
      });
  });

  it('restores tolerations [{operator: Exists}] after someone removes them', async () => {
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect.poll(async () => podSpec(await get<DaemonSetObject>(t.kc, dsPath()))?.tolerations, { timeout: 60_000 }).toEqual([{ operator: 'Exists' }]);
    await kubeRequest(t.kc, 'PATCH', dsPath(), [{ op: 'remove', path: '/spec/template/spec/tolerations' }], 'application/json-patch+json');
    await expect
      .poll(async () => podSpec(await get<DaemonSetObject>(t.kc, dsPath()))?.tolerations, { timeout: 60_000 })
      .toEqual([{ operator: 'Exists' }]);
    // Someone else's value is taken back too.
    await kubeRequest(
      t.kc,
      'PATCH',
      dsPath(),
      { spec: { template: { spec: { tolerations: [{ key: 'only-this', operator: 'Exists' }] } } } },
      'application/strategic-merge-patch+json',
    );
    await expect
      .poll(async () => podSpec(await get<DaemonSetObject>(t.kc, dsPath()))?.tolerations, { timeout: 60_000 })
      .toEqual([{ operator: 'Exists' }]);
  });

  it('creates the DaemonSet again after someone deletes it', async () => {
    await createConfig(t.kc, { managementState: 'Managed', storage: { emptyDir: {} } });
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect.poll(() => get<DaemonSetObject>(t.kc, dsPath()), { timeout: 60_000 }).toBeDefined();
    const before = (await get<DaemonSetObject>(t.kc, dsPath()))?.metadata?.uid;
    await kubeRequest(t.kc, 'DELETE', dsPath());
    await expect
      .poll(async () => (await get<DaemonSetObject>(t.kc, dsPath()))?.metadata?.uid, { timeout: 60_000 })
      .not.toBe(before);
    await expect.poll(async () => (await get<DaemonSetObject>(t.kc, dsPath()))?.metadata?.uid, { timeout: 60_000 }).toBeDefined();
  });

  it('publishes the registry ClusterIP for the agents and empties it when the Service goes', async () => {
    t.app = await startNodeCAApp(t.kc, t.ns);
    await expect.poll(() => configMapData(t.kc, t.ns.namespace, 'node-ca-hosts'), { timeout: 60_000 }).toEqual({ hosts: '' });
    const ip = await createRegistryService(t.kc, t.ns.namespace);
    await expect
      .poll(() => configMapData(t.kc, t.ns.namespace, 'node-ca-hosts'), { timeout: 60_000 })
      .toEqual({ hosts: `${ip} image-registry.${t.ns.namespace}.svc image-registry.${t.ns.namespace}.svc.cluster.local\n` });
    await kubeRequest(t.kc, 'DELETE', `/api/v1/namespaces/${t.ns.namespace}/services/image-registry`);
    await expect.poll(() => configMapData(t.kc, t.ns.namespace, 'node-ca-hosts'), { timeout: 60_000 }).toEqual({ hosts: '' });
  });

  it('renders the agent without /etc/hosts when host mappings are off', async () => {
    t.app = await startNodeCAApp(t.kc, t.ns, { hostMappings: false });
    await expect
      .poll(async () => podSpec(await get<DaemonSetObject>(t.kc, dsPath()))?.containers[0]?.args, { timeout: 60_000 })
      .toContain('--hosts-file=');
  });
});
