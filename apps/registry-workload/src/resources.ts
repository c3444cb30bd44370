import { configGroupVersion, configOpenShiftGroupVersion } from '@image-registry/api';
import { Resources, resource, type KubeObject, type ResourceType } from '@image-registry/controller-runtime';

export const ConfigResource = resource({ apiVersion: configGroupVersion, kind: 'Config', plural: 'configs', namespaced: false });
export const InfrastructureResource = resource({
  apiVersion: configOpenShiftGroupVersion,
  kind: 'Infrastructure',
  plural: 'infrastructures',
  namespaced: false,
});
export const ProxyResource = resource({ apiVersion: configOpenShiftGroupVersion, kind: 'Proxy', plural: 'proxies', namespaced: false });
/** Its TLS security profile becomes `spec.observedConfig` (absent on plain Kubernetes: Intermediate). */
export const APIServerResource = resource({ apiVersion: configOpenShiftGroupVersion, kind: 'APIServer', plural: 'apiservers', namespaced: false });
/** Present only on OpenShift: its presence selects the openshift registry flavour by default. */
export const ImageStreamResource = resource({ apiVersion: 'image.openshift.io/v1', kind: 'ImageStream', plural: 'imagestreams', namespaced: true });
/** Present only where OpenShift's service-ca operator runs. */
export const ServiceCAResource = resource({ apiVersion: 'operator.openshift.io/v1', kind: 'ServiceCA', plural: 'servicecas', namespaced: false });

/**
 * Each kind this app owns, with the top-level fields checked for drift: another manager's fields
 * inside what the desired object sets there are hand edits to undo; free-form maps (ConfigMap and
 * Secret data, labels, annotations) are shared with co-owners by design (see drift.ts).
 */
export interface OwnedKind {
  res: ResourceType<KubeObject>;
  scope: readonly string[];
}

export const owned = {
  deployment: { res: Resources.Deployment, scope: ['spec'] },
  service: { res: Resources.Service, scope: ['spec'] },
  // Only metadata is rendered: the pull-secrets app adds imagePullSecrets, which is not drift.
  serviceAccount: { res: Resources.ServiceAccount, scope: [] },
  clusterRole: { res: Resources.ClusterRole, scope: ['rules', 'aggregationRule'] },
  clusterRoleBinding: { res: Resources.ClusterRoleBinding, scope: ['subjects'] },
  podDisruptionBudget: { res: Resources.PodDisruptionBudget, scope: ['spec'] },
  networkPolicy: { res: Resources.NetworkPolicy, scope: ['spec'] },
  secret: { res: Resources.Secret, scope: ['data'] },
  configMap: { res: Resources.ConfigMap, scope: ['data', 'binaryData'] },
} as const satisfies Record<string, OwnedKind>;
