import { describe, expect, it } from 'vitest';
import { renderDaemonSet } from './daemonset.ts';
import { renderHostsConfigMap } from './hosts-config-map.ts';
import { controllerDegraded, daemonSetConditions, degradedInertiaMs } from './node-ca-conditions.ts';

type PodSpec = {
  tolerations: unknown[];
  nodeSelector: Record<string, string>;
  hostNetwork: boolean;
  automountServiceAccountToken: boolean;
  containers: { args: string[]; securityContext: Record<string, unknown>; resources: unknown; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
  volumes: { name: string; hostPath?: { path: string; type: string } }[];
};
const podSpec = (ds: ReturnType<typeof renderDaemonSet>) => (ds.spec as { template: { spec: PodSpec } }).template.spec;

describe('renderDaemonSet', () => {
  it('has upstream scheduling: every taint tolerated, Linux nodes, 10% at a time, tiny requests', () => {
    const ds = renderDaemonSet({ namespace: 'ns', image: 'img', hostMappings: true, privileged: false });
    const spec = podSpec(ds);
    expect(spec.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect((ds.spec as { updateStrategy: unknown }).updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } });
    expect(spec.containers[0]?.resources).toEqual({ requests: { cpu: '10m', memory: '10Mi' } });
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  it('mounts exactly the certs.d folders, containerd config read-only, and /etc/hosts only with mappings', () => {
    const on = podSpec(renderDaemonSet({ namespace: 'ns', image: 'img', hostMappings: true, privileged: false }));
    expect(on.volumes.filter((v) => v.hostPath).map((v) => v.hostPath)).toEqual([
      { path: '/etc/containerd', type: 'DirectoryOrCreate' },
      { path: '/etc/docker/certs.d', type: 'DirectoryOrCreate' },
      { path: '/etc/containers/certs.d', type: 'DirectoryOrCreate' },
      { path: '/etc/containerd/certs.d', type: 'DirectoryOrCreate' },
      { path: '/etc/hosts', type: 'File' },
    ]);
    expect(on.containers[0]?.volumeMounts.find((m) => m.name === 'containerd-config')?.readOnly).toBe(true);
    expect(on.containers[0]?.args).toContain('--hosts-file=/host/etc/hosts');
    const off = podSpec(renderDaemonSet({ namespace: 'ns', image: 'img', hostMappings: false, privileged: false }));
    expect(off.volumes.some((v) => v.hostPath?.path === '/etc/hosts')).toBe(false);
    expect(off.containers[0]?.args).toContain('--hosts-file=');
  });

  it('runs as root without capabilities, or privileged where SELinux needs it', () => {
    const plain = podSpec(renderDaemonSet({ namespace: 'ns', image: 'img', hostMappings: true, privileged: false }));
    expect(plain.containers[0]?.securityContext).toMatchObject({ runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    const priv = podSpec(renderDaemonSet({ namespace: 'ns', image: 'img', hostMappings: true, privileged: true }));
    expect(priv.containers[0]?.securityContext).toMatchObject({ privileged: true });
  });
});

describe('renderHostsConfigMap', () => {
  it('maps every ClusterIP to both service names, and nothing without a Service or for a headless one', () => {
    const svc = { metadata: { name: 'image-registry' }, spec: { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20', 'fd00::20'] } };
    expect(renderHostsConfigMap('ns', svc).data).toEqual({
      hosts: '10.96.0.20 image-registry.ns.svc image-registry.ns.svc.cluster.local\nfd00::20 image-registry.ns.svc image-registry.ns.svc.cluster.local\n',
    });
    expect(renderHostsConfigMap('ns', undefined).data).toEqual({ hosts: '' });
    expect(renderHostsConfigMap('ns', { metadata: { name: 'image-registry' }, spec: { clusterIP: 'None' } }).data).toEqual({ hosts: '' });
  });
});

describe('node-ca conditions', () => {
  it('uses upstream texts for each DaemonSet state', () => {
    expect(daemonSetConditions(undefined)).toEqual([
      { type: 'NodeCADaemonAvailable', status: 'False', reason: 'NotFound', message: 'The daemon set node-ca does not exist' },
      { type: 'NodeCADaemonProgressing', status: 'True', reason: 'NotFound', message: 'The daemon set node-ca does not exist' },
    ]);
    expect(daemonSetConditions({ status: { numberAvailable: 2, desiredNumberScheduled: 2, updatedNumberScheduled: 2 } })).toEqual([
      { type: 'NodeCADaemonAvailable', status: 'True', reason: 'AsExpected', message: 'The daemon set node-ca has available replicas' },
      { type: 'NodeCADaemonProgressing', status: 'False', reason: 'AsExpected', message: 'The daemon set node-ca is deployed' },
    ]);
    expect(daemonSetConditions({ status: { numberAvailable: 0, desiredNumberScheduled: 2, updatedNumberScheduled: 1 } })).toEqual([
      { type: 'NodeCADaemonAvailable', status: 'False', reason: 'NoAvailableReplicas', message: 'The daemon set node-ca does not have available replicas' },
      { type: 'NodeCADaemonProgressing', status: 'True', reason: 'Progressing', message: 'The daemon set node-ca is updating node pods' },
    ]);
    expect(daemonSetConditions(undefined, 'boom')[0]).toEqual({
      type: 'NodeCADaemonAvailable',
      status: 'Unknown',
      reason: 'Unknown',
      message: 'Unable to check daemon set availability: boom',
    });
  });

  it('turns Degraded True only after two minutes of failures', () => {
    expect(controllerDegraded(undefined, undefined, 0)).toEqual({ type: 'NodeCADaemonControllerDegraded', status: 'False', reason: 'AsExpected' });
    expect(controllerDegraded('x', 1000, 1000 + degradedInertiaMs - 1)).toBeUndefined();
    expect(controllerDegraded('x', 1000, 1000 + degradedInertiaMs)).toEqual({ type: 'NodeCADaemonControllerDegraded', status: 'True', reason: 'Error', message: 'x' });
  });
});
