/** Fixed names and labels of the registry's objects (upstream-inventory §0, §13). */
export const registryName = 'image-registry';
export const serviceAccountName = 'registry';
export const clusterRoleName = 'system:registry';
export const clusterRoleBindingName = 'registry-registry-role';
/** Upstream's name: its e2e looks the policy up by it. */
export const networkPolicyName = 'image-registry-networkpolicy';
export const containerName = 'registry';
export const containerPort = 5000;

export const tlsSecretName = 'image-registry-tls';
/** Holds the self-issued CA's certificate and key where OpenShift's service-ca does not exist. */
export const caSecretName = 'image-registry-serving-ca';
export const serviceCAConfigMapName = 'serviceca';
export const serviceCAKey = 'service-ca.crt';
export const privateConfigurationSecretName = 'image-registry-private-configuration';
export const certificatesConfigMapName = 'image-registry-certificates';
export const trustedCAConfigMapName = 'trusted-ca';
export const installationPullSecretsName = 'installation-pull-secrets';

export const configName = 'cluster';
export const configApiVersion = 'imageregistry.operator.openshift.io/v1';
export const configKind = 'Config';

export const registryLabels: Readonly<Record<string, string>> = Object.freeze({ 'docker-registry': 'default' });

export const annotations = {
  dependenciesChecksum: 'imageregistry.operator.openshift.io/dependencies-checksum',
  releaseVersion: 'release.openshift.io/version',
  workloadManagement: 'target.workload.openshift.io/management',
  requiredSCC: 'openshift.io/required-scc',
  servingCertSecretName: 'service.alpha.openshift.io/serving-cert-secret-name',
  injectCABundle: 'service.beta.openshift.io/inject-cabundle',
  supplementalGroups: 'openshift.io/sa.scc.supplemental-groups',
} as const;

/** The field manager every write of this app uses (ARCHITECTURE: one manager per app). */
export const fieldManager = 'image-registry-operator/registry-workload';
/** The storage app's manager: `status.storage` and `StorageExists` are its fields. */
export const storageFieldManager = 'image-registry-operator/storage';
