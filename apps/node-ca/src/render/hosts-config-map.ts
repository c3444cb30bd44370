import { isIP } from 'node:net';
import type { ConfigMapObject, ServiceObject } from '../resources.ts';
import { serviceHostnames } from './service-hosts.ts';

/**
 * ConfigMap node-ca-hosts: the registry Service's ClusterIPs and the names nodes must resolve to
 * them, in /etc/hosts syntax. The DaemonSet mounts it, so the Service address reaches every node
 * without any node calling the API. Empty when the Service (or its ClusterIP) is gone, which makes
 * every agent remove its block.
 */
export function renderHostsConfigMap(namespace: string, service: ServiceObject | undefined): ConfigMapObject {
  const ips = service?.spec?.clusterIPs ?? (service?.spec?.clusterIP ? [service.spec.clusterIP] : []);
  const names = service?.metadata?.name ? serviceHostnames(namespace, service.metadata.name) : [];
  const lines = ips.filter((ip) => isIP(ip) !== 0).map((ip) => `${ip} ${names.join(' ')}\n`);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'node-ca-hosts',
      namespace,
      labels: { 'app.kubernetes.io/name': 'image-registry-operator', 'app.kubernetes.io/component': 'node-ca' },
    },
    data: { hosts: lines.join('') },
  };
}
