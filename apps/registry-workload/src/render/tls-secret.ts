import type { V1Secret } from '@kubernetes/client-node';
import { configOwnerReference } from './owner.ts';
import type { Wire } from './wire.ts';

/** A `kubernetes.io/tls` Secret; `data` is base64 so an unchanged secret compares equal to the cache. */
export function renderTlsSecret(
  name: string,
  namespace: string,
  ownerUid: string,
  pem: { cert: string; key: string },
  extra: Record<string, string> = {},
): Wire<V1Secret> {
  const data: Record<string, string> = {
    'tls.crt': Buffer.from(pem.cert).toString('base64'),
    'tls.key': Buffer.from(pem.key).toString('base64'),
  };
  for (const [k, v] of Object.entries(extra)) data[k] = Buffer.from(v).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/tls',
    metadata: { name, namespace, ownerReferences: [configOwnerReference(ownerUid)] },
    data,
  };
}
