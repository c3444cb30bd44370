import type { Manager } from '../../src/manager.ts';
import { ownerReference, type KubeObject } from '../../src/objects.ts';
import { Resources } from '../../src/resources.ts';

/** Only ConfigMaps with this label are mirrored. */
export const mirrorLabel = 'test.image-registry.io/mirror';

export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export interface Secret extends KubeObject {
  data?: Record<string, string>;
}

export function mirrorName(cm: string): string {
  return `${cm}-mirror`;
}

/** The Secret a ConfigMap should have: its data base64-encoded, owned by the ConfigMap. */
export function desiredSecret(cm: ConfigMap): Secret {
  const data = Object.fromEntries(Object.entries(cm.data ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: mirrorName(cm.metadata?.name ?? ''),
      namespace: cm.metadata?.namespace,
      labels: { [mirrorLabel]: 'child' },
      ownerReferences: [ownerReference(cm)],
    },
    data,
  } as Secret;
}

/**
 * The integration tests' controller: every labelled ConfigMap in `namespace` gets a Secret with the
 * same data. Level-triggered like a real app: it reads the cache and applies; the runtime skips no-ops.
 */
export function mirrorController(mgr: Manager, namespace: string, opts: { resyncPeriodMs?: number; workers?: number } = {}) {
  const configMaps = mgr.informer(Resources.ConfigMap, {
    namespace,
    labelSelector: `${mirrorLabel}=true`,
    ...(opts.resyncPeriodMs ? { resyncPeriodMs: opts.resyncPeriodMs } : {}),
  });
  const secrets = mgr.informer(Resources.Secret, { namespace, labelSelector: `${mirrorLabel}=child` });
  const controller = mgr
    .controller({
      name: 'mirror',
      workers: opts.workers ?? 2,
      reconcile: async (req) => {
        const cm = configMaps.get(req) as ConfigMap | undefined;
        if (!cm || cm.metadata?.deletionTimestamp) return; // the garbage collector removes the Secret
        await mgr.client.apply(Resources.Secret, desiredSecret(cm));
      },
    })
    .for(configMaps)
    .owns(secrets);
  return { configMaps, secrets, controller };
}
