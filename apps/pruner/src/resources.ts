import { resources, type ImagePrunerSpec, type ImagePrunerStatus, type WindowCondition } from '@image-registry/api';
import { resource, type KubeObject } from '@image-registry/controller-runtime';

export interface ImagePrunerObject extends KubeObject {
  spec?: ImagePrunerSpec;
  status?: ImagePrunerStatus;
}
export interface ConfigObject extends KubeObject {
  spec?: { managementState?: string };
  status?: { conditions?: WindowCondition[]; storage?: Record<string, unknown> };
}
export interface ImageConfigObject extends KubeObject {
  status?: { internalRegistryHostname?: string };
}

function apiResource<T extends KubeObject>(r: { group: string; version: string; kind: string; plural: string; namespaced: boolean }) {
  return resource<T>({ apiVersion: `${r.group}/${r.version}`, kind: r.kind, plural: r.plural, namespaced: r.namespaced });
}

export const ImagePrunerResource = apiResource<ImagePrunerObject>(resources.imagePruner);
export const ConfigResource = apiResource<ConfigObject>(resources.config);
export const ImageConfigResource = apiResource<ImageConfigObject>(resources.image);
/** Served only on OpenShift: its presence selects the oc job flavour. */
export const ImageStreamResource = resource({ apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', plural: 'imagestreams', namespaced: true });
/** Present only where OpenShift's service-ca operator runs. */
export const ServiceCAResource = resource({ apiVersion: 'operator.openshift.io/v1', kind: 'ServiceCA', plural: 'servicecas', namespaced: false });

export interface JobObject extends KubeObject {
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}
export const JobResource = resource<JobObject>({ apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', namespaced: true });

/** A registry pod, as the read-only window check reads it. */
export interface PodObject extends KubeObject {
  spec?: { containers?: { name: string; env?: { name: string; value?: string }[] }[] };
  status?: { phase?: string };
}
export const PodResource = resource<PodObject>({ apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true });
