import type {
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1NetworkPolicySpec,
} from '@kubernetes/client-node';
import { containerPort, networkPolicyName, registryLabels } from './names.ts';
import { configOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

const registryPort = [{ protocol: 'TCP', port: containerPort }];

// client-node's model renames the JSON field `from` to `_from`; this is the wire shape.
type IngressRule = Omit<V1NetworkPolicyIngressRule, '_from'> & { from?: V1NetworkPolicyPeer[] };
export type NetworkPolicy = Omit<Wire<V1NetworkPolicy>, 'spec'> & {
  spec: Omit<V1NetworkPolicySpec, 'ingress'> & { ingress: IngressRule[] };
};

/**
 * NetworkPolicy `image-registry-networkpolicy` (upstream-inventory §6.8): the registry port is open to every
 * client; egress is allowed everywhere (storage may be anywhere). The narrower rules that overlap are
 * kept as documentation of what the registry actually talks to.
 */
export function renderNetworkPolicy(namespace: string, ownerUid: string): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: networkPolicyName, namespace, ownerReferences: [configOwnerReference(ownerUid)] },
    spec: {
      podSelector: { matchLabels: { ...registryLabels } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-monitoring' } } }],
          ports: registryPort,
        },
        {
          from: [{ namespaceSelector: { matchLabels: { 'policy-group.network.openshift.io/ingress': '' } } }],
          ports: registryPort,
        },
        { ports: registryPort },
      ],
      egress: [
        {},
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-kube-apiserver' } },
              podSelector: { matchLabels: { app: 'openshift-kube-apiserver' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 8443 }],
        },
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } } }],
          ports: [
            { protocol: 'TCP', port: 5353 },
            { protocol: 'UDP', port: 5353 },
          ],
        },
        {
          to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ],
    },
  };
}
