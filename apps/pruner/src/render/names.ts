/** Fixed names of the pruner's objects (reference/upstream-inventory.md §0, §10). */
export const prunerName = 'cluster';
export const cronJobName = 'image-pruner';
export const serviceAccountName = 'pruner';
export const clusterRoleName = 'system:image-pruner';
export const clusterRoleBindingName = 'openshift-image-registry-pruner';
export const networkPolicyName = 'image-pruner-networkpolicy';
export const serviceCAConfigMapName = 'serviceca';
/** The registry's Deployment and container, read for the image and the storage volumes of the job. */
export const registryDeploymentName = 'image-registry';
export const registryContainerName = 'registry';
/** The Secret holding the registry's storage credentials (written by the storage app). */
export const privateConfigurationSecretName = 'image-registry-private-configuration';

/** Labels of the job pods and of the Jobs themselves (upstream). */
export const podLabels: Readonly<Record<string, string>> = Object.freeze({ app: 'image-pruner' });
export const jobLabelKey = 'created-by';
export const jobLabels: Readonly<Record<string, string>> = Object.freeze({ [jobLabelKey]: cronJobName });
/** Where the job reads the CA of the registry's serving certificate. */
export const serviceCAMountPath = '/var/run/configmaps/serviceca';
export const serviceCAFile = `${serviceCAMountPath}/service-ca.crt`;
export const injectCABundleAnnotation = 'service.beta.openshift.io/inject-cabundle';
