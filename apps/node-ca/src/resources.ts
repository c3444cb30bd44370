import { resources, singletonName, type Config, type Image } from '@image-registry/api';
import type { Condition } from '@image-registry/conditions';
import { resource, type KubeObject, type ObjectMeta } from '@image-registry/controller-runtime';

/** Fixed names (reference/upstream-inventory.md §0, §9). */
export const names = {
  config: singletonName,
  image: singletonName,
  service: 'image-registry',
  serviceCA: 'serviceca',
  serviceCAKey: 'service-ca.crt',
  certificates: 'image-registry-certificates',
  publishedCA: 'image-registry-ca',
  daemonSet: 'node-ca',
  serviceAccount: 'node-ca',
  /** The registry Service's ClusterIPs for the agent's /etc/hosts block; written by this app only. */
  hosts: 'node-ca-hosts',
  hostsKey: 'hosts',
  kubeCloudConfig: 'kube-cloud-config',
} as const;

export interface ConfigMapObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export interface ServiceObject extends KubeObject {
  spec?: {
    clusterIP?: string;
    clusterIPs?: string[];
    ports?: { port?: number; name?: string }[];
  };
}

export interface DaemonSetStatus {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  numberAvailable?: number;
  numberMisscheduled?: number;
  updatedNumberScheduled?: number;
  observedGeneration?: number;
}

export interface DaemonSetObject extends KubeObject {
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: DaemonSetStatus;
}

/** Config/cluster as this app reads it: the spec is parsed with the API schema before use. */
export interface ConfigObject extends KubeObject {
  spec?: Config['spec'];
  status?: { conditions?: Condition[] };
}

export interface ImageObject extends KubeObject {
  spec?: Image['spec'];
}

const api = (r: { group: string; version: string; kind: string; plural: string; namespaced: boolean }) =>
  ({ apiVersion: `${r.group}/${r.version}`, kind: r.kind, plural: r.plural, namespaced: r.namespaced }) as const;

export const ConfigResource = resource<ConfigObject>(api(resources.config));
export const ImageResource = resource<ImageObject>(api(resources.image));
export const ConfigMapResource = resource<ConfigMapObject>({ apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true });
export const ServiceResource = resource<ServiceObject>({ apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true });
export const ServiceAccountResource = resource<KubeObject>({ apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true });
export const DaemonSetResource = resource<DaemonSetObject>({ apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true });
