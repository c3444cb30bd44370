import { describe, expect, it } from 'vitest';
import { registryHosts, serviceHosts } from './hosts.ts';

const svc = (clusterIP: string, port?: number) => ({
  metadata: { name: 'image-registry', namespace: 'openshift-image-registry' },
  spec: { clusterIP, ports: port === undefined ? [] : [{ port }, { port: 9999 }] },
});

describe('serviceHosts', () => {
  it('lists the service names with the first port and the IPv4 ClusterIP', () => {
    expect(serviceHosts(svc('172.30.1.2', 5000)).sort()).toEqual([
      '172.30.1.2:5000',
      'image-registry.openshift-image-registry.svc.cluster.local:5000',
      'image-registry.openshift-image-registry.svc:5000',
    ]);
  });
  it('adds the port-less forms for 443', () => {
    expect(serviceHosts(svc('172.30.1.2', 443))).toEqual(
      expect.arrayContaining(['172.30.1.2', 'image-registry.openshift-image-registry.svc', 'image-registry.openshift-image-registry.svc.cluster.local']),
    );
    expect(serviceHosts(svc('172.30.1.2', 443))).toHaveLength(6);
  });
  it('leaves out IPv6 ClusterIPs, and headless or port-less services entirely', () => {
    expect(serviceHosts(svc('fd00::1', 5000))).toEqual([
      'image-registry.openshift-image-registry.svc:5000',
      'image-registry.openshift-image-registry.svc.cluster.local:5000',
    ]);
    expect(serviceHosts(svc('None', 5000))).toEqual([]);
    expect(serviceHosts(svc('172.30.1.2'))).toEqual([]);
    expect(serviceHosts(undefined)).toEqual([]);
  });
});

describe('registryHosts', () => {
  it('unions services, route hosts and extra hosts, sorted and unique', () => {
    expect(
      registryHosts({
        services: [svc('172.30.1.2', 5000), undefined],
        externalRegistryHostnames: ['route.apps.example', '172.30.1.2:5000'],
        additional: [' extra:5000 ', ''],
      }),
    ).toEqual([
      '172.30.1.2:5000',
      'extra:5000',
      'image-registry.openshift-image-registry.svc.cluster.local:5000',
      'image-registry.openshift-image-registry.svc:5000',
      'route.apps.example',
    ]);
  });
});
