import { OptionsError, type AppOptions, type ExtraFlag, type KubeClient } from '@image-registry/controller-runtime';
import { isJobFlavour, jobFlavours, type JobFlavour } from './render/job-flavour.ts';
import { ImageStreamResource, ServiceCAResource } from './resources.ts';

/** The app's name: field manager `image-registry-operator/pruner`, Lease `pruner-leader`. */
export const appName = 'pruner';

/** Flags of the pruner controller besides the common ones. */
export const prunerFlags = {
  'job-flavour': {
    type: 'string',
    env: 'IRO_PRUNE_JOB_FLAVOUR',
    default: 'auto',
    description: `prune job: ${jobFlavours.join(', ')}, or auto (oc where the image.openshift.io API exists)`,
  },
  'oc-image': {
    type: 'string',
    env: 'IMAGE_PRUNER',
    default: '',
    description: 'image with oc, for the oc job flavour (upstream IMAGE_PRUNER; required there)',
  },
  'prune-image': {
    type: 'string',
    env: 'IRO_PRUNE_IMAGE',
    default: 'image-registry-operator/pruner:latest',
    description: "this app's image, whose prune command the registry-api job flavour runs",
  },
  'serving-cert': {
    type: 'string',
    env: 'IRO_SERVING_CERT',
    default: 'auto',
    description: 'service-ca (apply ConfigMap serviceca for injection), self-signed (registry-workload writes it), or auto',
  },
} as const satisfies Record<string, ExtraFlag>;

export interface PrunerSetup {
  namespace: string;
  flavour: JobFlavour;
  /** The job container's image for the chosen flavour. */
  image: string;
  /** Whether this app applies ConfigMap `serviceca` (only for OpenShift's service-ca to fill). */
  applyServiceCA: boolean;
}

function str(v: string | boolean | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** Resolves the flags, asking the API server what it serves for `auto`; throws OptionsError naming the flag. */
export async function resolvePrunerSetup(client: Pick<KubeClient, 'serves'>, opts: Pick<AppOptions, 'namespace' | 'extra'>): Promise<PrunerSetup> {
  const flavourFlag = str(opts.extra['job-flavour']) || 'auto';
  if (flavourFlag !== 'auto' && !isJobFlavour(flavourFlag)) {
    throw new OptionsError(`--job-flavour must be auto, ${jobFlavours.join(' or ')}, not "${flavourFlag}"`);
  }
  const servingCert = str(opts.extra['serving-cert']) || 'auto';
  if (servingCert !== 'auto' && servingCert !== 'service-ca' && servingCert !== 'self-signed') {
    throw new OptionsError(`--serving-cert must be auto, service-ca or self-signed, not "${servingCert}"`);
  }
  const flavour: JobFlavour = flavourFlag === 'auto' ? ((await client.serves(ImageStreamResource)) ? 'oc' : 'registry-api') : flavourFlag;
  const applyServiceCA = servingCert === 'auto' ? await client.serves(ServiceCAResource) : servingCert === 'service-ca';
  const image = flavour === 'oc' ? str(opts.extra['oc-image']) : str(opts.extra['prune-image']);
  if (!image) throw new OptionsError(`--${flavour === 'oc' ? 'oc-image' : 'prune-image'} must not be empty`);
  return { namespace: opts.namespace, flavour, image, applyServiceCA };
}
