/**
 * Names of the managed ServiceAccount pull secrets (reference/api-and-pullsecrets.md Part 3, OpenShift
 * 4.16+), shared by the app that writes them (pull-secrets) and the one that accepts them (registry-auth).
 */

/** Annotations, exactly as openshift-controller-manager writes them. */
export const pullSecretAnnotations = {
  /** On the Secret: the ServiceAccount it belongs to. */
  serviceAccount: 'openshift.io/internal-registry-auth-token.service-account',
  /** On the Secret: `bound` (a bound token, refreshed) or `legacy` (a pre-4.16 long-lived token). */
  binding: 'openshift.io/internal-registry-auth-token.binding',
  /** On the ServiceAccount: the name of its managed pull secret. */
  pullSecretRef: 'openshift.io/internal-registry-pull-secret-ref',
} as const;

/** Label of every object the pull-secrets app creates, so its informers list only those. */
export const pullSecretsManagedLabel = { key: 'imageregistry.operator.openshift.io/pull-secrets', value: 'managed' } as const;

/** The user name in every `.dockercfg` entry; the password is the bound ServiceAccount token. */
export const pullSecretTokenUser = '<token>';

/** The per-namespace RoleBinding that lets a namespace's ServiceAccounts pull its images. */
export const imagePullersRoleBinding = 'system:image-pullers';
/** The ClusterRole that RoleBinding grants (`imagestreams/layers` get). */
export const imagePullerClusterRole = 'system:image-puller';

/** Where OpenShift keeps the ServiceAccount token signing keys (public halves under `service-account.pub`). */
export const serviceAccountSigningKeySecret = {
  namespace: 'openshift-kube-apiserver',
  name: 'bound-service-account-signing-key',
  key: 'service-account.pub',
} as const;
