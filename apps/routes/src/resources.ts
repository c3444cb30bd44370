import {
  defaultRouteName,
  resources,
  singletonName,
  type Config,
  type Image,
  type IngressConfig,
  type Route,
} from '@image-registry/api';
import { Resources, resource, type KubeObject, type ObjectMeta } from '@image-registry/controller-runtime';
import type { IngressObject } from './render/ingress.ts';

/** Fixed names this app reads and writes (reference/upstream-inventory.md §0, §6.9, §8). */
export const names = {
  config: singletonName,
  image: singletonName,
  ingressConfig: singletonName,
  service: 'image-registry',
  defaultRoute: defaultRouteName,
} as const;

/** The ownership marker on every route this app creates: the key's presence is what counts (upstream). */
export const ownerAnnotation = 'imageregistry.openshift.io';

/** An API type as read from the server: metadata as the runtime types it; spec may be absent. */
type WithMeta<T extends { spec: unknown }> = Omit<T, 'metadata' | 'spec'> &
  KubeObject & { metadata?: ObjectMeta; spec?: T['spec'] };

export type ConfigObject = WithMeta<Config>;
export type ImageObject = WithMeta<Image>;
export type IngressConfigObject = WithMeta<IngressConfig>;
export type RouteObject = WithMeta<Route>;
export interface ServiceObject extends KubeObject {
  spec?: { ports?: { port?: number; name?: string }[] };
}
export interface SecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

function fromTable<T extends KubeObject>(r: (typeof resources)[keyof typeof resources]) {
  return resource<T>({ apiVersion: `${r.group}/${r.version}`, kind: r.kind, plural: r.plural, namespaced: r.namespaced });
}

export const ConfigResource = fromTable<ConfigObject>(resources.config);
export const ImageResource = fromTable<ImageObject>(resources.image);
export const IngressConfigResource = fromTable<IngressConfigObject>(resources.ingressConfig);
export const RouteResource = fromTable<RouteObject>(resources.route);
export const IngressResource = resource<IngressObject>(Resources.Ingress);
export const ServiceResource = resource<ServiceObject>(Resources.Service);
export const SecretResource = resource<SecretObject>(Resources.Secret);
