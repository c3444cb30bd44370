import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { networkPolicyName, podLabels } from './names.ts';
import { prunerOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/**
 * `image-pruner-networkpolicy` (§6.8): the job pods may reach anything; the other rules are upstream's
 * documentation of what they talk to (API server, DNS, the registry).
 */
export function renderNetworkPolicy(namespace: string, ownerUid: string): Wire<V1NetworkPolicy> {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: networkPolicyName, namespace, ownerReferences: [prunerOwnerReference(ownerUid)] },
    spec: {
      podSelector: { matchLabels: { ...podLabels } },
      policyTypes: ['Egress'],
      egress: [
        {},
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-kube-apiserver' } },
              podSelector: { matchLabels: { app: 'openshift-kube-apiserver' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 6443 }],
        },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } } }],
          ports: [
            { protocol: 'TCP', port: 5353 },
            { protocol: 'UDP', port: 5353 },
          ],
        },
        { to: [{ podSelector: { matchLabels: { 'docker-registry': 'default' } } }], ports: [{ protocol: 'TCP', port: 5000 }] },
      ],
    },
  };
}
