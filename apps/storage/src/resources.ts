import {
  configDescriptor,
  infrastructureDescriptor,
  proxyDescriptor,
  type Config,
} from '@image-registry/api';
import { resource, type KubeObject } from '@image-registry/controller-runtime';

export type ConfigObject = KubeObject & Partial<Pick<Config, 'spec' | 'status'>>;

export const ConfigResource = resource<ConfigObject>(configDescriptor);
/** Config/cluster in an Event (cluster-scoped: the Event stands on the app's Deployment, naming it as related). */
export const configRef = { apiVersion: configDescriptor.apiVersion, kind: configDescriptor.kind, name: 'cluster' };
export const InfrastructureResource = resource(infrastructureDescriptor);
export const ProxyResource = resource(proxyDescriptor);
