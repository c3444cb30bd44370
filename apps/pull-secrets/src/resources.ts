import { resources } from '@image-registry/api';
import { resource, type KubeObject, type ObjectMeta } from '@image-registry/controller-runtime';
import type { DockercfgSummary } from './render/dockercfg.ts';
import type { RegistryService } from './render/hosts.ts';

export interface LocalObjectReference {
  name?: string;
}

/** A ServiceAccount as cached: identity, the ref annotation only, and imagePullSecrets. */
export interface ServiceAccountObject extends KubeObject {
  imagePullSecrets?: LocalObjectReference[];
}

/** A managed pull secret as cached: metadata and a summary of `.dockercfg`, never the tokens. */
export interface PullSecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
  /** Filled by the cache transform; absent on objects straight from the API. */
  summary?: DockercfgSummary;
}

export interface NamespaceObject extends KubeObject {
  status?: { phase?: string };
}

export interface RoleBindingObject extends KubeObject {
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
  subjects?: { kind?: string; apiGroup?: string; name?: string; namespace?: string }[];
}

export interface ServiceObject extends KubeObject, RegistryService {
  metadata?: ObjectMeta;
}

export interface ImageObject extends KubeObject {
  status?: { externalRegistryHostnames?: string[]; internalRegistryHostname?: string };
}

export interface ConfigObject extends KubeObject {
  spec?: { managementState?: string };
  status?: { conditions?: { type: string; status: 'True' | 'False' | 'Unknown'; lastTransitionTime: string; reason?: string; message?: string }[] };
}

export interface PodObject extends KubeObject {
  spec?: { imagePullSecrets?: LocalObjectReference[] };
}

export const ServiceAccountResource = resource<ServiceAccountObject>({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  namespaced: true,
});
export const SecretResource = resource<PullSecretObject>({ apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true });
export const NamespaceResource = resource<NamespaceObject>({ apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false });
export const ServiceResource = resource<ServiceObject>({ apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true });
export const PodResource = resource<PodObject>({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
/** A core/v1 Event, as this app records them. */
export interface EventObject extends KubeObject {
  involvedObject: { apiVersion: string; kind: string; namespace: string; name: string; uid?: string | undefined };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  source: { component: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

export const EventResource = resource<EventObject>({ apiVersion: 'v1', kind: 'Event', plural: 'events', namespaced: true });
export const RoleBindingResource = resource<RoleBindingObject>({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
});
export const ImageResource = resource<ImageObject>({
  apiVersion: `${resources.image.group}/${resources.image.version}`,
  kind: resources.image.kind,
  plural: resources.image.plural,
  namespaced: false,
});
export const ConfigResource = resource<ConfigObject>({
  apiVersion: `${resources.config.group}/${resources.config.version}`,
  kind: resources.config.kind,
  plural: resources.config.plural,
  namespaced: false,
});
