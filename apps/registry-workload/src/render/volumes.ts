import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { RegistryFlavour } from './flavour.ts';
import { certificatesConfigMapName, installationPullSecretsName, tlsSecretName, trustedCAConfigMapName } from './names.ts';

export const servingCertMountPath = '/etc/secrets';
export const certificatesMountPath = '/etc/pki/ca-trust/source/anchors';
export const trustedCAMountPath = '/usr/share/pki/ca-trust-source';

interface Pair {
  volume: V1Volume;
  mount: V1VolumeMount;
}

/**
 * The registry's own volumes, after the storage ones (upstream-inventory §5.7). The CA config maps
 * belong to other apps (node-ca) or to the platform, so they are optional: the registry starts
 * without them and the dependencies checksum rolls it once they appear.
 */
export function registryVolumes(flavour: RegistryFlavour): Pair[] {
  const pairs: Pair[] = [
    {
      volume: { name: 'registry-tls', projected: { sources: [{ secret: { name: tlsSecretName } }] } },
      mount: { name: 'registry-tls', mountPath: servingCertMountPath },
    },
  ];
  if (flavour === 'openshift') {
    pairs.push({
      volume: { name: 'ca-trust-extracted', emptyDir: {} },
      mount: { name: 'ca-trust-extracted', mountPath: '/etc/pki/ca-trust/extracted' },
    });
  }
  pairs.push(
    {
      volume: { name: 'registry-certificates', configMap: { name: certificatesConfigMapName, optional: true } },
      mount: { name: 'registry-certificates', mountPath: certificatesMountPath },
    },
    {
      volume: {
        name: 'trusted-ca',
        configMap: {
          name: trustedCAConfigMapName,
          optional: true,
          items: [{ key: 'ca-bundle.crt', path: 'anchors/ca-bundle.crt' }],
        },
      },
      mount: { name: 'trusted-ca', mountPath: trustedCAMountPath },
    },
  );
  if (flavour === 'openshift') {
    // Pull-through credentials; only OpenShift's registry reads them from the kubelet's path.
    pairs.push({
      volume: {
        name: 'installation-pull-secrets',
        secret: {
          secretName: installationPullSecretsName,
          optional: true,
          items: [{ key: '.dockerconfigjson', path: 'config.json' }],
        },
      },
      mount: { name: 'installation-pull-secrets', mountPath: '/var/lib/kubelet/' },
    });
  }
  pairs.push({
    volume: {
      name: 'bound-sa-token',
      projected: { sources: [{ serviceAccountToken: { audience: 'openshift', path: 'token' } }] },
    },
    mount: { name: 'bound-sa-token', mountPath: '/var/run/secrets/openshift/serviceaccount', readOnly: true },
  });
  return pairs;
}
