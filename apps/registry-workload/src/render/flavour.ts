/**
 * Which registry binary the Deployment runs:
 * - `distribution`: the CNCF distribution registry (v3). Its own entrypoint and configuration file;
 *   only the variables it understands. The default on plain Kubernetes.
 * - `openshift`: OpenShift's image-registry image (a distribution fork with the OpenShift image API
 *   integration), upstream's command and its `REGISTRY_OPENSHIFT_*` variables.
 */
export type RegistryFlavour = 'distribution' | 'openshift';

export const registryFlavours: readonly RegistryFlavour[] = ['distribution', 'openshift'];

export const defaultImages: Readonly<Record<RegistryFlavour, string>> = {
  distribution: 'docker.io/library/registry:3.1.1',
  openshift: 'quay.io/openshift/origin-docker-registry:latest',
};

export function isRegistryFlavour(value: string): value is RegistryFlavour {
  return (registryFlavours as readonly string[]).includes(value);
}
