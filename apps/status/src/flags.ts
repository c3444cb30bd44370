import type { ExtraFlag } from '@image-registry/controller-runtime';

/** The app's name: field manager `image-registry-operator/status`, Lease `status-leader`. */
export const appName = 'status';

/** Flags of the status app besides the common ones (--kubeconfig, --namespace, --metrics-bind-address…). */
export const statusFlags = {
  'release-version': {
    type: 'string',
    env: 'RELEASE_VERSION',
    default: '',
    description: 'the release this app belongs to, reported as the ClusterOperator operator version',
  },
} as const satisfies Record<string, ExtraFlag>;
