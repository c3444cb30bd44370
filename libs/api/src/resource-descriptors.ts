import { resources, type ResourceName } from './names.ts';

/** What a client needs to address a resource: the shape controller-runtime's `resource()` takes. */
export interface ResourceDescriptor {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

function descriptor(name: ResourceName): ResourceDescriptor {
  const r = resources[name];
  return { apiVersion: `${r.group}/${r.version}`, kind: r.kind, plural: r.plural, namespaced: r.namespaced };
}

/** `configs.imageregistry.operator.openshift.io` */
export const configDescriptor = descriptor('config');
/** `infrastructures.config.openshift.io` */
export const infrastructureDescriptor = descriptor('infrastructure');
/** `proxies.config.openshift.io` */
export const proxyDescriptor = descriptor('proxy');
