import type { ExtraFlag } from '@image-registry/controller-runtime';

/** The app's name: field manager `image-registry-operator/node-ca`, Lease `node-ca-leader`. */
export const appName = 'node-ca';

/** Flags of the node-ca controllers besides the common ones (--kubeconfig, --namespace…). */
export const nodeCAFlags = {
  'node-ca-image': {
    type: 'string',
    env: 'NODE_CA_IMAGE',
    default: 'image-registry-operator/node-ca:latest',
    description: 'image of the node-ca DaemonSet (this app\'s own image: its bundle holds the node agent)',
  },
  'host-mappings': {
    type: 'boolean',
    env: 'NODE_CA_HOST_MAPPINGS',
    default: true,
    description:
      "map the registry Service's names to its ClusterIP in every node's /etc/hosts (off where nodes resolve Service names, e.g. OpenShift)",
  },
  'node-ca-privileged': {
    type: 'boolean',
    env: 'NODE_CA_PRIVILEGED',
    default: false,
    description: 'run the node agent privileged (needed where SELinux keeps containers off host files, e.g. RHCOS)',
  },
  'publish-ca': {
    type: 'string',
    env: 'NODE_CA_PUBLISH_CA',
    default: 'auto',
    description: 'write ConfigMap image-registry-ca into --published-ca-namespace: auto (where it exists), true, false',
  },
  'published-ca-namespace': {
    type: 'string',
    env: 'NODE_CA_PUBLISHED_CA_NAMESPACE',
    default: 'openshift-config-managed',
    description: 'namespace of the published registry CA for other cluster components',
  },
  'config-namespace': {
    type: 'string',
    env: 'NODE_CA_CONFIG_NAMESPACE',
    default: 'openshift-config',
    description: 'namespace of user-supplied ConfigMaps (additionalTrustedCA, storage trustedCA)',
  },
} as const satisfies Record<string, ExtraFlag>;
