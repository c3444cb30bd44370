/** Fixed names of the APIs and objects the apps share. */

export const imageRegistryGroup = 'imageregistry.operator.openshift.io';
export const configOpenShiftGroup = 'config.openshift.io';
export const routeGroup = 'route.openshift.io';
/** The only version of every API here. */
export const v1 = 'v1';

export const configGroupVersion = `${imageRegistryGroup}/${v1}`;
export const imagePrunerGroupVersion = configGroupVersion;
export const configOpenShiftGroupVersion = `${configOpenShiftGroup}/${v1}`;
export const routeGroupVersion = `${routeGroup}/${v1}`;

/** Name of every cluster singleton: Config, ImagePruner, Image, Infrastructure, Proxy. */
export const singletonName = 'cluster';
/** Name of the ClusterOperator that reports the registry's health. */
export const clusterOperatorName = 'image-registry';
/** Default namespace of the registry and its objects (one setting shared by all apps). */
export const defaultOperandNamespace = 'openshift-image-registry';
/** Name of the route created for `spec.defaultRoute`; user routes may not take it. */
export const defaultRouteName = 'default-route';
/** Finalizer the storage app puts on Config/cluster to tear down managed storage first. */
export const configFinalizer = 'imageregistry.operator.openshift.io/finalizer';

/** Kind, plural and API version of each resource, for clients and RBAC. */
export const resources = {
  config: { group: imageRegistryGroup, version: v1, kind: 'Config', plural: 'configs', namespaced: false },
  imagePruner: {
    group: imageRegistryGroup,
    version: v1,
    kind: 'ImagePruner',
    plural: 'imagepruners',
    namespaced: false,
  },
  clusterOperator: {
    group: configOpenShiftGroup,
    version: v1,
    kind: 'ClusterOperator',
    plural: 'clusteroperators',
    namespaced: false,
  },
  image: { group: configOpenShiftGroup, version: v1, kind: 'Image', plural: 'images', namespaced: false },
  infrastructure: {
    group: configOpenShiftGroup,
    version: v1,
    kind: 'Infrastructure',
    plural: 'infrastructures',
    namespaced: false,
  },
  proxy: { group: configOpenShiftGroup, version: v1, kind: 'Proxy', plural: 'proxies', namespaced: false },
  apiserver: { group: configOpenShiftGroup, version: v1, kind: 'APIServer', plural: 'apiservers', namespaced: false },
  route: { group: routeGroup, version: v1, kind: 'Route', plural: 'routes', namespaced: true },
  ingressConfig: {
    group: configOpenShiftGroup,
    version: v1,
    kind: 'Ingress',
    plural: 'ingresses',
    namespaced: false,
  },
} as const;
export type ResourceName = keyof typeof resources;

/** The apps; each is one field manager and one Deployment. */
export const apps = [
  'registry-workload',
  'storage',
  'routes',
  'node-ca',
  'pull-secrets',
  'pruner',
  'status',
] as const;
export type AppName = (typeof apps)[number];

/** The server-side-apply field manager of an app: `image-registry-operator/<app>`. */
export function fieldManager(app: AppName): `image-registry-operator/${AppName}` {
  return `image-registry-operator/${app}`;
}
