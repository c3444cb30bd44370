import {
  configDescriptor,
  infrastructureDescriptor,
  proxyDescriptor,
  type Config,
} from '@image-registry/api';
import { resource, type KubeObject } from '@image-registry/controller-runtime';

export type ConfigObject = KubeObject & Partial<Pick<Config, 'spec' | 'status'>>;

export const ConfigResource = resource<ConfigObject>(configDescriptor);
export const InfrastructureResource = resource(infrastructureDescriptor);
export const ProxyResource = resource(proxyDescriptor);
