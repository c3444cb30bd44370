import { OptionsError, type AppOptions, type ExtraFlag, type KubeClient } from '@image-registry/controller-runtime';
import { defaultImages, isRegistryFlavour, registryFlavours, type RegistryFlavour } from './render/flavour.ts';
import { APIServerResource, ImageStreamResource, InfrastructureResource, ProxyResource, ServiceCAResource } from './resources.ts';
import type { WorkloadSetup } from './workload.controller.ts';

/** This app's flags, on top of the common ones. */
export const workloadFlags: Record<string, ExtraFlag> = {
  'registry-flavour': {
    type: 'string',
    env: 'IRO_REGISTRY_FLAVOUR',
    default: 'auto',
    description: `registry to run: ${registryFlavours.join(', ')}, or auto (openshift where the image.openshift.io API exists)`,
  },
  'registry-image': {
    type: 'string',
    env: 'IMAGE',
    default: '',
    description: `registry image; empty: ${Object.entries(defaultImages)
      .map(([f, i]) => `${i} (${f})`)
      .join(', ')}`,
  },
  'registry-auth-image': {
    type: 'string',
    env: 'IRO_REGISTRY_AUTH_IMAGE',
    default: '',
    description: 'image of registry-auth, the authenticating proxy in front of the distribution registry; empty: image-registry-operator/registry-auth:latest',
  },
  'serving-cert': {
    type: 'string',
    env: 'IRO_SERVING_CERT',
    default: 'auto',
    description: 'who issues the registry certificate: service-ca, self-signed, or auto (service-ca where OpenShift service-ca runs)',
  },
  'release-version': {
    type: 'string',
    env: 'RELEASE_VERSION',
    default: '',
    description: 'version stamped on the Deployment (release.openshift.io/version) for the ClusterOperator',
  },
};

export interface WorkloadFlags {
  flavour: RegistryFlavour | 'auto';
  image: string | undefined;
  authImage: string | undefined;
  servingCert: 'service-ca' | 'self-signed' | 'auto';
  releaseVersion: string | undefined;
}

function str(v: string | boolean | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** Checks this app's flag values; throws OptionsError naming the flag. */
export function parseWorkloadFlags(extra: AppOptions['extra']): WorkloadFlags {
  const flavour = str(extra['registry-flavour']) || 'auto';
  if (flavour !== 'auto' && !isRegistryFlavour(flavour)) {
    throw new OptionsError(`--registry-flavour must be auto, ${registryFlavours.join(' or ')}, not "${flavour}"`);
  }
  const servingCert = str(extra['serving-cert']) || 'auto';
  if (servingCert !== 'auto' && servingCert !== 'service-ca' && servingCert !== 'self-signed') {
    throw new OptionsError(`--serving-cert must be auto, service-ca or self-signed, not "${servingCert}"`);
  }
  return {
    flavour,
    image: str(extra['registry-image']) || undefined,
    authImage: str(extra['registry-auth-image']) || undefined,
    servingCert,
    releaseVersion: str(extra['release-version']) || undefined,
  };
}

/** Resolves `auto` choices and optional APIs by asking the API server what it serves. */
export async function resolveWorkloadSetup(client: KubeClient, namespace: string, flags: WorkloadFlags): Promise<WorkloadSetup> {
  const [imageApi, serviceCA, hasInfrastructure, hasProxy, hasAPIServer] = await Promise.all([
    flags.flavour === 'auto' ? client.serves(ImageStreamResource) : Promise.resolve(false),
    flags.servingCert === 'auto' ? client.serves(ServiceCAResource) : Promise.resolve(false),
    client.serves(InfrastructureResource),
    client.serves(ProxyResource),
    client.serves(APIServerResource),
  ]);
  const flavour: RegistryFlavour = flags.flavour === 'auto' ? (imageApi ? 'openshift' : 'distribution') : flags.flavour;
  const servingCert = flags.servingCert === 'auto' ? (serviceCA ? 'service-ca' : 'self-signed') : flags.servingCert;
  return {
    namespace,
    flavour,
    image: flags.image ?? defaultImages[flavour],
    authImage: flags.authImage,
    releaseVersion: flags.releaseVersion,
    servingCert,
    hasInfrastructure,
    hasProxy,
    hasAPIServer,
  };
}
