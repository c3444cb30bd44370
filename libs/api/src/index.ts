export * from './names.ts';
export * from './condition-types.ts';
export * from './pull-secrets.ts';
export * from './read-only-window.ts';
export * from './operator-log-level.ts';
export { canonicalQuantity, canonicalResources } from './quantity.ts';
export { storedForm } from './stored-form.ts';
export {
  affinity,
  labelSelector,
  resourceRequirements,
  secretKeySelector,
  toleration,
  topologySpreadConstraint,
} from './schema/core.ts';
export {
  conditionStatuses,
  conditionTypePattern,
  logLevel,
  logLevels,
  managementState,
  managementStates,
  operatorCondition,
} from './schema/operator.ts';
export type { LogLevel, ManagementState, OperatorCondition } from './schema/operator.ts';
export { objectMeta } from './schema/meta.ts';
export type { ObjectMeta } from './schema/meta.ts';
export { storage, storageBackends } from './schema/storage.ts';
export type { Storage, StorageBackend } from './schema/storage.ts';
export { config, configSpec, configStatus, maxRoutes } from './schema/config.ts';
export type { Config, ConfigInput, ConfigSpec, ConfigStatus } from './schema/config.ts';
export { imagePruner, imagePrunerSpec, imagePrunerStatus } from './schema/image-pruner.ts';
export type {
  ImagePruner,
  ImagePrunerInput,
  ImagePrunerSpec,
  ImagePrunerStatus,
} from './schema/image-pruner.ts';
export { clusterOperator, clusterOperatorCondition } from './schema/cluster-operator.ts';
export type {
  ClusterOperator,
  ClusterOperatorInput,
  ClusterOperatorStatus,
} from './schema/cluster-operator.ts';
export { image } from './schema/image.ts';
export type { Image, ImageInput, ImageStatus } from './schema/image.ts';
export { infrastructure, platformTypes } from './schema/infrastructure.ts';
export type { Infrastructure, InfrastructureStatus, PlatformType } from './schema/infrastructure.ts';
export { proxy } from './schema/proxy.ts';
export { apiServer, observedServingInfo, tlsProfileTypes, tlsProtocolVersions, tlsSecurityProfile } from './schema/apiserver.ts';
export type { APIServer, ObservedServingInfo, TlsSecurityProfile } from './schema/apiserver.ts';
export type { Proxy } from './schema/proxy.ts';
export { route } from './schema/route.ts';
export type { Route, RouteInput } from './schema/route.ts';
export { ingressConfig, ingressConfigSpec } from './schema/ingress-config.ts';
export type { IngressConfig } from './schema/ingress-config.ts';
export {
  ApiParseError,
  formatPath,
  parseClusterOperator,
  parseConfig,
  parseImage,
  parseImagePruner,
  parseInfrastructure,
  parseObject,
  parseProxy,
  parseRoute,
} from './parse.ts';
export type { FieldIssue, ParseResult } from './parse.ts';
export {
  defaultClaimName,
  detectPlatform,
  platformDefaultStorage,
  platformDefaults,
  platformFromProviderIDs,
  platformsWithDefaults,
} from './platform.ts';
export type { PlatformDefaults, PlatformInfrastructure } from './platform.ts';
export {
  configuredStorageBackends,
  multipleBackendsMessage,
  storageBackendDisplayNames,
} from './storage-backends.ts';
export { canonicalJson, sameJson } from './canonical-json.ts';
export { configDescriptor, infrastructureDescriptor, proxyDescriptor } from './resource-descriptors.ts';
export type { ResourceDescriptor } from './resource-descriptors.ts';
export { storageConditionTypes } from './storage-conditions.ts';
