import { Resources, requestKey, type Informer, type KubeClient, type KubeObject, type Request } from '@image-registry/controller-runtime';
import type { WorkloadCaches } from '../src/caches.ts';
import { registryName } from '../src/render/names.ts';
import { ConfigResource } from '../src/resources.ts';

/** The part of an informer the reconcile reads. */
class Snapshot {
  private objects = new Map<string, KubeObject>();
  get(key: Request | string): KubeObject | undefined {
    return this.objects.get(typeof key === 'string' ? key : requestKey(key));
  }
  list(): KubeObject[] {
    return [...this.objects.values()];
  }
  set(objects: readonly (KubeObject | undefined)[]): void {
    this.objects = new Map(
      objects.filter((o): o is KubeObject => o?.metadata?.name !== undefined).map((o) => [requestKey({ name: o.metadata?.name ?? '', ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}) }), o]),
    );
  }
}

/**
 * Caches that move only when the test says so: `catchUp()` copies the live Config, Deployment, Secrets and
 * ConfigMaps of the namespace in; in between they show the cluster as it was, like an informer that lags.
 */
export function snapshotCaches(client: KubeClient, ns: string): { caches: WorkloadCaches; catchUp(): Promise<void> } {
  const config = new Snapshot();
  const deployment = new Snapshot();
  const secrets = new Snapshot();
  const configMaps = new Snapshot();
  const empty = () => new Snapshot() as unknown as Informer<KubeObject>;
  const caches: WorkloadCaches = {
    config: config as unknown as Informer<KubeObject>,
    deployment: deployment as unknown as Informer<KubeObject>,
    secrets: secrets as unknown as Informer<KubeObject>,
    configMaps: configMaps as unknown as Informer<KubeObject>,
    service: empty(),
    serviceAccount: empty(),
    clusterRole: empty(),
    clusterRoleBinding: empty(),
    podDisruptionBudget: empty(),
    networkPolicy: empty(),
    namespace: empty(),
    nodes: empty(),
  };
  return {
    caches,
    async catchUp() {
      const [c, d, s, m] = await Promise.all([
        client.get(ConfigResource, { name: 'cluster' }),
        client.get(Resources.Deployment, { namespace: ns, name: registryName }),
        client.list(Resources.Secret, { namespace: ns }),
        client.list(Resources.ConfigMap, { namespace: ns }),
      ]);
      config.set([c]);
      deployment.set([d]);
      secrets.set(s.items);
      configMaps.set(m.items);
    },
  };
}
