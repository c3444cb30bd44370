import type { KubeObject, Logger } from '@image-registry/controller-runtime';
import { cached } from './caches.ts';
import { removeOwned } from './owned-apply.ts';
import { clusterRoleBindingName, clusterRoleName, networkPolicyName, registryName, serviceAccountName } from './render/names.ts';
import { owned } from './resources.ts';
import type { Pass, WorkloadContext } from './workload-context.ts';

/**
 * managementState Removed: deletes the registry objects this app created, and nothing else. The
 * serving CA and `serviceca` stay (as upstream), so nodes keep trusting the registry when it comes
 * back; storage is the storage app's business.
 */
export async function convergeRemoved(ctx: WorkloadContext, log: Logger): Promise<Pass> {
  const { caches, inNs } = ctx;
  const objects: [keyof typeof owned, KubeObject | undefined][] = [
    ['deployment', cached(caches.deployment, inNs(registryName))],
    ['podDisruptionBudget', cached(caches.podDisruptionBudget, inNs(registryName))],
    ['networkPolicy', cached(caches.networkPolicy, inNs(networkPolicyName))],
    ['service', cached(caches.service, inNs(registryName))],
    ['serviceAccount', cached(caches.serviceAccount, inNs(serviceAccountName))],
    ['clusterRoleBinding', cached(caches.clusterRoleBinding, { name: clusterRoleBindingName })],
    ['clusterRole', cached(caches.clusterRole, { name: clusterRoleName })],
  ];
  for (const [kind, obj] of objects) await removeOwned(ctx.client, owned[kind], obj, log);
  return { outcome: { kind: 'applied' }, acted: true };
}
