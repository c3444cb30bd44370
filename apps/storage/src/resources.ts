import { configGroupVersion, configOpenShiftGroupVersion, type Config } from '@image-registry/api';
import { resource, type KubeObject } from '@image-registry/controller-runtime';

export type ConfigObject = KubeObject & Partial<Pick<Config, 'spec' | 'status'>>;

export const ConfigResource = resource<ConfigObject>({
  apiVersion: configGroupVersion,
  kind: 'Config',
  plural: 'configs',
  namespaced: false,
});
export const InfrastructureResource = resource({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Infrastructure',
  plural: 'infrastructures',
  namespaced: false,
});
