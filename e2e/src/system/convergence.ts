// What "the system converged" means after faults, as reads of a cluster (any admin KubeConfig): the
// Config and ClusterOperator settled, exactly one of each object the apps generate names for, nothing
// left behind whose owner is gone.
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeRequestError, kubeRequest } from '@image-registry/testing';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  generation?: number;
  resourceVersion?: string;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[];
}
export interface Obj {
  metadata: Meta;
  spec?: Record<string, unknown>;
  status?: { conditions?: Condition[]; observedGeneration?: number; [k: string]: unknown };
}

export async function getObject<T = Obj>(kc: KubeConfig, path: string): Promise<T | undefined> {
  try {
    return await kubeRequest<T>(kc, 'GET', path);
  } catch (err) {
    if (err instanceof KubeRequestError && err.status === 404) return undefined;
    throw err;
  }
}

export async function listObjects<T = Obj>(kc: KubeConfig, path: string): Promise<T[]> {
  return (await kubeRequest<{ items: T[] }>(kc, 'GET', path)).items;
}

export async function names(kc: KubeConfig, path: string): Promise<string[]> {
  return (await listObjects(kc, path)).map((o) => o.metadata.name).sort();
}

const status = (o: Obj | undefined, type: string) => {
  const c = o?.status?.conditions?.find((x) => x.type === type);
  return c ? `${c.status}${c.status === 'True' && type === 'Degraded' ? ` ${c.reason}: ${c.message}` : ''}` : 'absent';
};

/** The Config's and the ClusterOperator's summary; converged is `settled` below. */
export async function systemConditions(kc: KubeConfig): Promise<Record<string, string | boolean>> {
  const config = await getObject(kc, '/apis/imageregistry.operator.openshift.io/v1/configs/cluster');
  const co = await getObject(kc, '/apis/config.openshift.io/v1/clusteroperators/image-registry');
  return {
    observed: (config?.status?.observedGeneration ?? -1) >= (config?.metadata.generation ?? 0),
    Available: status(config, 'Available'),
    Progressing: status(config, 'Progressing'),
    Degraded: status(config, 'Degraded'),
    coAvailable: status(co, 'Available'),
    coProgressing: status(co, 'Progressing'),
    coDegraded: status(co, 'Degraded'),
  };
}

export const settled = {
  observed: true,
  Available: 'True',
  Progressing: 'False',
  Degraded: 'False',
  coAvailable: 'True',
  coProgressing: 'False',
  coDegraded: 'False',
};

export interface PullSecretReport {
  /** `ns/sa: n owned, m referenced` for every ServiceAccount without exactly one of each. */
  notExactlyOne: string[];
  /** Secrets whose owning ServiceAccount is gone (name or UID). */
  orphaned: string[];
}

/**
 * Pull secrets per ServiceAccount: the secrets a ServiceAccount owns (owner reference to its UID) and the
 * ones its imagePullSecrets names among them; exactly one each, and no secret owned by a gone account.
 */
export async function pullSecrets(kc: KubeConfig, namespaces: string[]): Promise<PullSecretReport> {
  const report: PullSecretReport = { notExactlyOne: [], orphaned: [] };
  for (const ns of namespaces) {
    const sas = await listObjects<Obj & { imagePullSecrets?: { name: string }[] }>(
      kc,
      `/api/v1/namespaces/${ns}/serviceaccounts`,
    );
    const secrets = await listObjects(kc, `/api/v1/namespaces/${ns}/secrets`);
    const uids = new Set(sas.map((s) => s.metadata.uid));
    for (const s of secrets) {
      const owner = s.metadata.ownerReferences?.find((o) => o.kind === 'ServiceAccount');
      if (owner && !uids.has(owner.uid)) report.orphaned.push(`${ns}/${s.metadata.name} (owner ${owner.name})`);
    }
    for (const sa of sas) {
      const owned = secrets.filter((s) => s.metadata.ownerReferences?.some((o) => o.uid === sa.metadata.uid));
      const ownedNames = new Set(owned.map((s) => s.metadata.name));
      const referenced = (sa.imagePullSecrets ?? []).filter((r) => ownedNames.has(r.name));
      if (owned.length !== 1 || referenced.length !== 1)
        report.notExactlyOne.push(
          `${ns}/${sa.metadata.name}: ${owned.length} owned, ${referenced.length} referenced`,
        );
    }
  }
  return report;
}

/** Collection paths of the owner kinds the apps set, to check that each owner still exists. */
function ownerPath(kind: string, name: string, ns: string): string | undefined {
  switch (kind) {
    case 'Config':
      return `/apis/imageregistry.operator.openshift.io/v1/configs/${name}`;
    case 'ImagePruner':
      return `/apis/imageregistry.operator.openshift.io/v1/imagepruners/${name}`;
    case 'ServiceAccount':
      return `/api/v1/namespaces/${ns}/serviceaccounts/${name}`;
    case 'Deployment':
      return `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
    case 'ReplicaSet':
      return `/apis/apps/v1/namespaces/${ns}/replicasets/${name}`;
    case 'CronJob':
      return `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}`;
    default:
      return undefined;
  }
}

const ownedKinds = [
  'api/v1/secrets',
  'api/v1/configmaps',
  'api/v1/services',
  'api/v1/serviceaccounts',
  'apis/apps/v1/deployments',
  'apis/apps/v1/daemonsets',
  'apis/batch/v1/cronjobs',
  'apis/route.openshift.io/v1/routes',
  'apis/networking.k8s.io/v1/ingresses',
  'apis/networking.k8s.io/v1/networkpolicies',
  'apis/policy/v1/poddisruptionbudgets',
];

/** `kind ns/name → Owner name` for every object in `namespaces` whose owner (same UID) no longer exists. */
export async function orphans(kc: KubeConfig, namespaces: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const ns of namespaces) {
    for (const kind of ownedKinds) {
      const [prefix, ...rest] = kind.split('/');
      const plural = rest.pop() ?? '';
      const items = await listObjects(kc, `/${prefix}/${rest.join('/')}/namespaces/${ns}/${plural}`);
      for (const item of items) {
        for (const o of item.metadata.ownerReferences ?? []) {
          const path = ownerPath(o.kind, o.name, ns);
          if (!path) continue;
          const owner = await getObject(kc, path);
          if (owner?.metadata.uid !== o.uid) out.push(`${plural} ${ns}/${item.metadata.name} → ${o.kind} ${o.name}`);
        }
      }
    }
  }
  return out;
}
